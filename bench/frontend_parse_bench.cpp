// Parse + check of generated plans with 10,000 and 20,000 guests (target:
// under 200 ms for 10,000 and at most 2.2x that for 20,000). Reports the
// plan's size and the process's peak RSS (getrusage ru_maxrss) as counters.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "bench/frontend_plan_text.h"
#include "compiler/frontend/frontend.h"
#include "compiler/ir/diag_printer.h"

namespace {

double peakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

void BM_ParseAndCheck(benchmark::State& state) {
  const auto guests = static_cast<unsigned>(state.range(0));
  const std::string text = apc::bench::generatePlanText(guests);
  std::size_t planGuests = 0;
  for (auto _ : state) {
    apc::ir::SourceManager sm;
    apc::ir::DiagEngine diags;
    auto plan = apc::compiler::loadPlanFromText("bench.ap", text, sm, diags);
    if (!plan) {
      state.SkipWithError(apc::ir::renderTextAll(diags.all(), sm).substr(0, 400).c_str());
      break;
    }
    planGuests = plan->guests.size();
    benchmark::DoNotOptimize(plan);
  }
  state.counters["guests"] = static_cast<double>(planGuests);
  state.counters["bytes"] = static_cast<double>(text.size());
  state.counters["peak_rss_MiB"] = peakRssMiB();
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(planGuests));
}
BENCHMARK(BM_ParseAndCheck)->Arg(10000)->Arg(20000)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_Format(benchmark::State& state) {
  const std::string text = apc::bench::generatePlanText(static_cast<unsigned>(state.range(0)));
  for (auto _ : state) {
    apc::ir::SourceManager sm;
    apc::ir::DiagEngine diags;
    auto out = apc::compiler::formatText("bench.ap", text, sm, diags);
    benchmark::DoNotOptimize(out);
  }
  state.counters["peak_rss_MiB"] = peakRssMiB();
}
BENCHMARK(BM_Format)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
