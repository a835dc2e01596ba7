// One test per folder of tests/frontend/golden/: `apc check`'s text output for
// <case>/plan.ap must equal <case>/expected.txt. With APC_UPDATE_GOLDEN=1 the
// expected files are rewritten instead (review the diff like code).
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "tests/frontend/test_util.h"

namespace apc::compiler::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kGoldenDir = fs::path(APC_SOURCE_DIR) / "tests/frontend/golden";

std::vector<std::string> caseNames() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kGoldenDir))
    if (e.is_directory()) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Runs with the case folder as the working directory so paths print as
// "plan.ap" and "a.ap", never with the checkout's absolute path.
std::string runCase(const std::string& name) {
  const fs::path old = fs::current_path();
  fs::current_path(kGoldenDir / name);
  Checked c;
  c.plan = loadPlan("plan.ap", c.sm, c.diags);
  fs::current_path(old);
  return c.text();
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, MatchesExpected) {
  const std::string got = runCase(GetParam());
  const fs::path expectedPath = kGoldenDir / GetParam() / "expected.txt";
  const char* update = std::getenv("APC_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(expectedPath, std::ios::binary) << got;
    GTEST_SKIP() << "rewrote " << expectedPath;
  }
  ASSERT_TRUE(fs::exists(expectedPath)) << "missing " << expectedPath << "; run with APC_UPDATE_GOLDEN=1";
  EXPECT_EQ(got, readAll(expectedPath.string()));
  // Every golden case is a bad plan: something must have been reported.
  EXPECT_FALSE(got.empty());
}

INSTANTIATE_TEST_SUITE_P(Cases, Golden, ::testing::ValuesIn(caseNames()),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

}  // namespace
}  // namespace apc::compiler::testing
