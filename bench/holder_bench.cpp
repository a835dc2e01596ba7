// teardown.sh's check for running guests (apc_holder) on a busy host, as
// plain files: 100 mdevs, and under PROC 1,000 processes of 100 open files
// each. 10 processes hold an mdev through its IOMMU group /dev/vfio/N, 10
// through its device cdev /dev/vfio/devices/vfioN, one more mdev is only
// "in use" by the kernel's word (its QEMU in another PID namespace); every
// other fd is noise (sockets, pipes, files, the VFIO container, other
// groups). Target (issue 9): the holder check under 1 s, growing with
// processes + files, not mdevs x files.
//
// BM_HolderCheck runs the scripts' runtime (sh::prologue) and apc_holder on
// the 100 mdevs; BM_TeardownDryRun the whole teardown.sh --dry-run (which
// runs the check, then counts and prints its writes), and
// BM_TeardownDryRunNoProcesses the same with an empty PROC: the difference
// of the last two is what the processes cost. Each run checks that exactly
// the 21 held mdevs are refused.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "backends/emitters.h"
#include "backends/script_support.h"
#include "compiler/ir/solved_plan.h"

namespace apc {
namespace {

namespace fs = std::filesystem;

constexpr unsigned kMdevs = 100, kProcesses = 1000, kFiles = 100;
constexpr unsigned kGroupHeld = 10, kCdevHeld = 10;  // mdevs 0-9 and 10-19
constexpr unsigned kStatusHeld = 20;                 // mdev 20: only the kernel says so
constexpr unsigned kHeld = kGroupHeld + kCdevHeld + 1;

std::string uuidOf(unsigned g) {
  char b[40];
  std::snprintf(b, sizeof b, "00000000-0000-4000-8000-%012x", g);
  return b;
}
std::string queueOf(unsigned a, unsigned d) {
  char b[16];
  std::snprintf(b, sizeof b, "%02x.%04x", a, d);
  return b;
}

// Guest g: adapter g x domains 1 and 2 (CEX7 CCA), modern interface.
ir::SolvedPlan solvedPlan() {
  ir::SolvedPlan s;
  s.plan.path = "holders.ap";
  s.plan.host.name = "busy";
  s.plan.host.interface = ir::Interface::Modern;
  s.plan.host.crycbFormat = 2;
  s.plan.host.usageDomains = ir::makeIdSet({1, 2});
  s.plan.host.controlDomains = s.plan.host.usageDomains;
  s.apmask.set();
  s.aqmask.set();
  for (unsigned g = 0; g < kMdevs; ++g) {
    s.plan.host.adapters.push_back({g, {7, ir::CardMode::Cca}, {}});
    ir::Guest guest;
    guest.name = "guest" + std::to_string(g);
    guest.adapters.exact = ir::makeIdSet({g});
    guest.domains.exact = ir::makeIdSet({1, 2});
    s.plan.guests.push_back(guest);
    s.alloc.push_back({ir::makeIdSet({g}), ir::makeIdSet({1, 2}), ir::makeIdSet({1, 2}), uuidOf(g)});
    s.apmask.reset(g);
  }
  return s;
}

void put(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}
void link(const fs::path& p, const std::string& target) {
  fs::create_directories(p.parent_path());
  fs::create_symlink(target, p);
}

// The applied host: masks, queues bound to vfio_ap with their status, one
// mdev per guest (iommu group 200 + g, vfio device g).
void buildSysfs(const fs::path& sys, const ir::SolvedPlan& s) {
  put(sys / "bus/ap/apmask", ir::formatMask(s.apmask) + "\n");
  put(sys / "bus/ap/aqmask", ir::formatMask(s.aqmask) + "\n");
  const fs::path parent = sys / "devices/vfio_ap/matrix";
  put(parent / "mdev_supported_types/vfio_ap-passthrough/create", "");
  for (unsigned g = 0; g < kMdevs; ++g) {
    std::string card = queueOf(g, 0).substr(0, 2);
    for (unsigned d : {1u, 2u}) {
      std::string q = queueOf(g, d);
      fs::path dev = sys / "devices/ap" / ("card" + card) / q;
      // The group holders' mdevs read "assigned" (only the PROC pass finds
      // them), the cdev holders' and mdev 20 "in use".
      put(dev / "status", g >= kGroupHeld && g <= kStatusHeld ? "in use\n" : "assigned\n");
      link(dev / "driver", "../../../../bus/ap/drivers/vfio_ap");
      link(sys / "bus/ap/devices" / q, "../../../devices/ap/card" + card + "/" + q);
    }
    const fs::path dir = parent / uuidOf(g);
    const std::string matrix = queueOf(g, 1) + "\n" + queueOf(g, 2) + "\n";
    put(dir / "matrix", matrix);
    put(dir / "guest_matrix", matrix);
    put(dir / "control_domains", "0001\n0002\n");
    put(dir / "remove", "");
    link(dir / "iommu_group", "../../../../kernel/iommu_groups/" + std::to_string(200 + g));
    fs::create_directories(dir / "vfio-dev" / ("vfio" + std::to_string(g)));
  }
}

// 1,000 processes of 100 fds; process 100 + g holds mdev g (g < 20).
// The fake sysfs does not react to writes: the benches run --dry-run.
void buildProc(const fs::path& proc) {
  for (unsigned p = 0; p < kProcesses; ++p) {
    const unsigned pid = 100 + p;
    const fs::path dir = proc / std::to_string(pid);
    put(dir / "comm", "proc" + std::to_string(pid) + "\n");
    link(dir / "cwd", "/");
    for (unsigned f = 0; f < kFiles; ++f) {
      std::string target;
      switch (f % 5) {
        case 0: target = "socket:[" + std::to_string(pid * kFiles + f) + "]"; break;
        case 1: target = "pipe:[" + std::to_string(pid * kFiles + f) + "]"; break;
        case 2: target = "/var/lib/app/data-" + std::to_string(f) + ".db"; break;
        case 3: target = f == 3 ? "/dev/vfio/vfio" : "/dev/null"; break;
        default: target = f == 4 ? "/dev/vfio/" + std::to_string(1000 + p) : "anon_inode:[eventfd]"; break;
      }
      if (f == 50 && p < kGroupHeld) target = "/dev/vfio/" + std::to_string(200 + p);
      if (f == 50 && p >= kGroupHeld && p < kGroupHeld + kCdevHeld) target = "/dev/vfio/devices/vfio" + std::to_string(p);
      link(dir / "fd" / std::to_string(f), target);
    }
  }
  // A few non-pid entries, as the real /proc has.
  link(proc / "self", "100");
  put(proc / "uptime", "1.0 1.0\n");
}

struct Host {
  fs::path root;
  ir::SolvedPlan solved = solvedPlan();
  Host() {
    root = fs::temp_directory_path() / ("apc_bench_holders_" + std::to_string(::getpid()));
    fs::remove_all(root);
    buildSysfs(root / "sys", solved);
    buildProc(root / "proc");
    fs::create_directories(root / "noproc");
    for (const backends::Artifact& a : backends::emitScripts(solved))
      if (a.path == "teardown.sh") put(root / "teardown.sh", a.bytes);
    std::string check = backends::sh::prologue({"check.sh", "the holder check alone", "holders.ap"},
                                               {.lock = false, .journal = false, .holder = true});
    check += "\nfor dir in \"$SYSFS\"/devices/vfio_ap/matrix/*-*-*-*-*; do\n"
             "  if apc_holder \"$dir\"; then printf '%s holds it\\n' \"$APC_HOLDER\"; fi\n"
             "done\n";
    put(root / "check.sh", check);
  }
  ~Host() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  // Runs `script` with PROC = `proc`; returns how many mdevs it found held.
  unsigned run(const std::string& script, const std::string& proc) const {
    std::string cmd = "cd '" + root.string() + "' && SYSFS='" + (root / "sys").string() + "' PROC='" +
                      (root / proc).string() + "' APC_LOCK_FILE='" + (root / "lock").string() + "' bash " + script +
                      " 2>&1";
    FILE* f = ::popen(cmd.c_str(), "r");
    if (!f) throw std::runtime_error("popen");
    std::string out;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, f)) out.append(buf, n);
    ::pclose(f);
    unsigned held = 0;
    for (std::size_t at = 0; (at = out.find(" holds it", at)) != std::string::npos; ++at) ++held;
    return held;
  }
};

const Host& host() {
  static Host h;
  return h;
}

void expectHeld(benchmark::State& state, unsigned got, unsigned want) {
  if (got != want) state.SkipWithError(("found " + std::to_string(got) + " held mdevs, expected " + std::to_string(want)).c_str());
}

// CPU seconds (user + system) the script's processes used so far: on a
// shared, overloaded machine the wall time mostly measures the others.
double childCpu() {
  rusage u{};
  ::getrusage(RUSAGE_CHILDREN, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Runs `script` once per iteration; reports the scripts' CPU ms per run.
void runBench(benchmark::State& state, const std::string& script, const std::string& proc, unsigned want) {
  const Host& h = host();
  const double before = childCpu();
  for (auto _ : state) expectHeld(state, h.run(script, proc), want);
  state.counters["script_cpu_ms"] =
      benchmark::Counter((childCpu() - before) * 1e3 / static_cast<double>(state.iterations()));
}

void BM_HolderCheck(benchmark::State& state) {
  runBench(state, "check.sh", "proc", kHeld);
  state.counters["fds"] = kProcesses * kFiles;
  state.counters["mdevs"] = kMdevs;
}

void BM_TeardownDryRun(benchmark::State& state) { runBench(state, "teardown.sh --dry-run", "proc", kHeld); }

// Without processes only the kernel's "in use" is seen: mdevs 10-20.
void BM_TeardownDryRunNoProcesses(benchmark::State& state) {
  runBench(state, "teardown.sh --dry-run", "noproc", kHeld - kGroupHeld);
}

BENCHMARK(BM_HolderCheck)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);
BENCHMARK(BM_TeardownDryRun)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);
BENCHMARK(BM_TeardownDryRunNoProcesses)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

}  // namespace
}  // namespace apc

BENCHMARK_MAIN();
