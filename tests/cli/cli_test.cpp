// The CLI end to end: what a user or a CI job sees (exit codes, diagnostics,
// files written, the lock, byte-for-byte determinism).
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/run_command.h"

namespace apc::testing {
namespace {

namespace fs = std::filesystem;

const std::string kSeed = std::string(APC_SPEC_DIR) + "/examples/seed.ap";
const std::string kFlexible = std::string(APC_SPEC_DIR) + "/examples/flexible.ap";
const std::string kInvalid = std::string(APC_SPEC_DIR) + "/examples/seed-invalid.ap";

// Copies a spec example into `dir` so compile's outputs (plan.out, lock) land there.
fs::path copyExample(const std::string& from, const TempDir& dir, const std::string& name = "plan.ap") {
  fs::path to = dir / name;
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  return to;
}

TEST(Cli, VersionHelpAndUsageErrors) {
  EXPECT_EQ(runCommand(apcBin() + " --version").exitCode, 0);
  CommandResult help = runCommand(apcBin() + " --help");
  EXPECT_EQ(help.exitCode, 0);
  for (const char* cmd : {"check", "compile", "fmt", "show", "query", "diff", "discover", "sim"})
    EXPECT_NE(help.out.find(cmd), std::string::npos) << cmd;
  EXPECT_EQ(runCommand(apcBin() + " compile --help").exitCode, 0);
  EXPECT_EQ(runCommand(apcBin()).exitCode, 2);
  EXPECT_EQ(runCommand(apcBin() + " frobnicate").exitCode, 2);
  EXPECT_EQ(runCommand(apcBin() + " check").exitCode, 2);
  EXPECT_EQ(runCommand(apcBin() + " check --format yaml " + kSeed).exitCode, 2);
}

TEST(Cli, CheckExamples) {
  EXPECT_EQ(runCommand(apcBin() + " check --no-lock " + kSeed).exitCode, 0);
  EXPECT_EQ(runCommand(apcBin() + " check --no-lock " + kFlexible).exitCode, 0);
  CommandResult bad = runCommand(apcBin() + " check --no-lock " + kInvalid);
  EXPECT_EQ(bad.exitCode, 1);
  EXPECT_NE(bad.err.find("error:"), std::string::npos);
  EXPECT_NE(bad.err.find("01.0006"), std::string::npos);
  EXPECT_NE(bad.err.find("Guest1"), std::string::npos);
  EXPECT_NE(bad.err.find("Guest2"), std::string::npos);
  EXPECT_NE(bad.err.find("[E116]"), std::string::npos);
}

TEST(Cli, CheckJsonGoesToStdout) {
  CommandResult bad = runCommand(apcBin() + " check --no-lock --format json " + kInvalid);
  EXPECT_EQ(bad.exitCode, 1);
  EXPECT_NE(bad.out.find("\"code\": \"E116\""), std::string::npos);
  EXPECT_NE(bad.out.find("\"line\":"), std::string::npos);
}

// Issue 11: while a solver error stands, the policy findings the requests
// alone decide (E301/E302/E304) are still reported, by check and compile.
TEST(Cli, PolicyFindingsAreReportedBesideSolverErrors) {
  TempDir dir;
  writeText(dir / "p.ap",
            "host h {\n    adapter 0x01 CEX7C;\n    adapter 0x02 CEX7P;\n    domains 0x01..0x04;\n}\n"
            "guest a { adapters any 1 mode cca; domains any 3; tags prod; }\n"
            "guest b { adapters any 1 mode cca; domains any 2; }\n"
            "policy {\n    min adapters 2 for tag prod;\n    headroom 50%;\n}\n");
  const std::string plan = (dir / "p.ap").string();
  for (const std::string& cmd : {" check --format json " + plan, " compile --format json " + plan + " -o " +
                                                                    (dir / "out").string()}) {
    CommandResult r = runCommand(apcBin() + cmd);
    EXPECT_EQ(r.exitCode, 1) << cmd << r.out << r.err;
    const std::string all = r.out + r.err;
    EXPECT_NE(all.find("\"code\": \"E202\""), std::string::npos) << cmd << all;
    EXPECT_NE(all.find("\"code\": \"E301\""), std::string::npos) << cmd << all;
    EXPECT_NE(all.find("guest 'a' asks for 1 adapter; the policy requires at least 2 for tag 'prod'"),
              std::string::npos) << all;
    EXPECT_NE(all.find("\"code\": \"E304\""), std::string::npos) << cmd << all;
    EXPECT_NE(all.find("the guests ask for 5 of 8 guest-usable queues, leaving 3 free; headroom 50% needs at least 4"),
              std::string::npos) << all;
  }
  EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST(Cli, IoErrorsAreExitTwo) {
  TempDir dir;
  CommandResult missing = runCommand(apcBin() + " check " + (dir / "nope.ap").string());
  EXPECT_EQ(missing.exitCode, 2);
  EXPECT_NE(missing.err.find("nope.ap"), std::string::npos);
  EXPECT_EQ(runCommand(apcBin() + " check " + dir.path().string()).exitCode, 2);
  EXPECT_EQ(runCommand(apcBin() + " compile " + dir.path().string()).exitCode, 2);
}

TEST(Cli, BadBytesAreDiagnosedNotCrashed) {
  TempDir dir;
  writeText(dir / "empty.ap", "");
  CommandResult empty = runCommand(apcBin() + " check " + (dir / "empty.ap").string());
  EXPECT_EQ(empty.exitCode, 1);
  EXPECT_NE(empty.err.find("E101"), std::string::npos);
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919) % 256);
  writeText(dir / "garbage.ap", garbage);
  EXPECT_EQ(runCommand(apcBin() + " check " + (dir / "garbage.ap").string()).exitCode, 1);
  writeText(dir / "long.ap", "host h { domains " + std::string(10'000'000, '1') + "; }\n");
  EXPECT_EQ(runCommand(apcBin() + " check " + (dir / "long.ap").string()).exitCode, 1);
  writeText(dir / "deep.ap", std::string(100'000, '{'));
  EXPECT_EQ(runCommand(apcBin() + " check " + (dir / "deep.ap").string()).exitCode, 1);
}

TEST(Cli, CompileWritesArtifactsAndLockDeterministically) {
  TempDir dir;
  fs::path plan = copyExample(kSeed, dir);
  CommandResult first = runCommand(apcBin() + " compile " + plan.string());
  ASSERT_EQ(first.exitCode, 0) << first.err;
  fs::path out = dir / "plan.out";
  EXPECT_TRUE(fs::exists(out / "plan.json"));
  EXPECT_TRUE(fs::exists(out / "apply.sh"));
  EXPECT_TRUE(fs::exists(dir / "plan.ap.lock"));
  EXPECT_NE(first.out.find("Guest1"), std::string::npos);  // the allocation table
  std::string json1 = slurp(out / "plan.json");
  std::string lock1 = slurp(dir / "plan.ap.lock");
  // No leftovers from the atomic writes.
  for (const auto& e : fs::recursive_directory_iterator(dir.path()))
    EXPECT_EQ(e.path().string().find(".apc-tmp."), std::string::npos) << e.path();

  fs::path other = dir / "again.out";
  ASSERT_EQ(runCommand(apcBin() + " compile -q --no-lock " + plan.string() + " -o " + other.string() +
                       " --lock-file " + (dir / "again.lock").string())
                .exitCode,
            0);
  EXPECT_EQ(slurp(other / "plan.json"), json1);
  EXPECT_EQ(slurp(dir / "again.lock"), lock1);
  for (const auto& e : fs::recursive_directory_iterator(out)) {
    if (!e.is_regular_file()) continue;
    fs::path rel = fs::relative(e.path(), out);
    EXPECT_EQ(slurp(e.path()), slurp(other / rel)) << rel;
  }
}

TEST(Cli, EmitSelectsArtifacts) {
  TempDir dir;
  fs::path plan = copyExample(kSeed, dir);
  ASSERT_EQ(runCommand(apcBin() + " compile -q --emit json " + plan.string()).exitCode, 0);
  EXPECT_TRUE(fs::exists(dir / "plan.out" / "plan.json"));
  EXPECT_FALSE(fs::exists(dir / "plan.out" / "apply.sh"));
  EXPECT_EQ(runCommand(apcBin() + " compile -q --emit nonsense " + plan.string()).exitCode, 2);
}

TEST(Cli, FailedCompileWritesNothing) {
  TempDir dir;
  fs::path plan = copyExample(kInvalid, dir);
  EXPECT_EQ(runCommand(apcBin() + " compile " + plan.string()).exitCode, 1);
  EXPECT_FALSE(fs::exists(dir / "plan.out"));
  EXPECT_FALSE(fs::exists(dir / "plan.ap.lock"));
}

// fuzz/regressions/uuid-equals-derived.ap: a plan uuid equal to the uuid apc
// derives for another guest is the plan's error E117 (exit 1, the location of
// the uuid, nothing written), not a checker failure (exit 3).
TEST(Cli, UuidEqualToADerivedOneExitsOne) {
  TempDir dir;
  fs::path plan = copyExample(std::string(APC_SOURCE_DIR) + "/fuzz/regressions/uuid-equals-derived.ap", dir);
  for (const std::string cmd : {" check ", " compile "}) {
    CommandResult r = runCommand(apcBin() + cmd + plan.string());
    EXPECT_EQ(r.exitCode, 1) << cmd << r.out << r.err;
    EXPECT_NE(r.err.find("plan.ap:8:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("[E117]"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("guests 'aaa' and 'Beta2' would share uuid c59d06cf-79d7-5f8c-be7a-65ca48ca154e"),
              std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(dir / "plan.out"));
  EXPECT_FALSE(fs::exists(dir / "plan.ap.lock"));
}

TEST(Cli, LockKeepsGuestsAndLockedRefusesMoves) {
  TempDir dir;
  fs::path plan = copyExample(kFlexible, dir);
  ASSERT_EQ(runCommand(apcBin() + " compile -q " + plan.string()).exitCode, 0);
  std::string json1 = slurp(dir / "plan.out" / "plan.json");
  // Unchanged plan: --locked passes and nothing moves.
  ASSERT_EQ(runCommand(apcBin() + " check --locked " + plan.string()).exitCode, 0);
  // Add a guest: every guest of the first compile keeps its matrix.
  std::string text = slurp(plan);
  writeText(plan, text + "\nguest extra { adapters any 1 mode accel; domains any 2; }\n");
  CommandResult more = runCommand(apcBin() + " compile -q " + plan.string());
  ASSERT_EQ(more.exitCode, 0) << more.err;
  std::string json2 = slurp(dir / "plan.out" / "plan.json");
  // Every guest of the first compile keeps its matrix: its JSON object is unchanged.
  auto guestBlock = [](const std::string& json, const std::string& name) {
    auto at = json.find("\"name\": \"" + name + "\"");
    return at == std::string::npos ? std::string() : json.substr(at, json.find('}', json.find("\"crycb\"", at)) - at);
  };
  for (const char* g : {"web1", "web2", "web6", "hsm-signer", "batch"})
    EXPECT_EQ(guestBlock(json1, g), guestBlock(json2, g)) << g;
  EXPECT_FALSE(guestBlock(json2, "extra").empty());
  // Change batch's requirement: its locked matrix no longer fits (it gives
  // up queues; growth alone would pass), so --locked must fail and name it,
  // and must not touch the lock.
  std::string lockBefore = slurp(dir / "plan.ap.lock");
  std::string changed = slurp(plan);
  changed.replace(changed.find("domains any 4"), 13, "domains any 3");
  writeText(plan, changed);
  CommandResult locked = runCommand(apcBin() + " compile -q --locked " + plan.string());
  EXPECT_EQ(locked.exitCode, 1);
  EXPECT_NE(locked.err.find("batch"), std::string::npos);
  EXPECT_NE(locked.err.find("E203"), std::string::npos);
  EXPECT_EQ(slurp(dir / "plan.ap.lock"), lockBefore);
}

TEST(Cli, CorruptLockIsAnError) {
  TempDir dir;
  fs::path plan = copyExample(kSeed, dir);
  writeText(dir / "plan.ap.lock", "{ not json");
  CommandResult r = runCommand(apcBin() + " check " + plan.string());
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.err.find("E207"), std::string::npos);
  EXPECT_EQ(runCommand(apcBin() + " check --no-lock " + plan.string()).exitCode, 0);
}

TEST(Cli, FmtIsIdempotentAndCheckable) {
  TempDir dir;
  fs::path plan = copyExample(kFlexible, dir);
  CommandResult once = runCommand(apcBin() + " fmt " + plan.string());
  ASSERT_EQ(once.exitCode, 0) << once.err;
  writeText(dir / "f1.ap", once.out);
  CommandResult twice = runCommand(apcBin() + " fmt " + (dir / "f1.ap").string());
  EXPECT_EQ(twice.out, once.out);
  EXPECT_EQ(runCommand(apcBin() + " fmt --check " + (dir / "f1.ap").string()).exitCode, 0);
  ASSERT_EQ(runCommand(apcBin() + " fmt --write " + plan.string()).exitCode, 0);
  EXPECT_EQ(slurp(plan), once.out);
  EXPECT_EQ(runCommand(apcBin() + " fmt " + (dir / "missing.ap").string()).exitCode, 2);
}

TEST(Cli, ShowPrintsTablesAndMatrix) {
  CommandResult r = runCommand(apcBin() + " show --no-lock " + kSeed);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("05.0004"), std::string::npos);
  EXPECT_NE(r.out.find("CEX5C"), std::string::npos);
}

}  // namespace
}  // namespace apc::testing
