// Google Benchmark of the solver on the families with known answers (issue
// 10): K_9 (infeasible) and K_12 (feasible) edge colourings on both axes, and
// rings of 49 and 101 exact adapter pairs (odd: infeasible by parity). Each
// case also runs the plain pairwise Z3 model (bench/solver_pairwise.*) on
// the same plan once, with the CPU-time ratio to apc's solver.
#include <benchmark/benchmark.h>

#include <ctime>
#include <functional>

#include "bench/family_plans.h"
#include "bench/solver_pairwise.h"
#include "solver/checker/checker.h"
#include "solver/solve.h"

namespace {

using apc::bench::Side;
using apc::solver::SolveStatus;

// The same order of work as bench_solver's pairwise runs; a limit reached
// is reported as a lower bound on the ratio.
constexpr std::uint64_t kPairwiseRlimit = 100'000'000;
constexpr std::uint64_t kPairwiseMaxClauses = 2'500'000;

struct Family {
  std::function<apc::ir::Plan()> make;
  bool feasible;
};

apc::solver::SolveResult solveOnce(const apc::ir::Plan& plan) {
  apc::ir::DiagEngine diags;
  return apc::solver::solve(plan, {}, diags);
}

double cpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

void BM_Decide(benchmark::State& state, Family f) {
  apc::ir::Plan plan = f.make();
  apc::solver::SolveResult last;
  for (auto _ : state) {
    last = solveOnce(plan);
    benchmark::DoNotOptimize(last);
  }
  bool ok = f.feasible ? last.status == SolveStatus::Solved && apc::checker::verify(*last.solved).empty()
                       : last.status == SolveStatus::Infeasible;
  if (!ok) state.SkipWithError("wrong or no answer");
  state.counters["guests"] = static_cast<double>(plan.guests.size());
  state.counters["by_decide"] = last.stats.solvedByDecide;
  state.SetLabel(f.feasible ? "solved, checker clean" : "proved infeasible");
}

void BM_PairwiseZ3(benchmark::State& state, Family f) {
  apc::ir::Plan plan = f.make();
  apc::bench::PairwiseOutcome last;
  double pairwiseSec = 0;
  for (auto _ : state) {
    double t0 = cpuSeconds();
    last = apc::bench::solvePairwise(plan, kPairwiseRlimit, kPairwiseMaxClauses);
    pairwiseSec += cpuSeconds() - t0;
    benchmark::DoNotOptimize(last);
  }
  pairwiseSec /= static_cast<double>(state.iterations());
  constexpr int kOurs = 3;
  double t0 = cpuSeconds();
  for (int i = 0; i < kOurs; ++i) benchmark::DoNotOptimize(solveOnce(plan));
  double oursSec = (cpuSeconds() - t0) / kOurs;
  using S = apc::bench::PairwiseOutcome::Status;
  if (last.status == S::Sat || last.status == S::Unsat) state.counters["ratio_vs_apc"] = pairwiseSec / oursSec;
  if (last.status == S::LimitReached) state.counters["ratio_vs_apc_at_least"] = pairwiseSec / oursSec;
  state.counters["apc_ms"] = oursSec * 1000;
  state.SetLabel(last.label());
}

#define APC_FAMILY_CASE(name, make, feasible)                                                  \
  BENCHMARK_CAPTURE(BM_Decide, name, Family{make, feasible})->Unit(benchmark::kMillisecond); \
  BENCHMARK_CAPTURE(BM_PairwiseZ3, name, Family{make, feasible})->Unit(benchmark::kMillisecond)->Iterations(1)

APC_FAMILY_CASE(k9_adapters, [] { return apc::bench::completeGraphPlan(9, 8, Side::Adapters); }, false);
APC_FAMILY_CASE(k9_domains, [] { return apc::bench::completeGraphPlan(9, 8, Side::Domains); }, false);
APC_FAMILY_CASE(k12_adapters, [] { return apc::bench::completeGraphPlan(12, 11, Side::Adapters); }, true);
APC_FAMILY_CASE(k12_domains, [] { return apc::bench::completeGraphPlan(12, 11, Side::Domains); }, true);
APC_FAMILY_CASE(ring49, [] { return apc::bench::ringPlan(49); }, false);
APC_FAMILY_CASE(ring101, [] { return apc::bench::ringPlan(101); }, false);
APC_FAMILY_CASE(ring100, [] { return apc::bench::ringPlan(100); }, true);

}  // namespace

BENCHMARK_MAIN();
