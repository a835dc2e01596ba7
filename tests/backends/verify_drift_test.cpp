// verify.sh's view of an mdev of the plan whose matrix drifted: a queue less
// (an unassign by hand, or a half-done change) and a queue more (an assign by
// hand) are each one difference naming both matrices, and the host is not
// reported as matching. Other kinds of drift are in backends_script_test
// (control domains, bindings, missing and extra mdevs, masks) and the
// kmod e2e tests (empty extra mdev, mdevctl definitions on the sim). Here
// too: mdevctl definitions (APC_MDEVCTL_DIR/<parent>/<uuid>) outside the plan
// that assign queues, and a plan guest's definition that differs.
#include <gtest/gtest.h>

#include <fstream>

#include "backends/emitters.h"
#include "tests/backends/fake_sysfs.h"
#include "tests/backends/fixtures.h"

namespace apc::backends {
namespace {

namespace fs = std::filesystem;

constexpr const char* kGuest1 = "0f5b2c1a-7e4d-5a3b-9c2d-1e0f4a5b6c7d";  // 05/06 x 0004/00ab

class VerifyDriftTest : public ::testing::TestWithParam<ir::Interface> {
 protected:
  ir::SolvedPlan solved = test::seedSolved(GetParam());
  test::TempDir tmp;
  test::FakeHost h = test::makeAppliedHost(tmp.path, solved);
  int verify(std::string* out) {
    fs::path dir = tmp.path / "out";
    if (!fs::exists(dir)) test::writeArtifacts(dir, emitScripts(solved));
    return test::runScript(h, dir / "verify.sh", out);
  }
};

TEST_P(VerifyDriftTest, AppliedHostMatches) {
  std::string out;
  EXPECT_EQ(verify(&out), 0) << out;
}

TEST_P(VerifyDriftTest, MatrixWithAQueueLessOrMore) {
  const std::string planned = "05.0004 05.00ab 06.0004 06.00ab";
  for (const char* drifted : {"05.0004\n05.00ab\n06.0004\n", "05.0004\n05.0047\n05.00ab\n06.0004\n06.00ab\n"}) {
    std::ofstream(h.parent() / kGuest1 / "matrix") << drifted;
    std::string out, shown = drifted;
    shown.pop_back();
    for (char& c : shown)
      if (c == '\n') c = ' ';
    EXPECT_EQ(verify(&out), 1) << out;
    EXPECT_NE(out.find(std::string("mdev ") + kGuest1 + " (guest Guest1): matrix is '" + shown + "', the plan says '" +
                       planned + "'"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("1 difference(s)"), std::string::npos) << out;
    EXPECT_EQ(out.find("matches the plan"), std::string::npos) << out;
  }
}

// The applied modern seed with apc's own definitions installed the way
// mdevctl 1.2 keeps them: <dir>/matrix/<uuid>, no ".json", and scripts.d.
class VerifyMdevctlTest : public ::testing::Test {
 protected:
  ir::SolvedPlan solved = test::seedSolved(ir::Interface::Modern);
  test::TempDir tmp;
  test::FakeHost h = test::makeAppliedHost(tmp.path, solved);
  fs::path defs = test::mdevctlDir(h);
  void SetUp() override {
    fs::create_directories(defs / "scripts.d/callouts");
    fs::create_directories(defs / "scripts.d/notifiers");
    fs::create_directories(defs / "matrix");
    for (const Artifact& a : emitMdevctl(solved)) {
      if (!a.path.ends_with(".json")) continue;
      std::string uuid = fs::path(a.path).stem().string();
      std::ofstream(defs / "matrix" / uuid) << a.bytes;
    }
  }
  int verify(std::string* out) {
    fs::path dir = tmp.path / "out";
    if (!fs::exists(dir)) test::writeArtifacts(dir, emitScripts(solved));
    return test::runScript(h, dir / "verify.sh", out);
  }
  static bool has(const std::string& out, const std::string& text) { return out.find(text) != std::string::npos; }
};

constexpr const char* kStray = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

TEST_F(VerifyMdevctlTest, ThePlansOwnDefinitionsMatch) {
  // Definitions verify must leave alone: not vfio_ap, and a vfio_ap one that
  // assigns no queue (a control domain only: it can hold nothing).
  fs::create_directories(defs / "css-0");
  std::ofstream(defs / "css-0/11111111-2222-4333-8444-555555555555")
      << R"({"mdev_type": "vfio_ccw-io", "start": "auto", "attrs": [{"assign_adapter": "0x5"}]})";
  std::ofstream(defs / "matrix" / kStray)
      << R"({"mdev_type": "vfio_ap-passthrough", "start": "manual", "attrs": [{"assign_adapter": "0x5"}, {"assign_control_domain": "0x4"}]})";
  std::string out;
  EXPECT_EQ(verify(&out), 0) << out;
  EXPECT_TRUE(has(out, "the live configuration matches the plan")) << out;
}

TEST_F(VerifyMdevctlTest, AStrayDefinitionAssigningQueuesIsDrift) {
  // Hand-written, on one line, with the spellings the kernel accepts: hex,
  // decimal and octal (0253 = 0xab).
  const fs::path file = defs / "matrix" / kStray;
  std::ofstream(file) << R"({"mdev_type":"vfio_ap-passthrough","start":"auto","attrs":[)"
                      << R"({"assign_adapter":"0x06"},{"assign_domain":"4"},{"assign_domain":"0253"},)"
                      << R"({"assign_control_domain":"0x4"}]})";
  std::string out;
  EXPECT_EQ(verify(&out), 1) << out;
  EXPECT_TRUE(has(out, "mdevctl definition " + file.string() + ": not in the plan, assigns 06.0004 06.00ab\n")) << out;
  EXPECT_TRUE(has(out, "queue 06.0004: in the mdevctl definition " + file.string() +
                           ", the plan gives it to guest Guest1\n"))
      << out;
  EXPECT_TRUE(has(out, "queue 06.00ab: in the mdevctl definition")) << out;
  EXPECT_TRUE(has(out, "3 difference(s)")) << out;
  EXPECT_FALSE(has(out, "matches the plan")) << out;
  // Queues no guest has are drift as well, under any parent directory.
  fs::remove(file);
  fs::create_directories(defs / "other");
  std::ofstream(defs / "other" / kStray) << "{\n  \"mdev_type\": \"vfio_ap-passthrough\",\n  \"start\": \"auto\",\n"
                                         << "  \"attrs\": [\n    {\n      \"assign_adapter\": \"0x7\"\n    },\n"
                                         << "    {\n      \"assign_domain\": \"0x9\"\n    }\n  ]\n}";
  EXPECT_EQ(verify(&out), 1) << out;
  EXPECT_TRUE(has(out, "mdevctl definition " + (defs / "other" / kStray).string() + ": not in the plan, assigns 07.0009\n"))
      << out;
  EXPECT_TRUE(has(out, "1 difference(s)")) << out;
}

TEST_F(VerifyMdevctlTest, AValueTheKernelRefusesIsDrift) {
  std::ofstream(defs / "matrix" / kStray)
      << R"J({"mdev_type": "vfio_ap-passthrough", "attrs": [{"assign_adapter": "0x100"}, {"assign_domain": "09"}, {"assign_domain": "$(touch PWNED)"}]})J";
  std::string out;
  EXPECT_EQ(verify(&out), 1) << out;
  EXPECT_TRUE(has(out, "not in the plan, assigns no queue and refused values: assign_adapter '0x100' assign_domain '09' "
                       "assign_domain '$(touch PWNED)'\n"))
      << out;
  EXPECT_FALSE(fs::exists(tmp.path / "PWNED"));
}

TEST_F(VerifyMdevctlTest, APlanGuestsDefinitionThatDiffersIsDrift) {
  const fs::path file = defs / "matrix" / kGuest1;
  std::ofstream(file) << R"({"mdev_type": "vfio_ap-passthrough", "start": "auto", "attrs": [{"assign_adapter": "0x5"}, {"assign_domain": "0x4"}]})";
  std::string out;
  EXPECT_EQ(verify(&out), 1) << out;
  EXPECT_TRUE(has(out, std::string("mdev ") + kGuest1 + " (guest Guest1): the mdevctl definition " + file.string() +
                           " differs from the plan's (it assigns '05.0004'; the plan's matrix is "
                           "'05.0004 05.00ab 06.0004 06.00ab')\n"))
      << out;
  // Its right definition, and a second one under another parent than matrix.
  std::string mine;
  for (const Artifact& a : emitMdevctl(solved))
    if (a.path == std::string("mdevctl/") + kGuest1 + ".json") mine = a.bytes;
  ASSERT_FALSE(mine.empty());
  std::ofstream(file) << mine;
  EXPECT_EQ(verify(&out), 0) << out;
  fs::create_directories(defs / "other");
  std::ofstream(defs / "other" / kGuest1) << mine;
  EXPECT_EQ(verify(&out), 1) << out;
  EXPECT_TRUE(has(out, "mdevctl definition " + (defs / "other" / kGuest1).string() +
                           ": guest Guest1 is defined under parent 'other', the plan's is matrix\n"))
      << out;
}

INSTANTIATE_TEST_SUITE_P(Interfaces, VerifyDriftTest, ::testing::Values(ir::Interface::Modern, ir::Interface::Legacy),
                         [](const auto& param) { return std::string(ir::interfaceName(param.param)); });

}  // namespace
}  // namespace apc::backends
