// Failure what-ifs: remove the failed adapters/domains from the host and
// re-solve. First with every untouched guest pinned (fewest moves), then,
// only if that is infeasible, with all guests free but kept near their old
// matrices through a lock built from the current allocation.
#include "solver/query/fail.h"

#include <algorithm>

#include "solver/query/lock_of.h"
#include "solver/solve.h"

namespace apc::query {

namespace {

// The host without the failed parts. Reserve/offline entries on them vanish
// with them (they are expanded sets, so filtering the sets is enough).
ir::Plan planWithout(const ir::Plan& plan, const ir::IdSet& adapters, const ir::IdSet& domains) {
  ir::Plan out = plan;
  ir::Inventory& h = out.host;
  std::erase_if(h.adapters, [&](const ir::Adapter& a) { return adapters.test(a.id); });
  h.usageDomains &= ~domains;
  ir::QueueSet reserved, offline;
  for (const ir::Queue& q : h.reservedQueues.toVector())
    if (!adapters.test(q.adapter) && !domains.test(q.domain)) reserved.insert(q.adapter, q.domain);
  for (const ir::Queue& q : h.offlineQueues.toVector())
    if (!adapters.test(q.adapter) && !domains.test(q.domain)) offline.insert(q.adapter, q.domain);
  h.reservedQueues = reserved;
  h.offlineQueues = offline;
  return out;
}


std::string firstError(const ir::DiagEngine& diags) {
  for (const ir::Diagnostic& d : diags.all())
    if (d.severity == ir::Severity::Error) return d.message;
  return "";
}

}  // namespace

std::string_view recoveryName(Recovery r) {
  switch (r) {
    case Recovery::NotNeeded: return "not-needed";
    case Recovery::Recoverable: return "recoverable";
    case Recovery::Impossible: return "impossible";
    case Recovery::Unknown: return "unknown";
  }
  return "unknown";
}

FailReport simulateFailure(const ir::SolvedPlan& sp, const ir::IdSet& adapters, const ir::IdSet& domains,
                           const FailOptions& opts) {
  FailReport rep;
  rep.failedAdapters = adapters;
  rep.failedDomains = domains;
  std::vector<bool> isHit(sp.alloc.size(), false);
  for (std::size_t g = 0; g < sp.alloc.size(); ++g) {
    GuestHit h;
    h.name = sp.plan.guests[g].name;
    const std::vector<ir::Queue> all = sp.guestQueues(g).toVector();
    for (const ir::Queue& q : all)
      if (adapters.test(q.adapter) || domains.test(q.domain)) h.lost.push_back(q);
    if (h.lost.empty()) continue;
    h.outage = h.lost.size() == all.size();
    isHit[g] = true;
    rep.hit.push_back(std::move(h));
  }
  if (rep.hit.empty()) return rep;

  // A guest that names a failed ID in an explicit list cannot be re-planned.
  for (std::size_t g = 0; g < sp.alloc.size(); ++g) {
    const ir::Guest& guest = sp.plan.guests[g];
    bool adapterNamed = guest.adapters.kind == ir::IdRequirement::Kind::Exact &&
                        (guest.adapters.exact & adapters).any();
    bool domainNamed = guest.domains.kind == ir::IdRequirement::Kind::Exact &&
                       (guest.domains.exact & domains).any();
    if (adapterNamed || domainNamed) {
      rep.recovery = Recovery::Impossible;
      rep.reason += std::string(rep.reason.empty() ? "" : "; ") + "guest '" + guest.name + "' names failed " +
                    (adapterNamed ? "adapter " + ir::formatIdList(guest.adapters.exact & adapters)
                                  : "domain " + ir::formatIdList(guest.domains.exact & domains)) +
                    " in its explicit list";
    }
  }
  if (rep.recovery == Recovery::Impossible) return rep;

  ir::Plan reduced = planWithout(sp.plan, adapters, domains);
  auto record = [&](const ir::SolvedPlan& after) {
    rep.recovery = Recovery::Recoverable;
    for (std::size_t g = 0; g < sp.alloc.size(); ++g) {
      const auto& was = sp.alloc[g];
      const auto& now = after.alloc[g];
      if (was.adapters == now.adapters && was.domains == now.domains && was.controlDomains == now.controlDomains)
        continue;
      if (!isHit[g]) rep.untouchedKept = false;
      rep.moves.push_back({sp.plan.guests[g].name, was, now});
    }
  };

  // 1. Untouched guests stay where they are.
  {
    solver::SolveOptions so;
    so.z3ResourceLimit = opts.z3ResourceLimit;
    so.greedyRestarts = opts.greedyRestarts;
    so.pinned.assign(sp.alloc.size(), std::nullopt);
    for (std::size_t g = 0; g < sp.alloc.size(); ++g)
      if (!isHit[g]) so.pinned[g] = sp.alloc[g];
    ir::DiagEngine scratch;
    solver::SolveResult r = solver::solve(reduced, so, scratch);
    if (r.status == solver::SolveStatus::Solved && r.solved) {
      record(*r.solved);
      return rep;
    }
  }
  // 2. Everyone may move; the lock keeps guests in place where it can.
  solver::Lock lock = lockOf(sp);
  solver::SolveOptions so;
  so.z3ResourceLimit = opts.z3ResourceLimit;
  so.greedyRestarts = opts.greedyRestarts;
  so.lock = &lock;
  ir::DiagEngine scratch;
  solver::SolveResult r = solver::solve(reduced, so, scratch);
  if (r.status == solver::SolveStatus::Solved && r.solved) {
    record(*r.solved);
  } else if (r.status == solver::SolveStatus::Infeasible) {
    rep.recovery = Recovery::Impossible;
    rep.reason = firstError(scratch);
    if (rep.reason.empty()) rep.reason = "no allocation gives every guest its requirement";
  } else {
    rep.recovery = Recovery::Unknown;
    rep.reason = "the solver stopped at its resource limit";
  }
  return rep;
}

std::vector<ResilienceLine> resilience(const ir::SolvedPlan& sp, const FailOptions& opts) {
  std::vector<ResilienceLine> out;
  for (const ir::Adapter& a : sp.plan.host.adapters) {
    ir::IdSet one;
    one.set(a.id);
    out.push_back({a.id, simulateFailure(sp, one, ir::IdSet{}, opts)});
  }
  return out;
}

}  // namespace apc::query
