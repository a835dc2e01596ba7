// teardown.sh and migrate.sh never give a mask bit back to the host while an
// mdev that is not theirs holds a queue under it, on every kernel generation
// of the model: on 6.0+ the kernel would refuse the whole relative write
// (EBUSY from vfio_ap's in_use callback), on 4.20/5.15 nothing refuses it and
// the queue is stolen from the mdev (the sim records that). The bit stays
// clear and recorded, the run exits 1 naming the bit and the mdev, and a rerun
// once that mdev is gone gives it back. See kmod/README.md.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
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

constexpr const char* kForeign = "0f0f0f0f-1111-4222-8333-444444444444";

// seed.ap: Guest1 = adapters 5, 6 x domains 4, 0xab; Guest2 = adapter 5 x
// domains 0x47, 0xff; aqmask clears 4 and 0xab, apmask clears 5. The probe:
// Guest1's mdev is removed by hand and a foreign mdev takes 06.0004, a queue
// under aqmask bit 4 (apmask bit 6 stays set: giving bit 4 back would make
// 06.0004 the host's). Bit 0xab has no foreign queue under it.
class MaskGuard : public ::testing::TestWithParam<KernelGen> {
 protected:
  void SetUp() override {
    ASSERT_FALSE(apcBin().empty()) << "APC_BIN is not set";
    dir = test::makeTempDir("maskguard");
    fs::create_directories(dir + "/proc");
    seed = test::readText(std::string(APC_SPEC_DIR) + "/examples/seed.ap");
    test::writeText(dir + "/plan.ap", seed);
    auto r = runShell("\"$APC\" compile \"$P\" -o \"$O\"", {{"APC", apcBin()}, {"P", dir + "/plan.ap"}, {"O", dir + "/out"}},
                      120);
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    const json planJson = json::parse(test::readText(dir + "/out/plan.json"));
    ASSERT_EQ(planJson["guests"][0]["name"], "Guest1") << "the example changed; adapt the probe";
    guest1 = planJson["guests"][0]["uuid"];
  }
  void TearDown() override {
    if (!dir.empty()) test::removeTree(dir);
  }
  std::unique_ptr<SimMount> mount() {
    auto m = SimMount::startCli(apcBin(), dir + "/plan.ap", {"--kernel", std::string(kernelGenName(GetParam()))});
    EXPECT_TRUE(m->ok()) << "apc sim mount failed";
    return m;
  }
  test::ShellResult run(const SimMount& m, const std::string& script) {
    auto env = m.consentEnv();
    env.insert({{"S", script}, {"SYSFS", m.root()}, {"PROC", dir + "/proc"}, {"APC_LOCK_FILE", dir + "/lock"},
                {"APC_STATE_DIR", dir + "/state"}});
    return runShell("bash \"$S\"", env, 120);
  }
  // Applies seed.ap, removes Guest1's mdev and gives 06.0004 to a foreign mdev.
  void applyAndAddForeign(const SimMount& m) {
    auto r = run(m, dir + "/out/apply.sh");
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    const std::string parent = m.root() + "/devices/vfio_ap/matrix";
    r = runShell(
        "set -e; echo 1 > \"$P/$G/remove\"; echo \"$F\" > \"$P/mdev_supported_types/vfio_ap-passthrough/create\";"
        " echo 6 > \"$P/$F/assign_adapter\"; echo 4 > \"$P/$F/assign_domain\"",
        {{"P", parent}, {"G", guest1}, {"F", kForeign}});
    ASSERT_EQ(r.status, 0) << r.err;
    ASSERT_EQ(test::readText(parent + "/" + kForeign + "/matrix"), "06.0004\n");
  }
  void removeForeign(const SimMount& m) {
    auto r = runShell("echo 1 > \"$D/remove\"", {{"D", m.root() + "/devices/vfio_ap/matrix/" + kForeign}});
    ASSERT_EQ(r.status, 0) << r.err;
  }
  // Bit `id` of a mask file ("0x" + 64 hex digits, MSB-0).
  static bool bit(const std::string& mask, unsigned id) {
    const int nib = std::stoi(mask.substr(2 + id / 4, 1), nullptr, 16);
    return ((nib >> (3 - id % 4)) & 1) != 0;
  }
  std::string aqmask(const SimMount& m) { return test::readText(m.root() + "/bus/ap/aqmask"); }
  // No write the kernel refused: the guard kept the bit out of the write.
  static void expectNoRefusedWrite(const SimMount& m) {
    std::istringstream in(m.control("writes"));
    for (std::string line; std::getline(in, line);)
      EXPECT_EQ(line.substr(line.rfind('\t') + 1), "0") << "a write failed: " << line;
  }
  // The first run: bit 4 kept (named, with the mdev), bit 0xab given back.
  void expectBitKept(const SimMount& m, const test::ShellResult& r, const std::string& script) {
    EXPECT_EQ(r.status, 1) << r.out << r.err;
    EXPECT_NE(r.err.find(script + ": aqmask bit 4 stays clear: mdev " + std::string(kForeign) +
                         " holds queue 06.0004 under it"),
              std::string::npos)
        << r.err;
    const std::string aq = aqmask(m);
    EXPECT_FALSE(bit(aq, 4)) << aq;
    EXPECT_TRUE(bit(aq, 0xab)) << "the other bit was not given back: " << aq;
    expectNoRefusedWrite(m);
    EXPECT_EQ(m.control("events"), "") << "a queue left an mdev";
    const json cfg = json::parse(m.control("config"));
    bool found = false;
    for (const auto& md : cfg["mdevs"])
      if (md["uuid"] == kForeign) found = true;
    EXPECT_TRUE(found) << "the foreign mdev is gone: " << cfg.dump();
  }
  std::string dir, seed, guest1;
};

TEST_P(MaskGuard, TeardownKeepsABitAForeignMdevUses) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  const std::string start = m->control("config");
  applyAndAddForeign(*m);
  auto r = run(*m, dir + "/out/teardown.sh");
  expectBitKept(*m, r, "teardown.sh");
  // The skipped bit stays recorded as apply.sh's: the rerun may give it back.
  std::istringstream rec(test::readText(dir + "/state/aqmask.cleared"));
  std::vector<std::string> ids;
  for (std::string id; rec >> id;) ids.push_back(id);
  EXPECT_EQ(ids, std::vector<std::string>{"4"});
  removeForeign(*m);
  r = run(*m, dir + "/out/teardown.sh");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(m->control("config"), start) << "the rerun did not give the bit back";
  EXPECT_EQ(m->control("events"), "");
}

// migrate.sh to seed.ap without Guest1: aqmask bits 4 and 0xab go back.
TEST_P(MaskGuard, MigrateKeepsABitAForeignMdevUses) {
  std::string text = seed;
  const std::string g1 = "guest Guest1 {\n    adapters 0x05, 0x06;\n    domains 0x04, 0xab;\n}\n";
  ASSERT_NE(text.find(g1), std::string::npos) << "the example changed; adapt the probe";
  test::writeText(dir + "/new.ap", text.replace(text.find(g1), g1.size(), ""));
  auto r = runShell("\"$APC\" diff \"$L\" \"$N\" -o \"$M\"",
                    {{"APC", apcBin()}, {"L", dir + "/plan.ap.lock"}, {"N", dir + "/new.ap"}, {"M", dir + "/mig"}}, 120);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  auto m = mount();
  ASSERT_TRUE(m->ok());
  applyAndAddForeign(*m);
  const std::string migrate = dir + "/mig/migrate.sh";
  r = run(*m, migrate);
  expectBitKept(*m, r, "migrate.sh");
  removeForeign(*m);
  r = run(*m, migrate);
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_TRUE(bit(aqmask(*m), 4)) << "the rerun did not give the bit back: " << aqmask(*m);
  EXPECT_EQ(json::parse(m->control("config"))["mdevs"].size(), 1u);
  const std::string log = m->control("writes");
  r = run(*m, migrate);
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(m->control("writes"), log) << "a third migrate wrote to sysfs";
  EXPECT_EQ(m->control("events"), "");
}

// Which rule: a foreign mdev on 05.00ff after the admin cleared aqmask bit
// 0xff by hand (so 05.00ff stays vfio_ap's whatever apmask says). Giving
// apmask bit 5 back takes no queue from it, and before 6.19 the kernel allows
// the write; the 6.19 kernel checks against an all-ones aqmask and refuses it
// (EBUSY), so on 6.19 (told by bus/ap/bindings_complete_count) bit 5 is kept.
TEST_P(MaskGuard, TeardownFollowsTheKernelsRuleForABitThatTakesNoQueue) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  auto r = run(*m, dir + "/out/apply.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const json planJson = json::parse(test::readText(dir + "/out/plan.json"));
  const std::string guest2 = planJson["guests"][1]["uuid"];
  const std::string parent = m->root() + "/devices/vfio_ap/matrix";
  r = runShell(
      "set -e; echo -255 > \"$S/bus/ap/aqmask\"; echo 1 > \"$P/$G/remove\";"
      " echo \"$F\" > \"$P/mdev_supported_types/vfio_ap-passthrough/create\";"
      " echo 5 > \"$P/$F/assign_adapter\"; echo 0xff > \"$P/$F/assign_domain\"",
      {{"S", m->root()}, {"P", parent}, {"G", guest2}, {"F", kForeign}});
  ASSERT_EQ(r.status, 0) << r.err;
  r = run(*m, dir + "/out/teardown.sh");
  const std::string ap = test::readText(m->root() + "/bus/ap/apmask");
  const std::string msg = "apmask bit 5 stays clear: mdev " + std::string(kForeign) + " holds queue 05.00ff under it";
  if (GetParam() == KernelGen::K6_19) {
    EXPECT_EQ(r.status, 1) << r.out << r.err;
    EXPECT_NE(r.err.find(msg), std::string::npos) << r.err;
    EXPECT_FALSE(bit(ap, 5)) << ap;
  } else {
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_EQ(r.err.find("stays clear"), std::string::npos) << r.err;
    EXPECT_TRUE(bit(ap, 5)) << ap;
  }
  EXPECT_TRUE(bit(aqmask(*m), 4) && bit(aqmask(*m), 0xab)) << aqmask(*m);
  EXPECT_FALSE(bit(aqmask(*m), 0xff)) << "a bit apply.sh did not clear was set";
  expectNoRefusedWrite(*m);
  EXPECT_EQ(m->control("events"), "");
  EXPECT_EQ(test::readText(parent + "/" + kForeign + "/matrix"), "05.00ff\n");
}

// The hazard the guard avoids, as the model sees it: before 6.0 a mask write
// takes the queue from the mdev (recorded as stolen); from 6.0 it is EBUSY.
TEST_P(MaskGuard, AMaskWriteUnderAForeignMdev) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  applyAndAddForeign(*m);
  auto r = runShell("echo +4 > \"$M\"", {{"M", m->root() + "/bus/ap/aqmask"}});
  if (hasDynamicConfig(GetParam())) {
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.err.find("Device or resource busy"), std::string::npos) << r.err;
    EXPECT_EQ(m->control("events"), "");
  } else {
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(m->control("events").find(std::string(kForeign) + " devices/ap/card06/06.0004 queue stolen"),
              std::string::npos)
        << m->control("events");
  }
}

INSTANTIATE_TEST_SUITE_P(Kernels, MaskGuard, ::testing::ValuesIn(allKernelGens()),
                         [](const ::testing::TestParamInfo<KernelGen>& i) {
                           std::string n = "v" + std::string(kernelGenName(i.param));
                           for (char& c : n)
                             if (c == '.') c = '_';
                           return n;
                         });

}  // namespace
}  // namespace apc::kmod
