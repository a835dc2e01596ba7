// Google Benchmark of the capacity queries on the plan generator's presets.
// Targets (issue 6): fit with existing guests fixed on Medium < 10 ms; fit
// and resilience on Large (64 adapters) < 5 s each. Counters report the
// answer too (count, bound, optimal, solver calls) so a faster but worse
// answer shows.
#include <benchmark/benchmark.h>

#include "bench/plan_generator.h"
#include "solver/query/fail.h"
#include "solver/query/fit.h"
#include "solver/solve.h"

namespace {

using apc::bench::Preset;

apc::ir::SolvedPlan solved(Preset p) {
  apc::ir::DiagEngine diags;
  apc::solver::SolveResult r = apc::solver::solve(apc::bench::generatePlan(p), {}, diags);
  if (!r.solved) throw std::runtime_error("the preset did not solve");
  return *r.solved;
}

// `adapters any A; domains any D;` with no filters.
apc::ir::Guest shape(unsigned a, unsigned d) {
  apc::ir::Guest g;
  g.name = "shape";
  g.adapters.kind = apc::ir::IdRequirement::Kind::Any;
  g.adapters.count = a;
  g.adapters.present = true;
  g.domains.kind = apc::ir::IdRequirement::Kind::Any;
  g.domains.count = d;
  g.domains.present = true;
  return g;
}

void BM_Fit(benchmark::State& state, Preset preset, unsigned a, unsigned d, bool moves) {
  apc::ir::SolvedPlan sp = solved(preset);
  apc::ir::Guest s = shape(a, d);
  apc::query::FitOptions opts;
  opts.allowMoves = moves;
  apc::query::FitResult r;
  for (auto _ : state) {
    r = apc::query::fit(sp, s, opts);
    benchmark::DoNotOptimize(r.count);
  }
  state.counters["guests"] = static_cast<double>(sp.plan.guests.size());
  state.counters["count"] = r.count;
  state.counters["bound"] = r.upperBound;
  state.counters["optimal"] = r.optimal ? 1 : 0;
  state.counters["solver_calls"] = r.solverCalls;
  if (moves) state.counters["pinned_count"] = r.pinnedCount;
}

void BM_Resilience(benchmark::State& state, Preset preset) {
  apc::ir::SolvedPlan sp = solved(preset);
  std::vector<apc::query::ResilienceLine> lines;
  for (auto _ : state) {
    lines = apc::query::resilience(sp);
    benchmark::DoNotOptimize(lines.size());
  }
  unsigned recoverable = 0, impossible = 0, unknown = 0;
  for (const auto& l : lines) {
    recoverable += l.report.recovery == apc::query::Recovery::Recoverable ||
                   l.report.recovery == apc::query::Recovery::NotNeeded;
    impossible += l.report.recovery == apc::query::Recovery::Impossible;
    unknown += l.report.recovery == apc::query::Recovery::Unknown;
  }
  state.counters["adapters"] = static_cast<double>(lines.size());
  state.counters["recoverable"] = recoverable;
  state.counters["impossible"] = impossible;
  state.counters["unknown"] = unknown;
}

BENCHMARK_CAPTURE(BM_Fit, medium_2x1_pinned, Preset::Medium, 2, 1, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Fit, medium_2x2_pinned, Preset::Medium, 2, 2, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Fit, large_2x1_pinned, Preset::Large, 2, 1, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Fit, large_2x2_pinned, Preset::Large, 2, 2, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Fit, medium_2x1_moves, Preset::Medium, 2, 1, true)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(BM_Resilience, large, Preset::Large)->Unit(benchmark::kMillisecond)->Iterations(1);
BENCHMARK_CAPTURE(BM_Resilience, medium, Preset::Medium)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
