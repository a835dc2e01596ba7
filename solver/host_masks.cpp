// Maximum-edge biclique in "queues no guest holds" is NP-hard in general; a
// closure from a fixed list of starts (Galois pair P -> Q -> P) is exact on
// the common shapes and deterministic. Mask IDs beyond the host's adapters and
// usage domains are set, so hardware added later goes to the host by default.
#include "solver/host_masks.h"

#include <array>
#include <vector>

namespace apc::solver {

namespace {

using ir::IdSet;

IdSet upTo(unsigned maxId) {
  IdSet s;
  for (unsigned i = 0; i <= maxId; ++i) s.set(i);
  return s;
}

struct Reserved {
  IdSet adapters;
  IdSet domains;
};

Reserved reservedAxes(const ir::Plan& plan) {
  Reserved r;
  for (const ir::Queue& q : plan.host.reservedQueues.toVector()) {
    r.adapters.set(q.adapter);
    r.domains.set(q.domain);
  }
  return r;
}

void noteReserveLines(ir::Diagnostic& d, const ir::Plan& plan, std::size_t from) {
  for (std::size_t i = from; i < plan.host.reserve.size(); ++i)
    ir::addNote(d, plan.host.reserve[i].range, "reserved here");
}

}  // namespace

void warnForcedHostQueues(const ir::Plan& plan, ir::DiagEngine& diags) {
  if (plan.host.interface != ir::Interface::Modern || plan.host.reserve.empty()) return;
  Reserved r = reservedAxes(plan);
  std::vector<std::string> extra;
  std::size_t count = 0;
  for (const ir::Queue& q : plan.host.existingQueues().toVector()) {
    if (!r.adapters.test(q.adapter) || !r.domains.test(q.domain)) continue;
    if (plan.host.reservedQueues.contains(q.adapter, q.domain)) continue;
    if (count++ < 8) extra.push_back(ir::formatQueue(q));
  }
  if (count == 0) return;
  std::string list;
  for (std::size_t i = 0; i < extra.size(); ++i) list += (i ? ", " : "") + extra[i];
  if (count > extra.size()) list += " and " + std::to_string(count - extra.size()) + " more";
  ir::Diagnostic& d = diags.warning(
      ir::DiagCode::HostKeepsExtraQueues, plan.host.reserve.front().range,
      "with interface modern the host keeps adapters " + ir::formatIdList(r.adapters) +
          " x domains " + ir::formatIdList(r.domains) + " whole, so it also keeps " +
          std::to_string(count) + (count == 1 ? " queue" : " queues") +
          " nobody reserved (" + list + "); no guest can get them");
  noteReserveLines(d, plan, 1);
}

bool computeHostMasks(ir::SolvedPlan& solved, ir::DiagEngine& diags) {
  const ir::Plan& plan = solved.plan;
  const ir::Inventory& host = plan.host;
  IdSet allA = upTo(host.maxAdapterId()), allD = upTo(host.maxDomainId());
  if (host.interface == ir::Interface::Legacy) {
    solved.apmask = allA;
    solved.aqmask = allD;
    return true;
  }
  Reserved r = reservedAxes(plan);
  std::array<IdSet, ir::kMaxIds> held{};  // per adapter: domains a guest holds there
  for (const ir::GuestAllocation& g : solved.alloc)
    for (unsigned a : ir::toVector(g.adapters)) held[a] |= g.domains;
  // A guest queue inside reserved adapters x reserved domains makes masks impossible.
  std::vector<std::string> clash;
  for (unsigned a : ir::toVector(r.adapters))
    for (unsigned d : ir::toVector(held[a] & r.domains)) clash.push_back(ir::formatQueue(a, d));
  if (!clash.empty()) {
    std::string list;
    for (std::size_t i = 0; i < clash.size() && i < 8; ++i) list += (i ? ", " : "") + clash[i];
    if (clash.size() > 8) list += " and " + std::to_string(clash.size() - 8) + " more";
    ir::Diagnostic& d = diags.error(
        ir::DiagCode::HostMasksImpossible,
        host.reserve.empty() ? host.range : host.reserve.front().range,
        "no apmask x aqmask keeps every reserved queue and releases the guests' queues " + list +
            ": with interface modern the host keeps adapters " + ir::formatIdList(r.adapters) +
            " x domains " + ir::formatIdList(r.domains) + " whole");
    noteReserveLines(d, plan, 1);
    for (std::size_t g = 0; g < solved.alloc.size(); ++g) {
      bool hit = (solved.alloc[g].adapters & r.adapters).any() &&
                 (solved.alloc[g].domains & r.domains).any();
      if (hit) ir::addNote(d, plan.guests[g].range, "guest " + plan.guests[g].name + " needs some of them");
    }
    return false;
  }
  auto compatD = [&](const IdSet& p) {
    IdSet q = allD;
    for (unsigned a : ir::toVector(p)) q &= ~held[a];
    return q;
  };
  auto compatA = [&](const IdSet& q) {
    IdSet p;
    for (unsigned a : ir::toVector(allA))
      if ((held[a] & q).none()) p.set(a);
    return p;
  };
  std::array<IdSet, ir::kMaxIds> existing{};  // per adapter: its existing queues' domains
  for (const ir::Queue& q : host.existingQueues().toVector()) existing[q.adapter].set(q.domain);
  auto value = [&](const IdSet& p, const IdSet& q) {
    std::size_t v = 0;
    for (const ir::Adapter& a : host.adapters)
      if (p.test(a.id)) v += (existing[a.id] & q).count();
    return v;
  };
  bool found = false;
  std::size_t best = 0;
  IdSet bestP, bestQ;
  auto tryStart = [&](IdSet p) {
    IdSet q = compatD(p);
    p = compatA(q);
    q = compatD(p);
    if ((r.adapters & ~p).any() || (r.domains & ~q).any()) return;
    std::size_t v = value(p, q);
    if (!found || v > best) found = true, best = v, bestP = p, bestQ = q;
  };
  auto tryDomainStart = [&](IdSet q) {
    IdSet p = compatA(q);
    tryStart(p | r.adapters);
  };
  IdSet unusedA, unusedD = allD;
  for (unsigned a : ir::toVector(allA))
    if (held[a].none()) unusedA.set(a);
  for (unsigned a : ir::toVector(allA)) unusedD &= ~held[a];
  tryStart(r.adapters | unusedA);
  tryDomainStart(r.domains | unusedD);
  for (const ir::Adapter& a : host.adapters) tryStart(r.adapters | ir::makeIdSet({a.id}));
  for (unsigned d : ir::toVector(host.usageDomains)) tryDomainStart(r.domains | ir::makeIdSet({d}));
  // The start from the reserved adapters alone always succeeds when no guest
  // queue lies in reserved adapters x reserved domains (checked above).
  if (!found) tryStart(r.adapters);
  solved.apmask = bestP;
  solved.aqmask = bestQ;
  return found;
}

}  // namespace apc::solver
