// Shared per-guest texts: kernel read formats, CRYCB masks, attribute order.
#include "backends/common.h"

#include <cstdio>

namespace apc::backends {

std::string planBaseName(const ir::Plan& plan) {
  auto slash = plan.path.find_last_of('/');
  return slash == std::string::npos ? plan.path : plan.path.substr(slash + 1);
}

std::string matrixText(const ir::GuestAllocation& a) {
  std::string out;
  for (unsigned ad : ir::toVector(a.adapters))
    for (unsigned d : ir::toVector(a.domains)) out += ir::formatQueue(ad, d) + "\n";
  return out;
}

std::string controlDomainsText(const ir::GuestAllocation& a) {
  std::string out;
  char buf[8];
  for (unsigned d : ir::toVector(admOf(a))) {
    std::snprintf(buf, sizeof buf, "%04x\n", d);
    out += buf;
  }
  return out;
}

CrycbWidths crycbWidths(unsigned crycbFormat) {
  if (crycbFormat == 2) return {256, 256, 256};
  return {64, 16, 16};
}

CrycbMasks crycbMasks(const ir::GuestAllocation& a, unsigned crycbFormat) {
  CrycbWidths w = crycbWidths(crycbFormat);
  return {ir::formatMask(a.adapters, w.apm), ir::formatMask(a.domains, w.aqm),
          ir::formatMask(admOf(a), w.adm)};
}

std::vector<Attr> mdevAttrs(const ir::GuestAllocation& a) {
  std::vector<Attr> attrs;
  for (unsigned id : ir::toVector(a.adapters)) attrs.push_back({"assign_adapter", ir::formatSysfsId(id)});
  for (unsigned id : ir::toVector(a.domains)) attrs.push_back({"assign_domain", ir::formatSysfsId(id)});
  for (unsigned id : ir::toVector(admOf(a)))
    attrs.push_back({"assign_control_domain", ir::formatSysfsId(id)});
  return attrs;
}

QueueViews queueViews(const ir::SolvedPlan& solved) {
  QueueViews v;
  for (const ir::GuestAllocation& a : solved.alloc) {
    std::vector<unsigned> domains = ir::toVector(a.domains);
    for (unsigned ad : ir::toVector(a.adapters))
      for (unsigned d : domains) v.guests.insert(ad, d);
  }
  const ir::Inventory& host = solved.plan.host;
  const bool modern = host.interface == ir::Interface::Modern;
  std::vector<unsigned> domains = ir::toVector(host.usageDomains);
  for (const ir::Adapter& adapter : host.adapters) {
    for (unsigned d : domains) {
      if (!host.queueExists(adapter.id, d)) continue;
      bool held = v.guests.contains(adapter.id, d);
      bool kept = modern ? solved.apmask.test(adapter.id) && solved.aqmask.test(d) : !held;
      if (kept) v.hostKept.insert(adapter.id, d);
      // Free means one thing in every view: released to vfio_ap and unused
      // (the matrix's '.'), so held + kept + free + offline = existing.
      if (!held && !kept && host.queueUsable(adapter.id, d)) v.free.insert(adapter.id, d);
    }
  }
  return v;
}

ir::IdSet admOf(const ir::GuestAllocation& a) { return a.controlDomains | a.domains; }

bool isCanonicalUuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

}  // namespace apc::backends
