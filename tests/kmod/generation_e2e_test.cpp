// The spec's example plans on every kernel generation of the model (`apc sim
// mount --kernel GEN`): apply, verify, apply again (no writes), teardown back
// to the start; a failure injected at every write of the apply rolls back
// (and a rerun converges) on every generation; and a migrate that changes a
// running guest's matrix, which needs hot plug (6.0+): before 6.0 the
// preflight refuses it, naming the guest, before any write; stopped, the
// migrate works on every generation, faults at each of its writes included.
// See kmod/README.md.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "kmod/model/kernel_gen.h"
#include "sim_fixture.h"

namespace apc::kmod {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::runShell;
using test::SimMount;

using test::apcBin;

struct Case {
  std::string plan;  // in APC_SPEC_DIR/examples
  KernelGen gen;
};

std::string caseName(const ::testing::TestParamInfo<Case>& i) {
  std::string n = i.param.plan.substr(0, i.param.plan.find('.')) + "_v" + std::string(kernelGenName(i.param.gen));
  for (char& c : n)
    if (c == '.') c = '_';
  return n;
}

std::vector<Case> cases() {
  std::vector<Case> out;
  for (const char* p : {"seed.ap", "flexible.ap"})
    for (KernelGen g : allKernelGens()) out.push_back({p, g});
  return out;
}

// Compiles one example into a temp folder and mounts its host on one generation.
class GenBase : public ::testing::Test {
 protected:
  void prepare(const std::string& example, KernelGen g) {
    gen = g;
    ASSERT_FALSE(apcBin().empty()) << "APC_BIN is not set";
    ASSERT_TRUE(fs::exists(apcBin())) << "apc is not built: " << apcBin();
    dir = test::makeTempDir("gen-e2e");
    plan = dir + "/plan.ap";
    out = dir + "/out";
    fs::create_directories(dir + "/proc");
    test::writeText(plan, test::readText(std::string(APC_SPEC_DIR) + "/examples/" + example));
    auto r = runShell("\"$APC\" compile \"$P\" -o \"$O\"", {{"APC", apcBin()}, {"P", plan}, {"O", out}}, 120);
    ASSERT_EQ(r.status, 0) << r.out << r.err;
  }
  void TearDown() override {
    if (!dir.empty()) test::removeTree(dir);
  }
  std::unique_ptr<SimMount> mount() {
    auto m = SimMount::startCli(apcBin(), plan, {"--kernel", std::string(kernelGenName(gen))});
    EXPECT_TRUE(m->ok()) << "apc sim mount --kernel " << kernelGenName(gen) << " failed";
    return m;
  }
  test::ShellResult script(const SimMount& m, const std::string& path) {
    auto env = m.consentEnv();
    env.insert({{"S", path}, {"SYSFS", m.root()}, {"PROC", dir + "/proc"}, {"APC_LOCK_FILE", dir + "/lock"}, {"APC_STATE_DIR", dir + "/state"}, {"APC_MDEVCTL_DIR", dir + "/mdevctl.d"}});
    return runShell("bash \"$S\"", env, 120);
  }
  std::size_t writes(const SimMount& m) {
    std::istringstream in(m.control("writes"));
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
  }
  KernelGen gen = kNewestKernel;
  std::string dir, plan, out;
};

class PlanOnGen : public GenBase, public ::testing::WithParamInterface<Case> {
 protected:
  void SetUp() override { prepare(GetParam().plan, GetParam().gen); }
};

TEST_P(PlanOnGen, ApplyVerifyReapplyTeardown) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  EXPECT_EQ(json::parse(m->control("state"))["kernel"], std::string(kernelGenName(gen)));
  const std::string start = m->control("config");
  auto r = script(*m, out + "/apply.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err << m->control("writes");
  r = script(*m, out + "/verify.sh");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  const std::string applied = m->control("config");
  const std::size_t before = writes(*m);
  r = script(*m, out + "/apply.sh");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(m->control("config"), applied);
  EXPECT_EQ(writes(*m), before) << "a second apply wrote to sysfs";
  r = script(*m, out + "/teardown.sh");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(m->control("config"), start) << "teardown did not restore the start state";
  EXPECT_EQ(m->control("events"), "");
}

// A migrate that changes the matrix of the guest `batch` (domains any 4 ->
// any 3), on every generation. Held by a running guest: 6.0+ hot-plugs the
// new matrix; before 6.0 vfio_ap refuses every assign/unassign of a held
// mdev (EBUSY), so migrate.sh finds the guest in its preflight (no
// guest_matrix = no hot plug; the holder from PROC) and refuses before its
// first write. Stopped: the migrate works on every generation (on 4.20/5.15
// the queues are bound to vfio_ap before any assign), a rerun writes
// nothing, and a fault at each of its writes leaves the host as applied.
class MigrateOnGen : public GenBase, public ::testing::WithParamInterface<KernelGen> {
 protected:
  void SetUp() override {
    prepare("flexible.ap", GetParam());
    std::string text = test::readText(plan);
    const std::string from = "guest batch { adapters any 1 mode accel; domains any 4; }";
    ASSERT_NE(text.find(from), std::string::npos) << "the example changed; adapt the probe";
    test::writeText(dir + "/new.ap", text.replace(text.find(from), from.size(),
                                                  "guest batch { adapters any 1 mode accel; domains any 3; }"));
    auto r = runShell("\"$APC\" diff \"$L\" \"$N\" -o \"$M\"",
                      {{"APC", apcBin()}, {"L", plan + ".lock"}, {"N", dir + "/new.ap"}, {"M", dir + "/mig"}}, 120);
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    const json planJson = json::parse(test::readText(out + "/plan.json"));
    for (const auto& g : planJson["guests"])
      if (g["name"] == "batch") uuid = g["uuid"];
    ASSERT_FALSE(uuid.empty());
  }
  // A fake QEMU with the mdev's VFIO group open, and the model's hold.
  void holdBatch(const SimMount& m) {
    std::string group =
        fs::read_symlink(m.root() + "/bus/mdev/devices/" + uuid + "/iommu_group").filename().string();
    fs::create_directories(dir + "/proc/4242/fd");
    fs::create_symlink("/dev/vfio/" + group, dir + "/proc/4242/fd/7");
    test::writeText(dir + "/proc/4242/comm", "qemu-system-s39\n");
    test::writeText(m.root() + "/.apc-sim/hold", uuid + "\n");
  }
  std::size_t batchDomains(const SimMount& m) {
    const json cfg = json::parse(m.control("config"));
    for (const auto& md : cfg["mdevs"])
      if (md["uuid"] == uuid) return md["domains"].size();
    return 0;
  }
  std::string uuid;
};

TEST_P(MigrateOnGen, MigrateARunningGuest) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  auto r = script(*m, out + "/apply.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  holdBatch(*m);
  const std::string before = m->control("config");
  const std::size_t writesBefore = writes(*m);
  r = script(*m, dir + "/mig/migrate.sh");
  if (hasDynamicConfig(gen)) {
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_EQ(batchDomains(*m), 3u) << m->control("config");
  } else {
    EXPECT_EQ(r.status, 1) << "migrate.sh on " << kernelGenName(gen) << ":\n" << r.out << r.err;
    EXPECT_NE(r.err.find("mdev " + uuid + " of guest batch must change, but process 4242 (qemu-system-s39) holds it"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("Stop the guest first"), std::string::npos) << r.err;
    EXPECT_EQ(writes(*m), writesBefore) << "migrate.sh wrote before refusing:\n" << m->control("writes");
    EXPECT_EQ(m->control("config"), before) << "the host was not left as found";
  }
  EXPECT_EQ(m->control("events"), "");
}

TEST_P(MigrateOnGen, MigrateAStoppedGuestAndFaultAtEveryWrite) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  auto r = script(*m, out + "/apply.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::string applied = m->control("config");
  const std::size_t applyWrites = writes(*m);
  r = script(*m, dir + "/mig/migrate.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err << m->control("writes");
  EXPECT_EQ(batchDomains(*m), 3u) << m->control("config");
  const std::string migrated = m->control("config");
  const std::string log = m->control("writes");
  r = script(*m, dir + "/mig/migrate.sh");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(m->control("config"), migrated);
  EXPECT_EQ(m->control("writes"), log) << "a second migrate wrote to sysfs";
  // Every write of the migrate (counted over the whole log, as --fault does).
  std::vector<std::pair<std::string, int>> all;
  std::map<std::string, int> counts;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    std::string path = line.substr(0, line.find('\t'));
    all.push_back({path, ++counts[path]});
  }
  ASSERT_GT(all.size(), applyWrites) << "the migrate wrote nothing";
  for (std::size_t i = applyWrites; i < all.size(); ++i) {
    const auto& [path, nth] = all[i];
    SCOPED_TRACE("fault at write " + std::to_string(nth) + " to " + path);
    test::writeText(m->root() + "/.apc-sim/reset", "1\n");
    test::writeText(m->root() + "/.apc-sim/faults", std::to_string(nth) + " " + path + " EIO\n");
    r = script(*m, out + "/apply.sh");
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    r = script(*m, dir + "/mig/migrate.sh");
    EXPECT_EQ(r.status, 1) << r.out << r.err;
    EXPECT_EQ(m->control("config"), applied) << r.err;
    EXPECT_EQ(m->control("faults"), "") << "the fault never fired";
  }
  EXPECT_EQ(m->control("events"), "");
}

// Rollback on every generation: a fault at every write of apply.sh (each
// generation writes differently: binds before assigns on 4.20/5.15); the
// failed run leaves the start state and a rerun without the fault converges.
class ApplyFaultOnGen : public GenBase, public ::testing::WithParamInterface<KernelGen> {
 protected:
  void SetUp() override { prepare("seed.ap", GetParam()); }
};

TEST_P(ApplyFaultOnGen, FailureAtEveryWriteRollsBack) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  const std::string start = m->control("config");
  auto r = script(*m, out + "/apply.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::string applied = m->control("config");
  std::vector<std::pair<std::string, int>> all;
  std::map<std::string, int> counts;
  std::istringstream in(m->control("writes"));
  for (std::string line; std::getline(in, line);) {
    std::string path = line.substr(0, line.find('\t'));
    all.push_back({path, ++counts[path]});
  }
  ASSERT_FALSE(all.empty());
  for (const auto& [path, nth] : all) {
    SCOPED_TRACE("fault at write " + std::to_string(nth) + " to " + path);
    test::writeText(m->root() + "/.apc-sim/reset", "1\n");
    test::writeText(m->root() + "/.apc-sim/faults", std::to_string(nth) + " " + path + " EIO\n");
    r = script(*m, out + "/apply.sh");
    EXPECT_NE(r.status, 0);
    EXPECT_EQ(m->control("config"), start) << r.err;
    EXPECT_EQ(m->control("faults"), "") << "the fault never fired";
    r = script(*m, out + "/apply.sh");
    EXPECT_EQ(r.status, 0) << "the rerun did not converge:\n" << r.out << r.err;
    EXPECT_EQ(m->control("config"), applied);
  }
  EXPECT_EQ(m->control("events"), "");
}

// Bad sim flags need no generation: the oldest one.
class OldestGen : public GenBase {
 protected:
  void SetUp() override { prepare("seed.ap", KernelGen::K4_20); }
};

// Bad host-state flags: exit 2 with the flag and the reason, nothing mounted.
TEST_F(OldestGen, BadSimFlagsAreUsageErrors) {
  const std::string mnt = dir + "/mnt";
  fs::create_directories(mnt);
  struct Bad {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Bad& b : std::vector<Bad>{
           {{"--kernel", "7.0"}, "--kernel '7.0': not a kernel generation the model knows (4.20, 5.15, 6.0, 6.10, 6.19)"},
           {{"--kernel", "6.10", "--driver-override", "05.0004=vfio_ap"}, "driver_override exists only from kernel 6.19 on"},
           {{"--busy", "09.0004"}, "--busy '09.0004': the host has no queue 09.0004"},
           {{"--default-domain", "0x100"}, "--default-domain '0x100': expected a domain number"},
           {{"--card-state", "05=melted"}, "--card-state '05=melted': expected CARD=deconfigured"}}) {
    std::string cmd = "\"$APC\" sim mount \"$P\" \"$M\" --foreground";
    for (const auto& a : b.args) cmd += " '" + a + "'";
    auto r = runShell(cmd, {{"APC", apcBin()}, {"P", plan}, {"M", mnt}}, 30);
    EXPECT_EQ(r.status, 2) << cmd << "\n" << r.err;
    EXPECT_NE(r.err.find(b.message), std::string::npos) << r.err;
  }
}

INSTANTIATE_TEST_SUITE_P(Examples, PlanOnGen, ::testing::ValuesIn(cases()), caseName);
std::string genName(const ::testing::TestParamInfo<KernelGen>& i) {
  std::string n = "v" + std::string(kernelGenName(i.param));
  for (char& c : n)
    if (c == '.') c = '_';
  return n;
}
INSTANTIATE_TEST_SUITE_P(Kernels, MigrateOnGen, ::testing::ValuesIn(allKernelGens()), genName);
INSTANTIATE_TEST_SUITE_P(Kernels, ApplyFaultOnGen, ::testing::ValuesIn(allKernelGens()), genName);

}  // namespace
}  // namespace apc::kmod
