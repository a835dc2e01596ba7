// Google Benchmark of the solver's worst cases (issue 10, item 3: "no plan
// runs longer than 10 s before an answer"): the plans that exhaust the
// search, replicated so that per-component budgets would multiply, cliques,
// and tight tilings only a search places. The CPU time of each is what the
// solve's budgets (solver/budget.h) are worth in seconds on this machine.
#include <benchmark/benchmark.h>

#include <functional>
#include <string>

#include "bench/family_plans.h"
#include "solver/checker/checker.h"
#include "solver/decide/decide.h"
#include "solver/exact.h"
#include "solver/greedy.h"
#include "solver/local_search.h"
#include "solver/model.h"
#include "solver/solve.h"

namespace {

using apc::bench::Side;
using apc::solver::SolveStatus;

struct Case {
  std::function<apc::ir::Plan()> make;
  bool feasible;  // known answer (false: infeasible, or beyond the budget)
};

void BM_Worst(benchmark::State& state, Case c) {
  apc::ir::Plan plan = c.make();
  apc::solver::SolveResult last;
  for (auto _ : state) {
    apc::ir::DiagEngine diags;
    last = apc::solver::solve(plan, {}, diags);
    benchmark::DoNotOptimize(last);
  }
  state.counters["guests"] = static_cast<double>(plan.guests.size());
  state.counters["components"] = last.stats.components;
  // What the solve spent from each pool (solver/budget.h), in millions.
  state.counters["greedy_M"] = static_cast<double>(last.stats.greedyWork) / 1e6;
  state.counters["decide_M"] = static_cast<double>(last.stats.decideWork) / 1e6;
  state.counters["local_M"] = static_cast<double>(last.stats.localSearchWork) / 1e6;
  state.counters["z3_rlimit_M"] = static_cast<double>(last.stats.z3Rlimit) / 1e6;
  state.counters["z3_conflicts_k"] = static_cast<double>(last.stats.z3Conflicts) / 1e3;
  switch (last.status) {
    case SolveStatus::Solved:
      state.SetLabel(apc::checker::verify(*last.solved).empty() ? "solved, checker clean" : "CHECKER FAILED");
      break;
    case SolveStatus::Infeasible: state.SetLabel("proved infeasible"); break;
    case SolveStatus::LimitReached: state.SetLabel("E204 at the work budget"); break;
    case SolveStatus::LockedMoves: state.SetLabel("locked moves"); break;
  }
  if (c.feasible && last.status == SolveStatus::Infeasible) state.SkipWithError("wrong answer");
}

// K_18 with 17 colours where 3 guests may take any 2 adapters (as in
// bench_solver_families): the repair's case.
apc::ir::Plan looseK18() {
  apc::ir::Plan plan = apc::bench::completeGraphPlan(18, 17, Side::Adapters);
  for (unsigned k = 0; k < 3; ++k) {
    plan.guests[k * 7].adapters.kind = apc::ir::IdRequirement::Kind::Any;
    plan.guests[k * 7].adapters.count = 2;
  }
  return plan;
}

// Copies of M_k on `adapters`, the first guest of each copy on `adapters any 2`.
apc::ir::Plan looseMycielski(unsigned k, unsigned adapters, unsigned copies) {
  apc::ir::Plan plan = apc::bench::replicatedMycielskiPlan(k, adapters, copies);
  const std::size_t per = plan.guests.size() / copies;
  for (unsigned c = 0; c < copies; ++c) plan.guests[c * per].adapters.count = 2;
  return plan;
}

#define APC_WORST_CASE(name, make, feasible) \
  BENCHMARK_CAPTURE(BM_Worst, name, Case{make, feasible})->Unit(benchmark::kMillisecond)->Iterations(1)

// Ten copies of M_7 on 6 adapters (chromatic number 7): 950 guests, each
// copy beyond the search; a budget per component would pay for it ten times.
APC_WORST_CASE(mycielski7_on_6_x10, [] { return apc::bench::replicatedMycielskiPlan(7, 6, 10); }, false);
APC_WORST_CASE(mycielski7_on_6, [] { return apc::bench::mycielskiPlan(7, 6); }, false);
// Small enough for one Z3 model, where Z3's rlimit alone ran 166 s of CPU.
APC_WORST_CASE(mycielski6_on_5, [] { return apc::bench::mycielskiPlan(6, 5); }, false);
// The same with one guest on `adapters any 2`: no axis fixed for all, so
// no colouring search; one Z3 model of the whole component decides it.
APC_WORST_CASE(mycielski6_on_5_loose, [] { return looseMycielski(6, 5, 1); }, false);
APC_WORST_CASE(mycielski6_on_5_loose_x4, [] { return looseMycielski(6, 5, 4); }, false);
APC_WORST_CASE(mycielski6_on_5_x4, [] { return apc::bench::replicatedMycielskiPlan(6, 5, 4); }, false);
APC_WORST_CASE(mycielski6_on_6_x5, [] { return apc::bench::replicatedMycielskiPlan(6, 6, 5); }, true);
APC_WORST_CASE(k18_loose, looseK18, true);
APC_WORST_CASE(k16_domains_15, [] { return apc::bench::completeGraphPlan(16, 15, Side::Domains); }, true);
APC_WORST_CASE(tiles_scattered_48, [] { return apc::bench::scatteredTilingPlan(48, 4, 7); }, true);
APC_WORST_CASE(tiles_grid_128, [] { return apc::bench::tiledGridPlan(128, 128, 8, 3); }, true);

// Per-phase pricing: one phase alone on one component with its whole pool
// (BudgetTotals' defaults), the CPU time it takes to spend it. The sum over
// the phases bounds a solve (the objective's passes are bounded apart).
struct Component {
  apc::ir::Plan plan;
  apc::solver::detail::Model model;
  std::vector<apc::solver::detail::GuestSpec> specs;
  apc::solver::detail::State state;
  std::vector<std::size_t> comp;
  explicit Component(apc::ir::Plan p) : plan(std::move(p)), model(apc::solver::detail::buildModel(plan)) {
    specs = model.guests;
    state.placed.resize(plan.guests.size());
    for (std::size_t i = 0; i < specs.size(); ++i)
      if (apc::solver::detail::pruneCandidates(model, state, specs[i])) comp.push_back(i);
  }
};

enum class Phase { Greedy, Decide, LocalSearch, Z3 };

void BM_PhaseAtFullBudget(benchmark::State& state, Phase phase, std::function<apc::ir::Plan()> make,
                          std::uint64_t conflicts) {
  using namespace apc::solver;
  Component c(make());
  const BudgetTotals totals;
  std::uint64_t spent = 0;
  std::string outcome;
  for (auto _ : state) {
    detail::State st = c.state;
    SolveBudgets b(totals);
    b.caps.z3ConflictsPerCheck = conflicts;
    switch (phase) {
      case Phase::Greedy: {
        // As solve.cpp counts a pass (kGreedyPassOverhead + look-ups), and
        // without SolveOptions::greedyRestarts' cap: the pool alone.
        std::uint64_t work = 5000;
        for (std::size_t gi : c.comp) work += c.specs[gi].candA.count() * c.specs[gi].candD.count();
        auto passes = static_cast<unsigned>(totals.greedy / work);
        detail::GreedyOutcome go = detail::greedySolve(c.model, c.specs, c.comp, st, passes - 1, 1);
        spent = (go.restartsUsed + std::uint64_t{1}) * work;
        outcome = go.solved ? "solved" : "not placed";
        break;
      }
      case Phase::Decide: {
        detail::DecideOutcome d = detail::decideComponent(c.model, c.specs, c.comp, st, true, totals.decide);
        spent = d.work;
        outcome = d.status == detail::DecideOutcome::Status::Unknown ? "undecided" : "decided";
        break;
      }
      case Phase::LocalSearch: {
        detail::RepairOutcome r = detail::repairComponent(c.model, c.specs, c.comp, st, totals.localSearch, b, 1, false);
        spent = r.work;
        outcome = r.solved ? "solved" : "not placed";
        break;
      }
      case Phase::Z3: {
        detail::ExactGoal goal;
        goal.minimiseCore = false;
        detail::ExactOutcome e = detail::solveExact(c.model, c.specs, c.comp, st,
                                                    {totals.z3, b.caps.z3ConflictsPerCheck}, 1, goal);
        spent = e.rlimitSpent;
        state.counters["conflicts_k"] = static_cast<double>(e.conflicts) / 1e3;
        outcome = e.status == detail::ExactOutcome::Status::Unknown ? "unknown (limit)" : "decided";
        break;
      }
    }
    benchmark::DoNotOptimize(spent);
  }
  state.counters["spent_M"] = static_cast<double>(spent) / 1e6;
  state.SetLabel(outcome);
}

#define APC_PHASE(name, phase, make, conflicts)                                                     \
  BENCHMARK_CAPTURE(BM_PhaseAtFullBudget, name, phase, std::function<apc::ir::Plan()>(make), conflicts) \
      ->Unit(benchmark::kMillisecond)                                                              \
      ->Iterations(1)

APC_PHASE(greedy_mycielski7_on_6, Phase::Greedy, [] { return apc::bench::mycielskiPlan(7, 6); }, 0);
APC_PHASE(greedy_tiles_scattered_64, Phase::Greedy, [] { return apc::bench::scatteredTilingPlan(64, 4, 7); }, 0);
APC_PHASE(decide_mycielski7_on_6, Phase::Decide, [] { return apc::bench::mycielskiPlan(7, 6); }, 0);
APC_PHASE(local_mycielski7_on_6, Phase::LocalSearch, [] { return apc::bench::mycielskiPlan(7, 6); }, 0);
APC_PHASE(local_tiles_scattered_64, Phase::LocalSearch, [] { return apc::bench::scatteredTilingPlan(64, 4, 7); }, 0);
APC_PHASE(z3_mycielski6_on_5_loose, Phase::Z3, [] { return looseMycielski(6, 5, 1); }, 0);
APC_PHASE(z3_mycielski6_on_5_loose_conflicts, Phase::Z3, [] { return looseMycielski(6, 5, 1); },
          apc::solver::BudgetCaps{}.z3ConflictsPerCheck);

}  // namespace

BENCHMARK_MAIN();
