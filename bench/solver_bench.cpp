// Google Benchmark of the solver on every case of the table, and of
// the plain pairwise Z3 encoding on the same instances. Counters: guests,
// peak RSS of the process (ru_maxrss, MiB: run one case per process for a
// per-case figure), and for the pairwise runs the time ratio to apc's solver.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <ctime>

#include "bench/plan_generator.h"
#include "bench/solver_pairwise.h"
#include "solver/checker/checker.h"
#include "solver/lock.h"
#include "solver/solve.h"

namespace {

using apc::bench::Preset;
using apc::solver::SolveStatus;

constexpr std::uint64_t kPairwiseRlimit = 100'000'000;
// Past this the pairwise model alone needs several GiB (tight: 6.3M clauses,
// 4.5 GiB peak, measured once): the bench reports it as not built instead.
constexpr std::uint64_t kPairwiseMaxClauses = 2'500'000;

double peakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // Linux: KiB
}

bool expectFeasible(Preset p) { return p != Preset::InfeasibleByOne && p != Preset::InfeasibleIdentical; }

apc::solver::SolveResult solveOnce(const apc::ir::Plan& plan, bool prechecks = true) {
  apc::ir::DiagEngine diags;
  apc::solver::SolveOptions opts;
  opts.countingPrechecks = prechecks;
  return apc::solver::solve(plan, opts, diags);
}

// `prechecks` false: the search alone (greedy and Z3), to show what the
// counting prechecks save on the infeasible cases.
void BM_Solve(benchmark::State& state, Preset preset, bool prechecks) {
  apc::ir::Plan plan = apc::bench::generatePlan(preset);
  apc::solver::SolveResult last;
  for (auto _ : state) {
    last = solveOnce(plan, prechecks);
    benchmark::DoNotOptimize(last);
  }
  bool ok = expectFeasible(preset) ? last.status == SolveStatus::Solved && apc::checker::verify(*last.solved).empty()
                                   : last.status == SolveStatus::Infeasible;
  if (!ok) state.SkipWithError("unexpected solver answer");
  state.counters["guests"] = static_cast<double>(plan.guests.size());
  state.counters["components"] = last.stats.components;
  state.counters["peak_rss_MiB"] = peakRssMiB();
  state.SetLabel(expectFeasible(preset) ? "solved, checker clean" : "proved infeasible");
}

double cpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

// One iteration only: the pairwise model can take minutes. The ratio uses
// process CPU time on both sides (the machine is shared; wall time is not).
void BM_Pairwise(benchmark::State& state, Preset preset) {
  apc::ir::Plan plan = apc::bench::generatePlan(preset);
  apc::bench::PairwiseOutcome last;
  double pairwiseSec = 0;
  for (auto _ : state) {
    double t0 = cpuSeconds();
    last = apc::bench::solvePairwise(plan, kPairwiseRlimit, kPairwiseMaxClauses);
    pairwiseSec += cpuSeconds() - t0;
    benchmark::DoNotOptimize(last);
  }
  pairwiseSec /= static_cast<double>(state.iterations());
  constexpr int kOurs = 5;
  double t0 = cpuSeconds();
  for (int i = 0; i < kOurs; ++i) benchmark::DoNotOptimize(solveOnce(plan));
  double oursSec = (cpuSeconds() - t0) / kOurs;
  state.counters["guests"] = static_cast<double>(plan.guests.size());
  state.counters["pairwise_clauses"] = static_cast<double>(last.clauses);
  using S = apc::bench::PairwiseOutcome::Status;
  // Finished: the plain ratio. Stopped by the rlimit: a lower bound. Not built: none.
  if (last.status == S::Sat || last.status == S::Unsat) state.counters["ratio_vs_apc"] = pairwiseSec / oursSec;
  if (last.status == S::LimitReached) state.counters["ratio_vs_apc_at_least"] = pairwiseSec / oursSec;
  state.counters["peak_rss_MiB"] = peakRssMiB();
  state.SetLabel(last.label());
}

// The objective: the same presets solved with `placement spread` and
// `placement pack`. Counters: guests on the busiest adapter (blast radius)
// and its lower bound ceil(guest-adapter slots / adapters in the inventory).
void BM_Placement(benchmark::State& state, Preset preset, apc::ir::PlacementGoal goal) {
  apc::ir::Plan plan = apc::bench::generatePlan(preset);
  plan.policy.placement = goal;
  apc::solver::SolveResult last;
  for (auto _ : state) {
    last = solveOnce(plan);
    benchmark::DoNotOptimize(last);
  }
  if (last.status != SolveStatus::Solved || !apc::checker::verify(*last.solved).empty()) {
    state.SkipWithError("unexpected solver answer");
    return;
  }
  std::vector<unsigned> load(apc::ir::kMaxIds, 0);
  std::uint64_t slots = 0;
  unsigned used = 0;
  for (const apc::ir::GuestAllocation& a : last.solved->alloc)
    for (unsigned ad : apc::ir::toVector(a.adapters)) used += load[ad]++ == 0, ++slots;
  const std::uint64_t adapters = plan.host.adapters.size();
  state.counters["guests"] = static_cast<double>(plan.guests.size());
  state.counters["blast_radius"] = last.objective.blastRadius;
  state.counters["blast_lower_bound"] = static_cast<double>(adapters ? (slots + adapters - 1) / adapters : 0);
  state.counters["blast_proved_bound"] = last.objective.blastRadiusLowerBound;
  state.counters["adapters_used"] = used;
}

// Minimal moves: a lock from a first solve, then one guest grows by a domain
// (the first `any` guest in name order that can); the re-solve keeps the
// rest in place. Counters: moved guests and the proved lower bound.
void BM_GrowOneLocked(benchmark::State& state, Preset preset) {
  apc::ir::Plan plan = apc::bench::generatePlan(preset);
  apc::solver::SolveResult first = solveOnce(plan);
  if (!first.solved) {
    state.SkipWithError("first solve failed");
    return;
  }
  std::string err;
  std::optional<apc::solver::Lock> lock =
      apc::solver::parseLock(apc::solver::serializeLock(*first.solved, "bench"), err);
  apc::ir::Plan grown = plan;
  for (apc::ir::Guest& g : grown.guests)
    if (g.domains.kind == apc::ir::IdRequirement::Kind::Any) {
      ++g.domains.count;
      break;
    }
  apc::solver::SolveResult last;
  for (auto _ : state) {
    apc::ir::DiagEngine diags;
    apc::solver::SolveOptions opts;
    opts.lock = &*lock;
    last = apc::solver::solve(grown, opts, diags);
    benchmark::DoNotOptimize(last);
  }
  if (last.status != SolveStatus::Solved || !apc::checker::verify(*last.solved).empty()) {
    state.SkipWithError("unexpected solver answer");
    return;
  }
  state.counters["guests"] = static_cast<double>(grown.guests.size());
  state.counters["moved"] = static_cast<double>(last.moved.size());
  state.counters["moved_lower_bound"] = last.objective.movedLowerBound;
  state.counters["exact"] = last.objective.exact;
}

#define APC_PLACEMENT_CASE(name, preset)                                                                   \
  BENCHMARK_CAPTURE(BM_Placement, name##_spread, preset, apc::ir::PlacementGoal::Spread)                  \
      ->Unit(benchmark::kMillisecond);                                                                     \
  BENCHMARK_CAPTURE(BM_Placement, name##_pack, preset, apc::ir::PlacementGoal::Pack)->Unit(benchmark::kMillisecond)

APC_PLACEMENT_CASE(small, Preset::Small);
APC_PLACEMENT_CASE(medium, Preset::Medium);
APC_PLACEMENT_CASE(large, Preset::Large);
APC_PLACEMENT_CASE(huge, Preset::Huge);
APC_PLACEMENT_CASE(tight, Preset::Tight);
BENCHMARK_CAPTURE(BM_GrowOneLocked, medium, Preset::Medium)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_GrowOneLocked, tight, Preset::Tight)->Unit(benchmark::kMillisecond);

#define APC_SOLVER_CASE(name, preset)                                                        \
  BENCHMARK_CAPTURE(BM_Solve, name, preset, true)->Unit(benchmark::kMillisecond);          \
  BENCHMARK_CAPTURE(BM_Pairwise, name, preset)->Unit(benchmark::kMillisecond)->Iterations(1)

APC_SOLVER_CASE(small, Preset::Small);
APC_SOLVER_CASE(medium, Preset::Medium);
APC_SOLVER_CASE(large, Preset::Large);
APC_SOLVER_CASE(huge, Preset::Huge);
APC_SOLVER_CASE(tight, Preset::Tight);
APC_SOLVER_CASE(infeasible_by_one, Preset::InfeasibleByOne);
APC_SOLVER_CASE(infeasible_identical, Preset::InfeasibleIdentical);
BENCHMARK_CAPTURE(BM_Solve, infeasible_identical_search_only, Preset::InfeasibleIdentical, false)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
