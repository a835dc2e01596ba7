// A migration with guests running, killed at every write (issue 9): the
// flexible example applied, then a new plan where the running guest `batch`
// loses a domain (which the added guest `extra` gains), the running
// `hsm-signer` gains one and the stopped `web6` goes. The sim kills migrate.sh
// at its kth write (`N * KILL`); the same migrate.sh run again must end at the
// new plan (the new plan's verify.sh exits 0). With TERM the script undoes its
// run: the host is back at the old plan. On kernels with `ap_config` (6.10+)
// every write to a running guest's mdev is one whole-matrix write, so the
// guest never sees a half-changed matrix; on 6.0 (hot plug, no ap_config)
// the campaign kills at each write to a running guest's mdev (one ID at a
// time there). Before 6.0 a running guest's mdev
// cannot change (EBUSY), and the legacy interface neither: see
// generation_e2e_test's MigrateOnGen.
#include <gtest/gtest.h>

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

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "the example changed; adapt the test: " << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

std::vector<std::string> writeLines(const SimMount& m) {
  std::vector<std::string> out;
  std::istringstream in(m.control("writes"));
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

class MigrateKill : public ::testing::TestWithParam<KernelGen> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(apcBin())) << "apc is not built: " << apcBin();
    dir = test::makeTempDir("migrate-kill");
    fs::create_directories(dir + "/proc");
    std::string text = test::readText(std::string(APC_SPEC_DIR) + "/examples/flexible.ap");
    test::writeText(dir + "/plan.ap", text);
    text = replaced(text, "guest batch { adapters any 1 mode accel; domains any 4; }",
                    "guest batch { adapters any 1 mode accel; domains any 3; }\n"
                    "guest extra { adapters any 1 mode accel; domains any 2; }");
    text = replaced(text, "guest hsm-signer { adapters any 2 mode ep11; domains any 2; tags prod; }",
                    "guest hsm-signer { adapters any 2 mode ep11; domains any 3; tags prod; }");
    text = replaced(text, "guest web[1..6] : web;", "guest web[1..5] : web;");
    test::writeText(dir + "/new.ap", text);
    // The old plan, the migration from its lock, and the new plan compiled
    // with that lock (the same allocation the diff chose) for its verify.sh.
    auto r = runShell(
        "cd \"$D\" && \"$APC\" compile plan.ap -o old && \"$APC\" diff plan.ap.lock new.ap -o mig && "
        "cp plan.ap.lock new.ap.lock && \"$APC\" compile new.ap -o new",
        {{"APC", apcBin()}, {"D", dir}}, 120);
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    const json old = json::parse(test::readText(dir + "/old/plan.json"));
    for (const auto& g : old["guests"])
      if (g["name"] == "batch" || g["name"] == "hsm-signer") running.push_back(g["uuid"]);
    ASSERT_EQ(running.size(), 2u);
  }
  void TearDown() override {
    if (!dir.empty()) test::removeTree(dir);
  }
  test::ShellResult script(const SimMount& m, const std::string& rel) {
    return runShell("bash \"$D/" + rel + "\"",
                    {{"D", dir}, {"SYSFS", m.root()}, {"PROC", dir + "/proc"}, {"APC_LOCK_FILE", dir + "/lock"},
                     {"APC_STATE_DIR", dir + "/state"}, {"APC_MDEVCTL_DIR", dir + "/mdevctl.d"}}, 120);
  }
  // The old plan applied and its two guests running; returns the number of
  // writes so far.
  std::size_t oldHostRunning(const SimMount& m) {
    test::writeText(m.root() + "/.apc-sim/reset", "1\n");
    auto r = script(m, "old/apply.sh");
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    for (const auto& u : running) test::writeText(m.root() + "/.apc-sim/hold", u + "\n");
    return writeLines(m).size();
  }
  // No write of this run touched a running guest's mdev except through
  // ap_config (6.10+): each change of its matrix is one atomic write.
  void expectWholeMatrixWrites(const SimMount& m, std::size_t from) {
    if (!hasApConfig(GetParam())) return;
    auto lines = writeLines(m);
    for (std::size_t i = from; i < lines.size(); ++i)
      for (const auto& u : running) {
        if (lines[i].find(u + "/") == std::string::npos) continue;
        EXPECT_NE(lines[i].find(u + "/ap_config\t"), std::string::npos)
            << "a running guest saw a half-changed matrix: " << lines[i];
      }
  }
  std::unique_ptr<SimMount> mount() {
    auto m = SimMount::startCli(apcBin(), dir + "/plan.ap", {"--kernel", std::string(kernelGenName(GetParam()))});
    EXPECT_TRUE(m->ok());
    return m;
  }

  std::string dir;
  std::vector<std::string> running;
};

TEST_P(MigrateKill, KilledAtEveryWriteThenRerunEndsAtTheNewPlan) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  // A clean run: how many writes, and the state it ends in.
  std::size_t before = oldHostRunning(*m);
  auto r = script(*m, "mig/migrate.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::size_t n = writeLines(*m).size() - before;
  ASSERT_GT(n, 3u);
  expectWholeMatrixWrites(*m, before);
  r = script(*m, "new/verify.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::string done = m->control("config");
  // On 6.19 every write; on 6.0 (CI time) the writes to the running guests'
  // mdevs, the ones hot-plugged one ID at a time there.
  std::vector<std::size_t> ks;
  const auto lines = writeLines(*m);
  for (std::size_t k = 1; k <= n; ++k) {
    bool toRunning = false;
    for (const auto& u : running) toRunning |= lines[before + k - 1].find(u + "/") != std::string::npos;
    if (hasApConfig(GetParam()) || toRunning) ks.push_back(k);
  }
  ASSERT_FALSE(ks.empty());
  for (std::size_t k : ks) {
    SCOPED_TRACE("migrate.sh killed at write " + std::to_string(k) + " of " + std::to_string(n));
    before = oldHostRunning(*m);
    test::writeText(m->root() + "/.apc-sim/faults", std::to_string(before + k) + " * KILL\n");
    r = script(*m, "mig/migrate.sh");
    EXPECT_EQ(r.status, 128 + 9) << r.out << r.err;
    r = script(*m, "mig/migrate.sh");
    ASSERT_EQ(r.status, 0) << r.out << r.err << m->control("writes");
    EXPECT_EQ(m->control("config"), done);
    r = script(*m, "new/verify.sh");
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    expectWholeMatrixWrites(*m, before);
    EXPECT_EQ(m->control("events"), "") << "a running guest lost its device";
  }
}

// A removed guest that still runs stops migrate.sh before any change: the
// kernel's `status` says so with nothing under PROC (6.0+), and a process
// with the mdev's device cdev open is named (6.10+: the sim's vfio-dev/vfioN).
TEST_P(MigrateKill, RunningRemovedGuestStopsTheMigration) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  std::string web6;
  const json old = json::parse(test::readText(dir + "/old/plan.json"));
  for (const auto& g : old["guests"])
    if (g["name"] == "web6") web6 = g["uuid"];
  ASSERT_FALSE(web6.empty());
  const std::size_t before = oldHostRunning(*m);
  test::writeText(m->root() + "/.apc-sim/hold", web6 + "\n");
  auto r = script(*m, "mig/migrate.sh");
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("mdev " + web6 + " of removed guest web6 is held by a running guest (its queue "),
            std::string::npos)
      << r.err;
  EXPECT_EQ(writeLines(*m).size(), before) << "migrate.sh wrote before refusing";
  const std::string cls = m->root() + "/bus/mdev/devices/" + web6 + "/vfio-dev";
  ASSERT_EQ(fs::exists(cls), hasVfioDeviceClass(GetParam()));
  if (!hasVfioDeviceClass(GetParam())) return;
  const std::string vfio = fs::directory_iterator(cls)->path().filename().string();
  fs::create_directories(dir + "/proc/777/fd");
  fs::create_symlink("/dev/vfio/devices/" + vfio, dir + "/proc/777/fd/21");
  test::writeText(dir + "/proc/777/comm", "qemu-kvm\n");
  r = script(*m, "mig/migrate.sh");
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("is held by process 777 (qemu-kvm): stop the guest first"), std::string::npos) << r.err;
  EXPECT_EQ(writeLines(*m).size(), before);
}

// TERM on the newest kernel only: the undo path is the same on 6.0, and the
// campaigns run the old plan's apply.sh once per write (CI time).
class MigrateTerm : public MigrateKill {};

TEST_P(MigrateTerm, TerminatedAtEveryWriteIsUndoneOrFinishes) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  std::size_t before = oldHostRunning(*m);
  const std::string old = m->control("config");
  ASSERT_EQ(script(*m, "mig/migrate.sh").status, 0);
  const std::size_t n = writeLines(*m).size() - before;
  const std::string done = m->control("config");
  for (std::size_t k = 1; k <= n; ++k) {
    SCOPED_TRACE("SIGTERM at write " + std::to_string(k) + " of " + std::to_string(n));
    before = oldHostRunning(*m);
    test::writeText(m->root() + "/.apc-sim/faults", std::to_string(before + k) + " * TERM\n");
    auto r = script(*m, "mig/migrate.sh");
    EXPECT_EQ(r.status, 128 + 15) << r.out << r.err;
    EXPECT_NE(r.err.find("interrupted by SIGTERM"), std::string::npos) << r.err;
    const std::string now = m->control("config");
    if (now != old) {
      // Not back at the start (an undo the kernel refused): the rerun finishes.
      r = script(*m, "mig/migrate.sh");
      ASSERT_EQ(r.status, 0) << r.out << r.err;
      EXPECT_EQ(m->control("config"), done);
    }
    expectWholeMatrixWrites(*m, before);
    EXPECT_EQ(m->control("events"), "");
  }
}

// 6.10+ (ap_config, the newest rules) and 6.0 (hot plug one ID at a time).
INSTANTIATE_TEST_SUITE_P(Kernels, MigrateKill, ::testing::Values(KernelGen::K6_19, KernelGen::K6_0),
                         [](const ::testing::TestParamInfo<KernelGen>& i) {
                           std::string n = "v" + std::string(kernelGenName(i.param));
                           for (char& c : n)
                             if (c == '.') c = '_';
                           return n;
                         });
INSTANTIATE_TEST_SUITE_P(Kernels, MigrateTerm, ::testing::Values(KernelGen::K6_19),
                         [](const ::testing::TestParamInfo<KernelGen>&) { return std::string("v6_19"); });

}  // namespace
}  // namespace apc::kmod
