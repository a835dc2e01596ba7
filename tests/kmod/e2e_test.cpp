// End to end: `apc compile` a spec example, mount its host with `apc sim
// mount`, and run the emitted apply.sh / verify.sh / teardown.sh against it
// for both interfaces: the state must equal the plan, a second apply changes
// nothing, teardown restores the start, a failure injected at any write of the
// apply leaves the host as it was, and a held mdev survives teardown.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "e2e_fixture.h"

namespace apc::kmod {
namespace {

TEST_P(E2eTest, ApplyVerifyReapplyTeardown) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  const std::string start = m->control("config");
  EXPECT_NE(script(*m, "verify.sh").status, 0) << "verify.sh passes on an unconfigured host";
  auto r = script(*m, "apply.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err << m->control("writes");
  expectPlanState(*m);
  r = script(*m, "verify.sh");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  const std::string applied = m->control("config");
  r = script(*m, "apply.sh");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(m->control("config"), applied) << "a second apply changed the host";
  r = script(*m, "teardown.sh");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(m->control("config"), start) << "teardown did not restore the start state";
  EXPECT_EQ(json::parse(m->control("state"))["destructive_events"].size(), 0u);
}

TEST_P(E2eTest, FailureAtEveryWriteRollsBack) {
  // One mount; `.apc-sim/reset` returns it to the start state between runs.
  auto m = mount();
  ASSERT_TRUE(m->ok());
  const std::string start = m->control("config");
  auto r = script(*m, "apply.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::vector<WriteEntry> writes = parseWrites(m->control("writes"));
  ASSERT_FALSE(writes.empty());
  for (const auto& w : writes) {
    SCOPED_TRACE("fault at write " + std::to_string(w.nth) + " to " + w.path);
    test::writeText(m->root() + "/.apc-sim/reset", "1\n");
    ASSERT_EQ(m->control("config"), start);
    test::writeText(m->root() + "/.apc-sim/faults", std::to_string(w.nth) + " " + w.path + " EIO\n");
    r = script(*m, "apply.sh");
    EXPECT_NE(r.status, 0) << "apply.sh succeeded despite the fault";
    EXPECT_NE(r.err.find(w.path), std::string::npos) << "the failing path is not named:\n" << r.err;
    EXPECT_NE(r.err.find("Input/output error"), std::string::npos) << "the error is not named:\n" << r.err;
    EXPECT_EQ(m->control("config"), start) << "the host was not left as found";
    EXPECT_EQ(m->control("faults"), "") << "the fault never fired";
  }
}

TEST_P(E2eTest, SimMountFlagsReachTheModel) {
  // `apc sim mount --fault/--hold` (the rest of the suite uses the control folder).
  const std::string uuid = expected["guests"][0]["uuid"];
  auto m = mount({"--fault", "1 bus/ap/drivers/cex4queue/unbind ENODEV", "--hold", uuid});
  ASSERT_TRUE(m->ok());
  EXPECT_EQ(m->control("faults"), "1 bus/ap/drivers/cex4queue/unbind ENODEV\n");
  EXPECT_EQ(m->control("hold"), uuid + "\n");
}

TEST_P(E2eTest, TeardownRefusesAHeldMdev) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  auto r = script(*m, "apply.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::string uuid = expected["guests"][0]["uuid"];
  const std::string mdevDir = m->root() + "/bus/mdev/devices/" + uuid;
  std::string group = fs::read_symlink(mdevDir + "/iommu_group").filename().string();
  // A fake QEMU with the group's VFIO device open.
  fs::create_directories(proc + "/4242/fd");
  fs::create_symlink("/dev/vfio/" + group, proc + "/4242/fd/7");
  test::writeText(proc + "/4242/comm", "qemu-system-s39\n");
  test::writeText(proc + "/4242/cmdline", std::string("qemu-system-s390x\0-name\0guest\0", 30));
  test::writeText(m->root() + "/.apc-sim/hold", uuid + "\n");
  r = script(*m, "teardown.sh");
  EXPECT_NE(r.status, 0) << "teardown.sh succeeded while a guest holds " << uuid;
  EXPECT_NE(r.err.find("4242"), std::string::npos) << "the holding process is not named:\n" << r.err;
  json cfg = json::parse(m->control("config"));
  bool present = false;
  for (const auto& md : cfg["mdevs"]) present |= md["uuid"] == uuid;
  EXPECT_TRUE(present) << "the held mdev was removed";
  EXPECT_EQ(m->control("events"), "") << "teardown wrote to a held mdev's remove";
}

TEST_P(E2eTest, DiscoverThenCompileReproduces) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  auto r = script(*m, "apply.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::string disc = dir + "/discovered.ap";
  r = runShell("\"$APC\" discover --sysfs \"$R\" -o \"$D\" && \"$APC\" compile \"$D\" -o \"$O2\"",
               {{"APC", apcBin()}, {"R", m->root()}, {"D", disc}, {"O2", dir + "/out2"}}, 120);
  ASSERT_EQ(r.status, 0) << r.out << r.err << test::readText(disc);
  auto m2 = SimMount::startCli(apcBin(), disc);
  ASSERT_TRUE(m2->ok());
  r = runShell("bash \"$O2/apply.sh\"",
               {{"O2", dir + "/out2"}, {"SYSFS", m2->root()}, {"PROC", proc}, {"APC_LOCK_FILE", dir + "/lock2"},
                {"APC_STATE_DIR", dir + "/state2"}, {"APC_MDEVCTL_DIR", dir + "/mdevctl.d"}, {"APC_TAKE_DEFAULT_DOMAIN", m2->consentEnv()["APC_TAKE_DEFAULT_DOMAIN"]}});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(m2->control("config"), m->control("config")) << test::readText(disc);
}

class ModernE2eTest : public E2eTest {};

// The IDs whose bit is clear in a "0x" + hex mask (MSB-0).
std::vector<unsigned> clearBits(const std::string& mask) {
  std::vector<unsigned> out;
  for (std::size_t i = 2; i < mask.size(); ++i) {
    unsigned nib = static_cast<unsigned>(std::stoul(mask.substr(i, 1), nullptr, 16));
    for (unsigned b = 0; b < 4; ++b)
      if (!(nib & (8u >> b))) out.push_back(static_cast<unsigned>((i - 2) * 4 + b));
  }
  return out;
}

// docs/outputs.md: teardown sets a mask bit again only when apply.sh cleared
// it. A bit the plan clears that was already clear before apply (the boot
// configuration, another tool) stays clear, and the host ends as it started.
TEST_P(ModernE2eTest, TeardownLeavesABitApplyFoundClear) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  // The mask in which the plan clears the most bits (seed: apmask, flexible: aqmask).
  std::string name = "apmask";
  if (clearBits(expected["host"]["aqmask"]).size() > clearBits(expected["host"]["apmask"]).size()) name = "aqmask";
  std::vector<unsigned> cleared = clearBits(expected["host"][name]);
  ASSERT_FALSE(cleared.empty()) << expected["host"].dump();
  const unsigned pre = cleared.back();
  auto r = runShell("echo \"-$ID\" > \"$R/bus/ap/$M\"", {{"ID", std::to_string(pre)}, {"R", m->root()}, {"M", name}});
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::string before = m->control("config");
  ASSERT_EQ(clearBits(json::parse(before)[name].get<std::string>()), std::vector<unsigned>{pre}) << before;

  r = script(*m, "apply.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  expectPlanState(*m);
  r = script(*m, "teardown.sh");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(name + " bit(s) " + std::to_string(pre) + " stay clear"), std::string::npos) << r.out;
  // Bit `pre` is still clear, every bit apply cleared is set again: the start.
  EXPECT_EQ(m->control("config"), before);
  // A second teardown changes nothing.
  r = script(*m, "teardown.sh");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(m->control("config"), before);
}

INSTANTIATE_TEST_SUITE_P(Examples, ModernE2eTest,
                         ::testing::Values(Case{"seed.ap", false}, Case{"flexible.ap", false}), caseName);

INSTANTIATE_TEST_SUITE_P(Examples, E2eTest,
                         ::testing::Values(Case{"seed.ap", false}, Case{"seed.ap", true},
                                           Case{"flexible.ap", false}, Case{"flexible.ap", true}),
                         caseName);

}  // namespace
}  // namespace apc::kmod
