// Small queries on the plan IR, and its canonical dump.
#include "compiler/ir/plan_ir.h"

#include <algorithm>
#include <sstream>

namespace apc::ir {

std::string_view interfaceName(Interface i) { return i == Interface::Modern ? "modern" : "legacy"; }

std::string_view modeKeyword(CardMode m) {
  switch (m) {
    case CardMode::Accel: return "accel";
    case CardMode::Cca: return "cca";
    case CardMode::Ep11: return "ep11";
  }
  return "cca";
}

std::string_view lszcryptModeName(CardMode m) {
  switch (m) {
    case CardMode::Accel: return "Accelerator";
    case CardMode::Cca: return "CCA-Coproc";
    case CardMode::Ep11: return "EP11-Coproc";
  }
  return "CCA-Coproc";
}

char modeLetter(CardMode m) {
  switch (m) {
    case CardMode::Accel: return 'A';
    case CardMode::Cca: return 'C';
    case CardMode::Ep11: return 'P';
  }
  return 'C';
}

std::string_view startName(StartPolicy s) { return s == StartPolicy::Auto ? "auto" : "manual"; }

std::string AdapterType::str() const { return "CEX" + std::to_string(generation) + modeLetter(mode); }

const Adapter* Inventory::adapter(unsigned id) const {
  auto it = std::lower_bound(adapters.begin(), adapters.end(), id,
                             [](const Adapter& a, unsigned v) { return a.id < v; });
  return it != adapters.end() && it->id == id ? &*it : nullptr;
}

IdSet Inventory::adapterIds() const {
  IdSet s;
  for (const Adapter& a : adapters) s.set(a.id);
  return s;
}

bool Inventory::queueExists(unsigned a, unsigned d) const {
  return a < kMaxIds && d < kMaxIds && adapter(a) && usageDomains.test(d) &&
         !offlineQueues.contains(a, d);
}

bool Inventory::queueUsable(unsigned a, unsigned d) const {
  return queueExists(a, d) && !reservedQueues.contains(a, d);
}

QueueSet Inventory::existingQueues() const {
  QueueSet q;
  for (const Adapter& a : adapters)
    for (unsigned d = 0; d < kMaxIds; ++d)
      if (usageDomains.test(d) && !offlineQueues.contains(a.id, d)) q.insert(a.id, d);
  return q;
}

QueueSet Inventory::usableQueues() const {
  QueueSet q;
  for (const Adapter& a : adapters)
    for (unsigned d = 0; d < kMaxIds; ++d)
      if (queueUsable(a.id, d)) q.insert(a.id, d);
  return q;
}

bool IdRequirement::admitsDomain(unsigned id) const {
  if (kind == Kind::Exact) return exact.test(id);
  return !in || in->test(id);
}

bool IdRequirement::admitsAdapter(const Adapter& a) const {
  if (kind == Kind::Exact) return exact.test(a.id);
  if (in && !in->test(a.id)) return false;
  if (mode && a.type.mode != *mode) return false;
  if (!types.empty() && std::find(types.begin(), types.end(), a.type) == types.end()) return false;
  return true;
}

bool Guest::hasTag(std::string_view t) const {
  return std::find(tags.begin(), tags.end(), t) != tags.end();
}

std::optional<std::size_t> Plan::guestIndex(std::string_view name) const {
  for (std::size_t i = 0; i < guests.size(); ++i)
    if (guests[i].name == name) return i;
  return std::nullopt;
}

namespace {

void dumpRequirement(std::ostream& os, const char* axis, const IdRequirement& r) {
  os << "  " << axis << ": ";
  if (!r.present) {
    os << "(none)\n";
    return;
  }
  if (r.kind == IdRequirement::Kind::Exact) {
    os << "exact [" << formatIdList(r.exact) << "]\n";
    return;
  }
  os << "any " << r.count;
  if (r.in) os << " in [" << formatIdList(*r.in) << "]";
  if (r.mode) os << " mode " << modeKeyword(*r.mode);
  if (!r.types.empty()) {
    os << " type";
    for (std::size_t i = 0; i < r.types.size(); ++i) os << (i ? ", " : " ") << r.types[i].str();
  }
  os << "\n";
}

void dumpPatterns(std::ostream& os, const char* what, const std::vector<QueuePattern>& ps) {
  for (const QueuePattern& p : ps) {
    os << "  " << what << " ";
    os << (p.adapter ? formatCard(*p.adapter) : std::string("*")) << ".";
    if (p.domain) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "%04x", *p.domain);
      os << buf;
    } else {
      os << "*";
    }
    os << "\n";
  }
}

}  // namespace

std::string dumpPlan(const Plan& plan) {
  std::ostringstream os;
  const Inventory& h = plan.host;
  os << "host " << h.name << "\n";
  os << "  interface " << interfaceName(h.interface) << "\n";
  os << "  crycb format " << h.crycbFormat << "\n";
  for (const Adapter& a : h.adapters) os << "  adapter " << formatSysfsId(a.id) << " " << a.type.str() << "\n";
  os << "  domains [" << formatIdList(h.usageDomains) << "]\n";
  os << "  control domains [" << formatIdList(h.controlDomains) << "]\n";
  dumpPatterns(os, "reserve", h.reserve);
  dumpPatterns(os, "offline", h.offline);
  for (const Guest& g : plan.guests) {
    os << "guest " << g.name << "\n";
    dumpRequirement(os, "adapters", g.adapters);
    dumpRequirement(os, "domains", g.domains);
    if (g.extraControlDomains.any()) os << "  control domains [" << formatIdList(g.extraControlDomains) << "]\n";
    if (g.uuid) os << "  uuid " << *g.uuid << "\n";
    os << "  start " << startName(g.start) << "\n";
    if (!g.tags.empty()) {
      os << "  tags";
      for (std::size_t i = 0; i < g.tags.size(); ++i) os << (i ? ", " : " ") << g.tags[i];
      os << "\n";
    }
  }
  for (const ApartGroup& a : plan.apart) {
    os << "apart";
    for (std::size_t i = 0; i < a.guests.size(); ++i) os << (i ? ", " : " ") << plan.guests[a.guests[i]].name;
    os << "\n";
  }
  const Policy& p = plan.policy;
  for (const auto& m : p.minAdapters) os << "policy min adapters " << m.count << (m.tag ? " for tag " + *m.tag : "") << "\n";
  for (const auto& m : p.minDomains) os << "policy min domains " << m.count << (m.tag ? " for tag " + *m.tag : "") << "\n";
  if (p.maxGuestsPerAdapter) os << "policy max guests per adapter " << *p.maxGuestsPerAdapter << "\n";
  if (p.headroomPercent) os << "policy headroom " << *p.headroomPercent << "%\n";
  os << "policy " << (p.allowForeignControl ? "allow" : "deny") << " foreign control\n";
  // Only the non-default goal, so dumps of plans without the rule stay as they were.
  if (p.placement == PlacementGoal::Pack) os << "policy placement pack\n";
  return os.str();
}

}  // namespace apc::ir
