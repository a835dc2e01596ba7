// How fast the kernel model takes a huge apply: 1000 mdevs, each created,
// given 2 adapters, 4 domains and 5 control domains and read back (matrix,
// control_domains), after the mask writes - driven directly, and the same
// operations through a mounted `apc sim` (open/write/close per attribute).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "kmod/model/kernel_model.h"
#include "kmod/sim/sim_server.h"
#ifdef APC_HAVE_PLAN_GENERATOR
#include "bench/plan_generator.h"
#endif

namespace apc::kmod {
namespace {

constexpr unsigned kMdevs = 1000;

// The host of the huge preset (256 adapters x 256 domains).
HostConfig hugeHost() {
#ifdef APC_HAVE_PLAN_GENERATOR
  return hostConfigFromInventory(bench::generatePlan(bench::Preset::Huge).host);
#else
  HostConfig h;
  for (unsigned a = 0; a < 256; ++a) h.cards.push_back({a, 10 + a % 5, ir::CardMode::Cca, true});
  h.usageDomains.set();
  h.controlDomains.set();
  return h;
#endif
}

struct Op {
  std::string path;
  std::string data;  // empty: a read
};

// Guest i: adapters 2b, 2b+1 (b = i % 128), domains 4k..4k+3 (k = i / 128):
// disjoint matrices; control domains = usage domains + 255.
std::vector<Op> applyOps(const std::string& root) {
  std::vector<Op> ops;
  const std::string parent = root + "devices/vfio_ap/matrix";
  ops.push_back({root + "bus/ap/aqmask", "-0-31,-255\n"});
  ops.push_back({root + "bus/ap/apmask", "-0-255\n"});
  const std::string create = parent + "/mdev_supported_types/vfio_ap-passthrough/create";
  auto hex = [](unsigned v) {
    char b[8];
    std::snprintf(b, sizeof b, "0x%x\n", v);
    return std::string(b);
  };
  for (unsigned i = 0; i < kMdevs; ++i) {
    char uuid[40];
    std::snprintf(uuid, sizeof uuid, "%08x-0000-4000-8000-%012x", i, i);
    const std::string dir = parent + "/" + uuid + "/";
    ops.push_back({create, std::string(uuid) + "\n"});
    unsigned b = i % 128, k = i / 128;
    for (unsigned a : {2 * b, 2 * b + 1}) ops.push_back({dir + "assign_adapter", hex(a)});
    for (unsigned d = 4 * k; d < 4 * k + 4; ++d) ops.push_back({dir + "assign_domain", hex(d)});
    for (unsigned d = 4 * k; d < 4 * k + 4; ++d) ops.push_back({dir + "assign_control_domain", hex(d)});
    ops.push_back({dir + "assign_control_domain", hex(255)});
    ops.push_back({dir + "matrix", ""});
    ops.push_back({dir + "control_domains", ""});
  }
  return ops;
}

void BM_ModelApplyHuge(benchmark::State& state) {
  const HostConfig host = hugeHost();
  const std::vector<Op> ops = applyOps("");
  for (auto _ : state) {
    KernelModel m(host);
    std::size_t bytes = 0;
    for (const auto& op : ops) {
      if (op.data.empty()) {
        bytes += m.read(op.path).data.size();
      } else if (int rc = m.write(op.path, op.data)) {
        state.SkipWithError(("write failed: " + op.path + " " + errnoName(rc)).c_str());
        return;
      }
    }
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["ops"] = static_cast<double>(ops.size());
  state.counters["mdevs"] = kMdevs;
}
BENCHMARK(BM_ModelApplyHuge)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_FuseApplyHuge(benchmark::State& state) {
  const HostConfig host = hugeHost();
  for (auto _ : state) {
    state.PauseTiming();
    char tmpl[] = "/tmp/apc-kmod-bench-XXXXXX";
    std::string root = mkdtemp(tmpl);
    pid_t pid = fork();
    if (pid == 0) {
      KernelModel m(host);
      std::string err;
      _exit(runSim(m, {root, true, {}, {}}, err));
    }
    struct stat st;
    for (int i = 0; i < 1000 && ::stat((root + "/.apc-sim/state").c_str(), &st) != 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const std::vector<Op> ops = applyOps(root + "/");
    state.ResumeTiming();
    char buf[4096];
    std::string failed;
    for (const auto& op : ops) {
      int fd = ::open(op.path.c_str(), op.data.empty() ? O_RDONLY : (O_WRONLY | O_TRUNC));
      if (fd < 0) {
        failed = "open " + op.path + ": " + errnoName(errno);
        break;
      }
      if (op.data.empty()) {
        while (::read(fd, buf, sizeof buf) > 0) {
        }
      } else if (::write(fd, op.data.data(), op.data.size()) < 0) {
        failed = "write " + op.path + ": " + errnoName(errno);
      }
      ::close(fd);
      if (!failed.empty()) break;
    }
    state.PauseTiming();
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    ::rmdir(root.c_str());
    if (!failed.empty()) {
      state.SkipWithError(failed.c_str());
      return;
    }
    state.ResumeTiming();
  }
}
BENCHMARK(BM_FuseApplyHuge)->Unit(benchmark::kMillisecond)->Iterations(2)->UseRealTime();

}  // namespace
}  // namespace apc::kmod

BENCHMARK_MAIN();
