// Emitting all artifacts (and `apc show`) for the generated plans. The
// allocation is a trivial non-overlapping one built here (guest g: one
// adapter, eight domains), so the bench measures the backends, not the solver.
#include <benchmark/benchmark.h>

#include <cstdio>

#include "backends/backend.h"
#include "bench/plan_generator.h"

namespace {

using namespace apc;

ir::SolvedPlan trivialSolved(bench::Preset preset) {
  ir::SolvedPlan s;
  s.plan = bench::generatePlan(preset, 42);
  std::vector<unsigned> adapters = ir::toVector(s.plan.host.adapterIds());
  std::vector<unsigned> domains = ir::toVector(s.plan.host.usageDomains);
  const std::size_t perAdapter = domains.size() / 8;
  std::size_t slot = 0;
  for (std::size_t g = 0; g < s.plan.guests.size(); ++g) {
    ir::GuestAllocation a;
    // Next slot of 8 usable queues on one adapter; skip slots that touch a
    // reserved or offline queue.
    for (; slot < adapters.size() * perAdapter; ++slot) {
      unsigned ad = adapters[slot / perAdapter];
      std::size_t first = (slot % perAdapter) * 8;
      bool ok = true;
      for (std::size_t k = 0; k < 8; ++k) ok = ok && s.plan.host.queueUsable(ad, domains[first + k]);
      if (!ok) continue;
      a.adapters.set(ad);
      for (std::size_t k = 0; k < 8; ++k) a.domains.set(domains[first + k]);
      ++slot;
      break;
    }
    a.controlDomains = a.domains;
    char uuid[64];
    std::snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012zx", g);
    a.uuid = uuid;
    s.alloc.push_back(a);
  }
  s.apmask.set();
  s.aqmask.set();
  for (const ir::GuestAllocation& a : s.alloc) s.apmask &= ~a.adapters;
  return s;
}

void emitAll(benchmark::State& state, bench::Preset preset) {
  ir::SolvedPlan solved = trivialSolved(preset);
  std::size_t bytes = 0, files = 0;
  for (auto _ : state) {
    bytes = files = 0;
    for (const backends::Backend& b : backends::registry())
      for (const backends::Artifact& a : b.emit(solved)) {
        bytes += a.bytes.size();
        ++files;
      }
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["guests"] = static_cast<double>(solved.plan.guests.size());
  state.counters["files"] = static_cast<double>(files);
  state.counters["MiB"] = static_cast<double>(bytes) / (1 << 20);
}

void emitOne(benchmark::State& state, std::string_view name) {
  ir::SolvedPlan solved = trivialSolved(bench::Preset::Huge);
  for (const backends::Backend& b : backends::registry()) {
    if (b.name != name) continue;
    for (auto _ : state) benchmark::DoNotOptimize(b.emit(solved));
  }
}

void show(benchmark::State& state) {
  ir::SolvedPlan solved = trivialSolved(bench::Preset::Huge);
  for (auto _ : state) benchmark::DoNotOptimize(backends::renderShow(solved));
}

}  // namespace

BENCHMARK_CAPTURE(emitAll, medium, bench::Preset::Medium)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(emitAll, huge, bench::Preset::Huge)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(emitOne, json, "json")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(emitOne, crycb, "crycb")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(emitOne, scripts, "scripts")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(emitOne, mdevctl, "mdevctl")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(emitOne, libvirt, "libvirt")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(emitOne, qemu, "qemu")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(emitOne, kmod, "kmod")->Unit(benchmark::kMillisecond);
BENCHMARK(show)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
