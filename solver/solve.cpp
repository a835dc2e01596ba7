// The solver's pipeline: canonical order, fixed guests (pinned, explicit,
// kept from the lock), candidate pruning, counting prechecks, conflict
// components, then greedy with restarts and Z3 on the small hard ones.
// Guests that keep their lock only give way when a component cannot be solved.
#include <algorithm>
#include <map>
#include <numeric>

#include "compiler/ir/internal_error.h"
#include "solver/components.h"
#include "solver/decide/decide.h"
#include "solver/exact.h"
#include "solver/explain.h"
#include "solver/greedy.h"
#include "solver/host_masks.h"
#include "solver/local_search.h"
#include "solver/model.h"
#include "solver/objective.h"
#include "solver/precheck.h"
#include "solver/solve.h"

namespace apc::solver {

using namespace detail;

namespace {

// Small components get this many restarts before Z3 is asked (Z3 also proves
// infeasibility, which the greedy never can), and the rest if Z3 gives up.
// Every restart is charged to the solve's greedy pool (budget.h); the first
// pass of each component always runs, so a component met after the pool ran
// dry still gets its one linear attempt.
constexpr unsigned kRestartsBeforeExact = 64;
// What one greedy pass costs beyond its look-ups (copying the state, the
// order), in look-up units: a pass over Mycielski M_7's 95 guests (570
// look-ups) took about 40 us of CPU, some 5000 look-ups' worth
// (bench_solver_worst, BM_PhaseAtFullBudget/greedy_*).
constexpr std::uint64_t kGreedyPassOverhead = 5000;

// E204's note when a pool of the whole solve ran dry.
std::string budgetNote(const SolveBudgets& b) {
  std::string dry = b.exhaustedText();
  if (dry.empty()) return {};
  return "the whole solve's work budget for " + dry + " is spent, over all its components";
}

struct Attempt {
  ir::DiagEngine diags;
  SolveStatus status = SolveStatus::Solved;
  State state;
  std::vector<std::size_t> blame;  // guests whose failure ended the attempt
  SolveStats stats;
};

bool hitsHostCrossProduct(const Model& m, const Placement& p) {
  if (m.plan->host.interface != ir::Interface::Modern) return false;
  return (p.adapters & m.reservedAdapters).any() && (p.domains & m.reservedDomains).any();
}

void reportCrossProduct(const Model& m, const GuestSpec& g, ir::DiagEngine& diags) {
  const ir::Plan& plan = *m.plan;
  std::vector<std::string> queues;
  forEachId(g.fixed->adapters & m.reservedAdapters, [&](unsigned a) {
    forEachId(g.fixed->domains & m.reservedDomains, [&](unsigned d) {
      if (!plan.host.reservedQueues.contains(a, d)) queues.push_back(ir::formatQueue(a, d));
    });
  });
  ir::Diagnostic& d = diags.error(
      ir::DiagCode::HostMasksImpossible, plan.host.reserve.front().range,
      "no apmask x aqmask keeps every reserved queue and releases guest " + plan.guests[g.index].name +
          "'s queues " + joinNames(queues, 8) + ": with interface modern the host keeps adapters " +
          ir::formatIdList(m.reservedAdapters) + " x domains " + ir::formatIdList(m.reservedDomains) + " whole");
  for (std::size_t i = 1; i < plan.host.reserve.size(); ++i) ir::addNote(d, plan.host.reserve[i].range, "reserved here");
  ir::addNote(d, plan.guests[g.index].range, plan.guests[g.index].name + " asks for " +
                                                 describeRequirement(plan.guests[g.index]));
}

Attempt runAttempt(const Model& m, const SolveOptions& opts, const std::vector<std::size_t>& byName,
                   SolveBudgets& budgets) {
  Attempt at;
  const std::size_t n = m.guests.size();
  at.state.placed.resize(n);
  for (std::size_t gi : byName) {
    const GuestSpec& g = m.guests[gi];
    if (!g.fixed) continue;
    if (g.fixedBy != GuestSpec::FixedBy::Lock && hitsHostCrossProduct(m, *g.fixed) &&
        !m.plan->host.reserve.empty()) {
      reportCrossProduct(m, g, at.diags);
      at.status = SolveStatus::Infeasible;
      at.blame.push_back(gi);
      continue;
    }
    if (!compatible(m, at.state, g, *g.fixed)) {
      reportFixedClash(m, at.state, g, at.diags);
      at.status = SolveStatus::Infeasible;
      at.blame.push_back(gi);
      continue;
    }
    at.state.place(g, *g.fixed, m.denyForeign);
  }
  if (at.status != SolveStatus::Solved) return at;

  std::vector<GuestSpec> specs = m.guests;
  std::vector<std::size_t> open;
  for (std::size_t gi : byName) {
    if (specs[gi].fixed) continue;
    if (!pruneCandidates(m, at.state, specs[gi])) {
      reportStuckGuest(m, m.guests[gi], at.state, at.diags);
      at.status = SolveStatus::Infeasible;
      at.blame.push_back(gi);
    }
    open.push_back(gi);
  }
  if (at.status != SolveStatus::Solved) return at;

  if (auto sf = opts.countingPrechecks ? countingPrecheck(m, specs, open, at.state) : std::nullopt) {
    reportShortfall(m, *sf, at.diags);
    at.status = SolveStatus::Infeasible;
    at.blame = sf->guests;
    return at;
  }

  std::vector<std::size_t> rank(n);
  for (std::size_t i = 0; i < n; ++i) rank[byName[i]] = i;
  auto comps = conflictComponents(m, specs, open, rank);
  at.stats.components = static_cast<unsigned>(comps.size());
  bool limit = false, infeasible = false;
  for (const auto& comp : comps) {
    std::uint64_t work = kGreedyPassOverhead;
    for (std::size_t gi : comp) work += specs[gi].candA.count() * specs[gi].candD.count();
    // Restarts after the first pass that this component may take from the pool.
    unsigned budget = static_cast<unsigned>(
        std::min<std::uint64_t>(opts.greedyRestarts, budgets.greedy.grant(budgets.caps.greedyPerComponent) / work));
    bool canExact = modelable(specs, comp);
    unsigned first = std::min(budget, kRestartsBeforeExact);
    GreedyOutcome go = greedySolve(m, specs, comp, at.state, first, opts.seed);
    at.stats.greedyRestarts += go.restartsUsed;
    budgets.greedy.charge((go.restartsUsed + std::uint64_t{1}) * work);
    if (go.solved) {
      ++at.stats.solvedByGreedy;
      continue;
    }
    // A definite answer for components of any size (solver/decide/).
    DecideOutcome dec = decideComponent(m, specs, comp, at.state, opts.countingPrechecks,
                                        budgets.decide.grant(budgets.caps.decidePerComponent));
    budgets.decide.charge(dec.work);
    if (dec.status == DecideOutcome::Status::Solved) {
      ++at.stats.solvedByDecide;
      continue;
    }
    if (dec.status == DecideOutcome::Status::Infeasible) {
      reportDecided(m, dec, at.diags);
      at.blame.insert(at.blame.end(), dec.reason->guests.begin(), dec.reason->guests.end());
      infeasible = true;
      continue;
    }
    // Repair around the greedy's failure: min-conflicts, then (when the
    // component is too big for one Z3 model) Z3 on subproblems around the
    // guests left. Before the whole-component model: cheap when it works.
    // A component Z3 can take whole gets a sixteenth of the search budget,
    // so small infeasible ones reach their proof quickly.
    const std::uint64_t lsCap = budgets.caps.localSearchPerComponent;
    RepairOutcome rep = repairComponent(m, specs, comp, at.state, budgets.localSearch.grant(canExact ? lsCap / 16 : lsCap),
                                        budgets, opts.seed, !canExact);
    if (rep.solved) {
      ++at.stats.solvedByRepair;
      continue;
    }
    if (!dec.searched && rep.mostPlaced > 0) {
      dec.searched = true;
      dec.searchedBy = "the local search";
      dec.mostPlaced = rep.mostPlaced;
      dec.unplaced = rep.unplaced;
      dec.subproblems = rep.subproblems;
    }
    if (canExact && !budgets.z3.exhausted() && !budgets.z3Conflicts.exhausted()) {
      ExactOutcome ex = solveExact(m, specs, comp, at.state, z3Grant(budgets, true), opts.seed);
      chargeZ3(budgets, ex);
      if (ex.status == ExactOutcome::Status::Solved) {
        ++at.stats.solvedByZ3;
        continue;
      }
      if (ex.status == ExactOutcome::Status::Infeasible) {
        reportCore(m, specs, at.state, ex.core, at.diags);
        for (const PlanElement& e : ex.core)
          if (e.kind == PlanElement::Kind::Guest) at.blame.push_back(e.id);
        infeasible = true;
        continue;
      }
    }
    // The rest of this component's restarts, as far as the pool still holds them.
    const std::uint64_t afford = budgets.greedy.left() / work;  // passes the pool still pays for
    if (budget > first && afford > 0) {
      const auto more = static_cast<unsigned>(std::min<std::uint64_t>(budget - first - 1, afford - 1));
      go = greedySolve(m, specs, comp, at.state, more, opts.seed + 1);
      at.stats.greedyRestarts += go.restartsUsed;
      budgets.greedy.charge((go.restartsUsed + std::uint64_t{1}) * work);
      if (go.solved) {
        ++at.stats.solvedByGreedy;
        continue;
      }
    }
    dec.budgetNote = budgetNote(budgets);
    if (dec.searched) reportUndecided(m, comp, dec, at.diags);
    else reportLimit(m, comp, go.hardest, at.diags, dec.budgetNote);
    at.blame.insert(at.blame.end(), comp.begin(), comp.end());
    limit = true;
  }
  if (infeasible) at.status = SolveStatus::Infeasible;
  else if (limit) at.status = SolveStatus::LimitReached;
  return at;
}

// Locked guests that stand in the way of `blame`: they hold queues inside a
// blamed guest's candidate area, or an adapter a blamed guest's apart partner could use.
std::vector<std::size_t> lockedInTheWay(const Model& m, const std::vector<std::size_t>& blame) {
  IdSet as, ds;
  for (std::size_t b : blame) {
    as |= m.guests[b].candA;
    ds |= m.guests[b].candD | m.guests[b].extraControl;
  }
  std::vector<std::size_t> out;
  for (const GuestSpec& g : m.guests) {
    if (g.fixedBy != GuestSpec::FixedBy::Lock) continue;
    bool touches = (g.fixed->adapters & as).any() &&
                   ((g.fixed->domains & ds).any() || m.maxPerAdapter || !g.apart.empty() ||
                    (g.extraControl & ds).any());
    if (touches) out.push_back(g.index);
  }
  return out;
}

void release(Model& m, const std::vector<std::size_t>& guests) {
  for (std::size_t gi : guests) {
    GuestSpec& g = m.guests[gi];
    if (g.fixedBy != GuestSpec::FixedBy::Lock) continue;
    g.preferred = g.fixed;
    g.fixed.reset();
    g.fixedBy = GuestSpec::FixedBy::None;
  }
}

std::string matrixText(const IdSet& a, const IdSet& d) {
  return "adapters " + ir::formatIdList(a) + " x domains " + ir::formatIdList(d);
}

// How many guests with a still-valid lock move, and whether that is proved
// to be the fewest (a note on the last W209).
std::string moveBoundText(const ObjectiveValues& o) {
  std::string text = std::to_string(o.moved) + (o.moved == 1 ? " guest leaves its" : " guests leave their") +
                     " still-valid locked matrix; ";
  return text + (o.movedLowerBound == o.moved ? "no allocation moves fewer (proved)"
                                              : "proved: at least " + std::to_string(o.movedLowerBound) + " must");
}

// Where a guest's uuid came from, for the note when two guests end up with
// the same one.
std::string uuidSource(const ir::Plan& plan, const SolveOptions& opts,
                       const std::vector<const LockedGuest*>& lockOf, std::size_t i) {
  const std::string who = "'" + plan.guests[i].name + "'";
  if (plan.guests[i].uuid) return "the plan gives it to " + who;
  if (i < opts.pinned.size() && opts.pinned[i] && !opts.pinned[i]->uuid.empty()) return who + " keeps it from its pin";
  if (lockOf[i] && !lockOf[i]->uuid.empty()) return "the lock gives it to " + who;
  return "apc derives it for " + who + " from host '" + plan.host.name + "' and the guest's name";
}

// The front end rejects two equal explicit uuids (E117), but an explicit uuid
// can also equal the one another guest gets from the lock, a pin or the
// name-based derivation. Two mdevs cannot share a uuid, so that is an error
// in the plan, reported at the explicit uuid: never a checker failure.
bool uuidsDistinct(const ir::Plan& plan, const ir::SolvedPlan& solved, const SolveOptions& opts,
                   const std::vector<const LockedGuest*>& lockOf, ir::DiagEngine& diags) {
  std::map<std::string, std::size_t> owner;
  bool ok = true;
  for (std::size_t i = 0; i < solved.alloc.size(); ++i) {
    auto [it, fresh] = owner.emplace(solved.alloc[i].uuid, i);
    if (fresh) continue;
    ok = false;
    std::size_t first = it->second, second = i;
    if (!plan.guests[second].uuid && plan.guests[first].uuid) std::swap(first, second);
    const ir::Guest& g = plan.guests[second];
    const ir::Guest& f = plan.guests[first];
    ir::Diagnostic& d = diags.error(ir::DiagCode::DuplicateUuid, g.uuid ? g.uuidRange : g.range,
                                    "guests '" + g.name + "' and '" + f.name + "' would share uuid " +
                                        solved.alloc[i].uuid + "; " + uuidSource(plan, opts, lockOf, second));
    ir::addNote(d, f.uuid ? f.uuidRange : f.range,
                uuidSource(plan, opts, lockOf, first) + "; give one of the two another uuid");
  }
  return ok;
}

}  // namespace

SolveResult solve(const ir::Plan& plan, const SolveOptions& opts, ir::DiagEngine& diags) {
  SolveResult res;
  Model m = buildModel(plan);
  const std::size_t n = plan.guests.size();
  // Canonical order: by name, so the declaration order never changes the answer.
  std::vector<std::size_t> byName(n);
  std::iota(byName.begin(), byName.end(), 0);
  std::sort(byName.begin(), byName.end(),
            [&](std::size_t a, std::size_t b) { return plan.guests[a].name < plan.guests[b].name; });

  warnForcedHostQueues(plan, diags);

  for (std::size_t i = 0; i < n && i < opts.pinned.size(); ++i) {
    if (!opts.pinned[i]) continue;
    m.guests[i].fixed = Placement{opts.pinned[i]->adapters, opts.pinned[i]->domains};
    m.guests[i].fixedBy = GuestSpec::FixedBy::Pinned;
  }

  // Lock: keep each still-valid locked matrix that fits beside the guests
  // already kept (name order); the others are tried first by the greedy.
  std::vector<const LockedGuest*> lockOf(n, nullptr);
  if (opts.lock) {
    State probe;
    probe.placed.resize(n);
    for (std::size_t gi : byName)
      if (m.guests[gi].fixed) probe.place(m.guests[gi], *m.guests[gi].fixed, m.denyForeign);
    for (std::size_t gi : byName) {
      lockOf[gi] = opts.lock->find(plan.guests[gi].name);
      GuestSpec& g = m.guests[gi];
      if (!lockOf[gi] || g.fixed) continue;
      Placement p{lockOf[gi]->adapters, lockOf[gi]->domains};
      if (!meetsRequirement(m, g, p)) continue;
      if (compatible(m, probe, g, p)) {
        g.fixed = p;
        g.fixedBy = GuestSpec::FixedBy::Lock;
        probe.place(g, p, m.denyForeign);
      } else {
        g.preferred = p;
      }
    }
  }

  // One set of pools for the whole solve (budget.h). While locked guests
  // are kept, an attempt may give way to a re-attempt, so it gets half of
  // what is left and the re-attempts the rest; the last takes all that remains.
  BudgetTotals totals = opts.budget;
  totals.caps.z3PerCheck = opts.z3ResourceLimit;
  SolveBudgets budgets(totals);
  auto anyKept = [&] {
    return std::any_of(m.guests.begin(), m.guests.end(),
                       [](const GuestSpec& g) { return g.fixedBy == GuestSpec::FixedBy::Lock; });
  };
  auto attempt = [&](bool lastChance) {
    SolveBudgets part = lastChance ? budgets.portion(1, 1) : budgets.portion(1, 2);
    Attempt a = runAttempt(m, opts, byName, part);
    budgets.absorb(part);
    return a;
  };
  Attempt at = attempt(!anyKept());
  // Give way step by step: first the locked guests in the way, then all.
  for (int round = 0; round < 2 && at.status != SolveStatus::Solved; ++round) {
    std::vector<std::size_t> way = round == 0 ? lockedInTheWay(m, at.blame) : std::vector<std::size_t>{};
    if (round == 1)
      for (const GuestSpec& g : m.guests)
        if (g.fixedBy == GuestSpec::FixedBy::Lock) way.push_back(g.index);
    if (way.empty()) continue;
    release(m, way);
    at = attempt(!anyKept());
  }
  res.stats = at.stats;
  auto recordSpend = [&] {
    res.stats.greedyWork = budgets.greedy.spent();
    res.stats.decideWork = budgets.decide.spent();
    res.stats.localSearchWork = budgets.localSearch.spent();
    res.stats.z3Rlimit = budgets.z3.spent();
    res.stats.z3Conflicts = budgets.z3Conflicts.spent();
    res.stats.budgetExhausted = !budgets.exhaustedText().empty();
  };
  recordSpend();
  for (const ir::Diagnostic& d : at.diags.all()) diags.report(d);
  if (at.status != SolveStatus::Solved) {
    res.status = at.status;
    return res;
  }

  // The objective among valid allocations: fewest moves, then spread or pack.
  {
    std::vector<std::optional<Placement>> locked(n);
    std::vector<std::optional<Placement>> outgrown(n);
    for (std::size_t gi = 0; gi < n; ++gi) {
      const GuestSpec& g = m.guests[gi];
      if (!lockOf[gi] || g.fixedBy == GuestSpec::FixedBy::Pinned || g.fixedBy == GuestSpec::FixedBy::Explicit) continue;
      Placement p{lockOf[gi]->adapters, lockOf[gi]->domains};
      if (meetsRequirement(m, g, p)) locked[gi] = p;
      else outgrown[gi] = p;
    }
    ObjectiveLimits limits;
    limits.budgets = &budgets;
    limits.seed = opts.seed;
    ObjectiveReport rep = optimise(m, locked, outgrown, byName, plan.policy.placement, limits, at.state);
    res.objective.moved = rep.moved;
    res.objective.movedLowerBound = rep.movedLowerBound;
    res.objective.blastRadius = rep.blastRadius;
    res.objective.blastRadiusLowerBound = rep.blastRadiusLowerBound;
    res.objective.exact = rep.exact;
    recordSpend();
  }

  ir::SolvedPlan solved;
  solved.plan = plan;
  solved.alloc.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Placement& p = *at.state.placed[i];
    ir::GuestAllocation& a = solved.alloc[i];
    a.adapters = p.adapters;
    a.domains = p.domains;
    a.controlDomains = p.domains | plan.guests[i].extraControlDomains;
    if (plan.guests[i].uuid) a.uuid = *plan.guests[i].uuid;
    else if (i < opts.pinned.size() && opts.pinned[i] && !opts.pinned[i]->uuid.empty()) a.uuid = opts.pinned[i]->uuid;
    else if (lockOf[i] && !lockOf[i]->uuid.empty()) a.uuid = lockOf[i]->uuid;
    else a.uuid = deriveUuid(plan.host.name, plan.guests[i].name);
  }
  if (!uuidsDistinct(plan, solved, opts, lockOf, diags)) {
    res.status = SolveStatus::Infeasible;
    return res;
  }

  // Self-check on the finished allocation (the independent checker runs
  // again in the driver): a failure here is a solver bug, never user error.
  {
    State check;
    check.placed.resize(n);
    for (std::size_t gi : byName) {
      const GuestSpec& g = m.guests[gi];
      Placement p{solved.alloc[gi].adapters, solved.alloc[gi].domains};
      bool pinned = g.fixedBy == GuestSpec::FixedBy::Pinned;
      APC_BUG_CHECK(pinned || meetsRequirement(m, g, p), "solver placed " + plan.guests[gi].name + " outside its requirement");
      APC_BUG_CHECK(compatible(m, check, g, p), "solver placed " + plan.guests[gi].name + " on a taken queue");
      check.place(g, p, m.denyForeign);
    }
  }

  if (!computeHostMasks(solved, diags)) {
    res.status = SolveStatus::Infeasible;
    return res;
  }

  std::size_t lastMoved = n;
  for (std::size_t gi : byName)
    if (lockOf[gi] && (solved.alloc[gi].adapters != lockOf[gi]->adapters || solved.alloc[gi].domains != lockOf[gi]->domains))
      lastMoved = gi;
  for (std::size_t gi : byName) {
    if (!lockOf[gi]) continue;
    const ir::GuestAllocation& a = solved.alloc[gi];
    if (a.adapters == lockOf[gi]->adapters && a.domains == lockOf[gi]->domains) {
      ++res.stats.keptFromLock;
      continue;
    }
    std::string from = matrixText(lockOf[gi]->adapters, lockOf[gi]->domains);
    std::string to = matrixText(a.adapters, a.domains);
    // Pure growth: every locked queue stays the guest's, so nobody loses one.
    const bool grows = (lockOf[gi]->adapters & ~a.adapters).none() && (lockOf[gi]->domains & ~a.domains).none();
    if (grows) {
      diags.warning(ir::DiagCode::GuestMoved, plan.guests[gi].range,
                    "guest " + plan.guests[gi].name + " grows from its locked " + from + " to " + to +
                        " (it keeps every locked queue)");
      continue;
    }
    res.moved.push_back(plan.guests[gi].name);
    std::string message = "guest " + plan.guests[gi].name + (opts.locked ? " would move" : " moves") +
                          " from its locked " + from + " to " + to;
    std::vector<ir::DiagNote> notes;
    detail::explainMove(m, solved, gi, {lockOf[gi]->adapters, lockOf[gi]->domains}, message, notes);
    ir::Diagnostic& d = opts.locked ? diags.error(ir::DiagCode::LockedWouldMove, plan.guests[gi].range, message)
                                    : diags.warning(ir::DiagCode::GuestMoved, plan.guests[gi].range, message);
    for (const ir::DiagNote& note : notes) ir::addNote(d, note.range, note.message);
    if (!opts.locked && gi == lastMoved && res.objective.moved > 0) ir::addNote(d, d.range, moveBoundText(res.objective));
  }
  if (opts.locked && !res.moved.empty()) {
    res.status = SolveStatus::LockedMoves;
    return res;
  }
  res.status = SolveStatus::Solved;
  res.solved = std::move(solved);
  return res;
}

}  // namespace apc::solver
