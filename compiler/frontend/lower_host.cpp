// The host block -> ir::Inventory. Adapters end up sorted by ID; queues of
// `offline` must be adapter x usage-domain pairs, `reserve` keeps only queues
// that exist (not offline).
#include <set>

#include "compiler/frontend/lower.h"
#include "compiler/frontend/lower_values.h"

namespace apc::compiler {

using ir::DiagCode;

namespace {

// E108 once per literal for IDs past the CRYCB format's limit; returns the IDs within it.
ir::IdSet withinLimit(const ir::IdSet& ids, const std::map<unsigned, ir::SourceRange>& ranges, unsigned limit,
                      unsigned format, const char* what, Reporter& rep) {
  ir::IdSet ok = ids;
  std::set<std::uint32_t> reported;
  for (unsigned id = limit + 1; id < ir::kMaxIds; ++id) {
    if (!ids.test(id)) continue;
    ok.reset(id);
    auto it = ranges.find(id);
    ir::SourceRange r = it == ranges.end() ? ir::SourceRange{} : it->second;
    if (!reported.insert(r.begin).second) continue;
    rep.error(DiagCode::IdOverFormatLimit, r,
              std::string(what) + " ID " + idText(id) + " is past " + idText(limit) + ", the limit of CRYCB format " +
                  std::to_string(format) + (format == 2 ? "" : " (format 2, the APXA facility, allows up to 0xff)"));
  }
  return ok;
}

bool matches(const ir::QueuePattern& p, unsigned a, unsigned d) {
  return (!p.adapter || *p.adapter == a) && (!p.domain || *p.domain == d);
}

std::string patternText(const ir::QueuePattern& p) {
  char buf[16];
  std::string a = p.adapter ? ir::formatCard(*p.adapter) : "*";
  if (p.domain) std::snprintf(buf, sizeof buf, "%04x", *p.domain);
  return a + "." + (p.domain ? std::string(buf) : "*");
}

}  // namespace

ir::Inventory lowerHost(const ast::HostDecl& h, Reporter& rep) {
  ir::Inventory inv;
  inv.name = h.name.text;
  inv.range = h.name.range;
  if (h.interface) {
    inv.interfaceRange = h.interface->range;
    if (auto i = lowerInterface(*h.interface, rep)) inv.interface = *i;
  }
  if (h.crycb) {
    inv.crycbRange = h.crycb->range;
    if (h.crycb->ok) {
      if (h.crycb->value > 2)
        rep.error(DiagCode::BadCrycbFormat, h.crycb->range,
                  "CRYCB format " + std::to_string(h.crycb->value) + " does not exist; write 0, 1 or 2");
      else
        inv.crycbFormat = static_cast<unsigned>(h.crycb->value);
    }
  }

  std::map<unsigned, ir::Adapter> byId;
  for (const ast::AdapterDecl& ad : h.adapters) {
    std::optional<ir::AdapterType> type = lowerAdapterType(ad.type, rep);
    std::map<unsigned, ir::SourceRange> ranges;
    ir::IdSet ids = lowerIdList(ad.ids, rep, &ranges);
    ids = withinLimit(ids, ranges, inv.maxAdapterId(), inv.crycbFormat, "adapter", rep);
    for (unsigned id : ir::toVector(ids)) {
      auto it = byId.find(id);
      if (it != byId.end()) {
        auto& d = rep.error(DiagCode::DuplicateAdapter, ranges[id], "adapter " + idText(id) + " is declared twice");
        ir::addNote(d, it->second.range, "first declared here");
        continue;
      }
      // A bad type was reported; keep the adapter (as CEX4C) so guests naming it
      // do not get a second, misleading "not on the host" error.
      byId[id] = ir::Adapter{id, type.value_or(ir::AdapterType{}), ranges[id]};
    }
  }
  for (auto& [id, a] : byId) inv.adapters.push_back(a);

  if (h.domains) {
    std::map<unsigned, ir::SourceRange> ranges;
    ir::IdSet ids = lowerIdList(*h.domains, rep, &ranges);
    inv.usageDomains = withinLimit(ids, ranges, inv.maxDomainId(), inv.crycbFormat, "domain", rep);
    inv.usageDomainsRange = h.domainsStmt;
  }
  if (h.control) {
    std::map<unsigned, ir::SourceRange> ranges;
    ir::IdSet ids = lowerIdList(*h.control, rep, &ranges);
    // A usage domain is always a control domain too (PR/SM's "control and
    // usage"; the kernel's ap_control_domain_mask includes them), so the list
    // written here adds control-only domains to the usage domains.
    inv.controlDomains = withinLimit(ids, ranges, inv.maxDomainId(), inv.crycbFormat, "control domain", rep) |
                         inv.usageDomains;
    inv.controlDomainsExplicit = true;
    inv.controlDomainsRange = h.controlStmt;
  } else {
    inv.controlDomains = inv.usageDomains;
    inv.controlDomainsRange = h.domainsStmt;
  }

  // offline first: `reserve` expands only over queues that exist.
  auto expand = [&](const std::vector<ast::QueueItem>& items, std::vector<ir::QueuePattern>& patterns,
                    ir::QueueSet& into, bool offline) {
    for (const ast::QueueItem& q : items) {
      std::optional<ir::QueuePattern> p = lowerQueue(q, rep);
      if (!p) continue;
      patterns.push_back(*p);
      bool any = false;
      for (const ir::Adapter& a : inv.adapters)
        for (unsigned d : ir::toVector(inv.usageDomains)) {
          if (!matches(*p, a.id, d)) continue;
          any = true;
          if (offline || !inv.offlineQueues.contains(a.id, d)) into.insert(a.id, d);
        }
      if (!any)
        rep.error(DiagCode::UnknownQueueInHostList, p->range,
                  std::string(offline ? "offline" : "reserve") + " entry " + patternText(*p) +
                      " names no queue of this host (queues are its adapters x usage domains)");
    }
  };
  expand(h.offline, inv.offline, inv.offlineQueues, true);
  expand(h.reserve, inv.reserve, inv.reservedQueues, false);
  return inv;
}

}  // namespace apc::compiler
