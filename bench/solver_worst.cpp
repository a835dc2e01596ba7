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

}  // namespace

BENCHMARK_MAIN();
