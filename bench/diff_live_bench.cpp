// `apc diff --live` on the huge preset's host (256 adapters x 256 domains,
// 1000 guests) applied in the kernel model, in memory (no FUSE): read the
// live host, parse NEW, label the mdevs, solve NEW against the live lock
// through the same pipeline `apc compile` uses, and compare. The host
// already matches the plan, so the answer must be "no change" (checked).
// Target (issue 9): under 1 s.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "bench/plan_generator.h"
#include "kmod/discover/live_host.h"
#include "kmod/model/kernel_model.h"
#include "tools/apc/diff_run.h"

namespace apc {
namespace {

namespace fs = std::filesystem;

// The model's tree as discovery reads it.
class ModelSysfs final : public kmod::SysfsView {
 public:
  explicit ModelSysfs(const kmod::KernelModel& m) : m_(m) {}
  std::optional<std::string> read(const std::string& path) const override {
    kmod::ReadResult r = m_.read(path);
    if (r.err) return std::nullopt;
    return r.data;
  }
  std::vector<std::string> list(const std::string& path) const override { return m_.list(path).names; }
  bool isDirectory(const std::string& path) const override {
    auto st = m_.stat(path);
    if (st && st->kind == kmod::NodeKind::Dir) return true;
    return !m_.list(path).err;
  }
  std::optional<std::string> linkTarget(const std::string& path) const override {
    auto st = m_.stat(path);
    if (!st || st->kind != kmod::NodeKind::Symlink) return std::nullopt;
    return st->linkTarget;
  }
  std::string describe(const std::string& path) const override { return "model:" + path; }

 private:
  const kmod::KernelModel& m_;
};

std::string hex(unsigned v) {
  char b[8];
  std::snprintf(b, sizeof b, "0x%x", v);
  return b;
}

void write(kmod::KernelModel& m, const std::string& path, const std::string& data) {
  if (int rc = m.write(path, data)) throw std::runtime_error("model write " + path + " " + data + ": errno " + std::to_string(rc));
}

// The host after apply.sh: masks, then each guest's mdev.
void apply(kmod::KernelModel& m, const ir::SolvedPlan& sp) {
  write(m, "bus/ap/aqmask", ir::formatMask(sp.aqmask));
  write(m, "bus/ap/apmask", ir::formatMask(sp.apmask));
  const std::string parent = m.matrixParent();
  for (const ir::GuestAllocation& a : sp.alloc) {
    write(m, parent + "/mdev_supported_types/vfio_ap-passthrough/create", a.uuid);
    const std::string dir = parent + "/" + a.uuid + "/";
    for (unsigned id : ir::toVector(a.adapters)) write(m, dir + "assign_adapter", hex(id));
    for (unsigned id : ir::toVector(a.domains)) write(m, dir + "assign_domain", hex(id));
    for (unsigned id : ir::toVector(a.controlDomains)) write(m, dir + "assign_control_domain", hex(id));
  }
}

void BM_DiffLiveHuge(benchmark::State& state) {
  const ir::Plan plan = bench::generatePlan(bench::Preset::Huge);
  const fs::path dir = fs::temp_directory_path() / ("apc_bench_diff_live_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string planPath = (dir / "huge.ap").string();
  std::ofstream(planPath) << bench::planToAp(plan);

  cli::Compilation compiled;
  cli::PipelineOptions co;
  co.planPath = planPath;
  co.readLock = false;
  cli::runPipeline(co, compiled);
  if (!compiled.solved) {
    state.SkipWithError("the huge plan did not compile");
    return;
  }
  kmod::KernelModel model(kmod::hostConfigFromInventory(plan.host));
  apply(model, *compiled.solved);
  ModelSysfs view(model);

  std::size_t changes = 0, mdevs = 0;
  for (auto _ : state) {
    kmod::LiveHost host;
    std::string err;
    if (!kmod::readLiveHost(view, host, err)) {
      state.SkipWithError(err.c_str());
      break;
    }
    cli::Compilation front;
    cli::PipelineOptions fo;
    fo.planPath = planPath;
    fo.solve = false;
    cli::runPipeline(fo, front);
    std::optional<cli::OldSide> old = front.plan ? cli::oldFromLiveHost(host, *front.plan, planPath, err) : std::nullopt;
    if (!old) {
      state.SkipWithError("the live host could not be labelled");
      break;
    }
    cli::DiffRun run;
    cli::PipelineOptions no;
    no.planPath = planPath;
    cli::diffAgainst(*old, no, run);
    if (!run.c.solved) {
      state.SkipWithError("NEW did not solve against the live lock");
      break;
    }
    changes = run.hostDriversDiffer + (migrate::changesMdevs(run.changes) ? 1 : 0);
    mdevs = host.mdevs.size();
    if (changes) {
      state.SkipWithError("the host matches the plan, yet the diff found a change");
      break;
    }
  }
  state.counters["mdevs"] = static_cast<double>(mdevs);
  state.counters["changes"] = static_cast<double>(changes);
  std::error_code ec;
  fs::remove_all(dir, ec);
}
BENCHMARK(BM_DiffLiveHuge)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace apc
BENCHMARK_MAIN();
