// The CLI end to end: every query (text and JSON), SARIF from `apc check`
// and `apc diff` on the spec's example plans, compared with golden files
// (APC_UPDATE_GOLDEN=1 rewrites them). Runs $APC_BIN from the plan's folder
// so every path in the output is relative.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/query/golden_util.h"

namespace apc {
namespace {

namespace fs = std::filesystem;

struct Case {
  std::string golden;  // file under tests/query/golden/
  std::string dir;     // "spec" (the spec's examples) or "plans" (tests/query/plans)
  std::string args;    // after `apc`, already shell-quoted
  int exitCode = 0;
};

// gtest prints parameters in test listings: the golden name, not raw bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.golden; }

std::string dirOf(const std::string& which) {
  if (which == "spec") return std::string(APC_SPEC_DIR) + "/examples";
  return std::string(APC_SOURCE_DIR) + "/tests/query/plans";
}

struct CliRun {
  std::string out;
  int rc = -1;
};

// Error cases keep stderr too (their message is the point); others stdout only.
CliRun run(const std::string& dir, const std::string& args, bool withStderr = false) {
  const char* bin = std::getenv("APC_BIN");
  CliRun r;
  if (!bin) {
    ADD_FAILURE() << "APC_BIN is not set (ctest sets it to the built apc)";
    return r;
  }
  EXPECT_TRUE(fs::exists(bin)) << bin << " is not built";
  std::string cmd = "cd '" + dir + "' && '" + std::string(bin) + "' " + args + (withStderr ? " 2>&1" : " 2>/dev/null");
  FILE* f = ::popen(cmd.c_str(), "r");
  if (!f) return r;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, f)) r.out.append(buf, n);
  int status = ::pclose(f);
  r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class Golden : public ::testing::TestWithParam<Case> {};

TEST_P(Golden, MatchesAndIsDeterministic) {
  const Case& c = GetParam();
  bool withStderr = c.golden.starts_with("errors/");
  CliRun first = run(dirOf(c.dir), c.args, withStderr);
  EXPECT_EQ(first.rc, c.exitCode) << first.out;
  if (c.golden.ends_with(".json") || c.golden.ends_with(".sarif")) {
    EXPECT_TRUE(nlohmann::json::accept(first.out)) << first.out;
  }
  testing::expectGolden(c.golden, first.out);
  CliRun second = run(dirOf(c.dir), c.args, withStderr);
  EXPECT_EQ(second.out, first.out) << "not deterministic";
}

std::string tmpOut() { return (fs::temp_directory_path() / ("apc_query_golden_" + std::to_string(::getpid()))).string(); }

const Case kCases[] = {
    {"seed/usage.txt", "spec", "query usage seed.ap --no-lock"},
    {"seed/usage.json", "spec", "query usage seed.ap --no-lock --format json"},
    {"seed/resilience.txt", "spec", "query resilience seed.ap --no-lock"},
    {"seed/resilience.json", "spec", "query resilience seed.ap --no-lock --format json"},
    {"seed/fail-05.txt", "spec", "query fail seed.ap --no-lock --adapter 0x05"},
    {"seed/fail-05.json", "spec", "query fail seed.ap --no-lock --adapter 0x05 --format json"},
    {"seed/fit-1x1.txt", "spec", "query fit seed.ap --no-lock --shape 'adapters any 1; domains any 1;'"},
    {"seed/fit-1x1.json", "spec", "query fit seed.ap --no-lock --shape 'adapters any 1; domains any 1;' --format json"},
    {"flexible/usage.txt", "spec", "query usage flexible.ap --no-lock"},
    {"flexible/usage.json", "spec", "query usage flexible.ap --no-lock --format json"},
    {"flexible/resilience.txt", "spec", "query resilience flexible.ap --no-lock"},
    {"flexible/resilience.json", "spec", "query resilience flexible.ap --no-lock --format json"},
    {"flexible/fail-00.txt", "spec", "query fail flexible.ap --no-lock --adapter 0x00"},
    {"flexible/fail-00-04.json", "spec", "query fail flexible.ap --no-lock --adapter 0x00 --adapter 0x04 --format json"},
    {"flexible/fit-web.txt", "spec", "query fit flexible.ap --no-lock --template web"},
    {"flexible/fit-web.json", "spec", "query fit flexible.ap --no-lock --template web --format json"},
    {"flexible/fit-cca2x1.json", "spec",
     "query fit flexible.ap --no-lock --shape 'adapters any 2 mode cca; domains any 1;' --format json"},
    {"flexible/fit-web-moves.json", "spec",
     "query fit flexible.ap --no-lock --template web --allow-moves --format json"},
    {"seed-invalid/check.sarif", "spec", "check seed-invalid.ap --no-lock --format sarif", 1},
    {"policy/check.sarif", "plans", "check team.ap --no-lock --policy platform.ap --format sarif", 1},
    {"policy/check.json", "plans", "check team.ap --no-lock --policy platform.ap --format json", 1},
    {"diff/diff.txt", "plans", "diff old.ap new.ap --no-lock --no-script"},
    {"diff/diff.json", "plans", "diff old.ap new.ap --no-lock --no-script --format json"},
    {"errors/fit-no-shape.txt", "spec", "query fit seed.ap --no-lock", 2},
    {"errors/fail-bad-id.txt", "spec", "query fail seed.ap --no-lock --adapter 05", 2},
    {"errors/fail-unknown-adapter.txt", "spec", "query fail seed.ap --no-lock --adapter 0x09", 2},
    {"errors/fit-bad-shape.txt", "spec", "query fit seed.ap --no-lock --shape 'adapters any 9;domains any 1;'", 1},
};

INSTANTIATE_TEST_SUITE_P(Cli, Golden, ::testing::ValuesIn(kCases), [](const auto& param) {
  std::string n = param.param.golden;
  for (char& ch : n)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
});

TEST(GoldenDiff, WritesMigrateScript) {
  std::string out = tmpOut();
  CliRun r = run(dirOf("plans"), "diff old.ap new.ap --no-lock -o '" + out + "'");
  EXPECT_EQ(r.rc, 0) << r.out;
  fs::path script = fs::path(out) / "migrate.sh";
  ASSERT_TRUE(fs::exists(script));
  EXPECT_NE(fs::status(script).permissions() & fs::perms::owner_exec, fs::perms::none);
  testing::expectGolden("diff/migrate.sh", testing::readAll(script));
  fs::remove_all(out);
}

}  // namespace
}  // namespace apc
