// verify.sh's view of an mdev of the plan whose matrix drifted: a queue less
// (an unassign by hand, or a half-done change) and a queue more (an assign by
// hand) are each one difference naming both matrices, and the host is not
// reported as matching. Other kinds of drift are in backends_script_test
// (control domains, bindings, missing and extra mdevs, masks) and the
// kmod e2e tests (empty extra mdev, mdevctl definitions).
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

INSTANTIATE_TEST_SUITE_P(Interfaces, VerifyDriftTest, ::testing::Values(ir::Interface::Modern, ir::Interface::Legacy),
                         [](const auto& param) { return std::string(ir::interfaceName(param.param)); });

}  // namespace
}  // namespace apc::backends
