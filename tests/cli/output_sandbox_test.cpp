// compile's output folder is a sandbox (issue 13): nothing is written or
// deleted through a symlink planted in it, the manifest cannot name files
// outside apc's own, a folder apc did not write is refused, and the folder
// changes as a whole (old set or new set, never a mix, even under kill -9).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>

#include "tests/support/run_command.h"

namespace apc::testing {
namespace {

namespace fs = std::filesystem;

const std::string kSeed = std::string(APC_SPEC_DIR) + "/examples/seed.ap";

fs::path seedPlan(const TempDir& dir) {
  fs::path to = dir / "plan.ap";
  fs::copy_file(kSeed, to);
  return to;
}

// Each guest on its own domain of one adapter: many mdevctl files.
std::string manyGuests(int n, const std::string& prefix) {
  std::string s = "host h {\n interface modern;\n crycb format 2;\n adapter 0x01 CEX7C;\n domains 0x00..0xfe;\n}\n";
  for (int i = 0; i < n; ++i)
    s += "guest " + prefix + std::to_string(i) + " {\n adapters 0x01;\n domains " + std::to_string(i) + ";\n}\n";
  return s;
}

std::string compile(const fs::path& plan, const std::string& extra = "") {
  return apcBin() + " compile -q " + extra + " '" + plan.string() + "'";
}

mode_t modeOf(const fs::path& p) {
  struct stat st {};
  ::stat(p.c_str(), &st);
  return st.st_mode & 07777;
}

TEST(OutputSandbox, PlantedTempNameSymlinkIsNotWrittenThrough) {
  TempDir dir;
  fs::path plan = seedPlan(dir);
  ASSERT_EQ(runCommand(compile(plan)).exitCode, 0);
  writeText(dir / "victim", "precious\n");
  ::chmod((dir / "victim").c_str(), 0600);
  // The old writer used "<file>.apc-tmp.<pid>": with exec the shell's $$ is apc's pid.
  std::string plant;
  for (const char* f : {"plan.json", "apply.sh", ".apc-manifest"})
    plant += "ln -s '" + (dir / "victim").string() + "' '" + (dir / "plan.out" / f).string() + ".apc-tmp.'$$; ";
  CommandResult r = runCommand("sh -c \"" + plant + "exec " + compile(plan) + "\"");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(slurp(dir / "victim"), "precious\n");
  EXPECT_EQ(modeOf(dir / "victim"), 0600u);
  EXPECT_NE(slurp(dir / "plan.out" / "plan.json").find("Guest1"), std::string::npos);
}

TEST(OutputSandbox, SymlinkedSubfolderIsNeitherWrittenNorDeletedThrough) {
  TempDir dir;
  fs::path plan = seedPlan(dir);
  ASSERT_EQ(runCommand(compile(plan)).exitCode, 0);
  fs::path out = dir / "plan.out";
  fs::create_directory(dir / "outside");
  writeText(dir / "outside" / "keep.json", "mine\n");
  std::set<std::string> before;
  for (const auto& e : fs::directory_iterator(out / "mdevctl")) before.insert(e.path().filename());
  fs::remove_all(out / "mdevctl");
  fs::create_directory_symlink(dir / "outside", out / "mdevctl");
  writeText(out / ".apc-manifest", slurp(out / ".apc-manifest") + "mdevctl/keep.json\n");
  CommandResult r = runCommand(compile(plan));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(slurp(dir / "outside" / "keep.json"), "mine\n");
  std::set<std::string> outside;
  for (const auto& e : fs::directory_iterator(dir / "outside")) outside.insert(e.path().filename());
  EXPECT_EQ(outside, std::set<std::string>{"keep.json"});
  EXPECT_FALSE(fs::is_symlink(out / "mdevctl"));
  std::set<std::string> after;
  for (const auto& e : fs::directory_iterator(out / "mdevctl")) after.insert(e.path().filename());
  EXPECT_EQ(after, before);
  EXPECT_NE(r.err.find("mdevctl"), std::string::npos) << "the dropped symlink is named";
}

TEST(OutputSandbox, ManifestCannotDeleteThePlanOrReachOutside) {
  TempDir dir;
  fs::path plan = seedPlan(dir);
  writeText(dir / "common.ap", "# nothing\n");
  writeText(plan, "include \"common.ap\";\n" + slurp(plan));
  // `-o` the plan's own folder, once with --force since the plan is there.
  ASSERT_EQ(runCommand("cd '" + dir.path().string() + "' && " + apcBin() + " compile -q --force -o . plan.ap")
                .exitCode,
            0);
  fs::create_directory(dir / "sub");
  writeText(dir / "sub" / "x", "x\n");
  writeText(dir / ".apc-manifest", slurp(dir / ".apc-manifest") +
                                       "plan.ap\ncommon.ap\nplan.ap.lock\n../escape\n/etc/passwd\nsub/../sub/x\n");
  CommandResult r =
      runCommand("cd '" + dir.path().string() + "' && " + apcBin() + " compile -q -o . plan.ap");
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "plan.ap"));
  EXPECT_TRUE(fs::exists(dir / "common.ap"));
  EXPECT_TRUE(fs::exists(dir / "plan.ap.lock"));
  EXPECT_TRUE(fs::exists(dir / "sub" / "x"));
  EXPECT_TRUE(fs::exists(dir / "apply.sh"));
  for (const char* line : {"'plan.ap'", "'common.ap'", "'plan.ap.lock'", "'../escape'", "'/etc/passwd'"})
    EXPECT_NE(r.err.find(std::string("ignoring manifest entry ") + line), std::string::npos) << line << r.err;
  // The next compile's manifest is apc's own again.
  EXPECT_EQ(slurp(dir / ".apc-manifest").find("plan.ap"), std::string::npos);
}

TEST(OutputSandbox, ForeignFolderIsRefusedUnlessForced) {
  TempDir dir;
  fs::path plan = seedPlan(dir);
  fs::create_directory(dir / "site");
  writeText(dir / "site" / "plan.json", "user's own file\n");
  writeText(dir / "site" / "notes.txt", "notes\n");
  CommandResult refused = runCommand(compile(plan, "-o '" + (dir / "site").string() + "'"));
  EXPECT_EQ(refused.exitCode, 2);
  EXPECT_NE(refused.err.find("--force"), std::string::npos) << refused.err;
  EXPECT_EQ(slurp(dir / "site" / "plan.json"), "user's own file\n");
  EXPECT_FALSE(fs::exists(dir / "site" / "apply.sh"));

  CommandResult forced = runCommand(compile(plan, "--force -o '" + (dir / "site").string() + "'"));
  ASSERT_EQ(forced.exitCode, 0) << forced.err;
  EXPECT_NE(forced.err.find("replacing 'plan.json'"), std::string::npos) << forced.err;
  EXPECT_EQ(slurp(dir / "site" / "notes.txt"), "notes\n");
  EXPECT_TRUE(fs::exists(dir / "site" / "apply.sh"));
  // An empty folder needs no --force, and a folder apc wrote neither.
  fs::create_directory(dir / "empty");
  EXPECT_EQ(runCommand(compile(plan, "-o '" + (dir / "empty").string() + "'")).exitCode, 0);
  EXPECT_EQ(runCommand(compile(plan, "-o '" + (dir / "site").string() + "'")).exitCode, 0);
}

TEST(OutputSandbox, OutputFolderSymlinkIsRefused) {
  TempDir dir;
  fs::path plan = seedPlan(dir);
  fs::create_directory(dir / "real");
  fs::create_directory_symlink(dir / "real", dir / "plan.out");
  CommandResult r = runCommand(compile(plan));
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("symlink"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_empty(dir / "real"));
}

TEST(OutputSandbox, FolderIsReplacedAsAWholeAndLeftoversAreCleaned) {
  TempDir dir;
  fs::path plan = dir / "plan.ap";
  writeText(plan, manyGuests(6, "A"));
  ASSERT_EQ(runCommand(compile(plan)).exitCode, 0);
  fs::path out = dir / "plan.out";
  // A killed run's leftovers beside the folder and its temp file inside.
  fs::create_directory(dir / "plan.out.apc-new.0123456789abcdef");
  writeText(dir / "plan.out.apc-new.0123456789abcdef" / "apply.sh", "stale\n");
  fs::create_directory(dir / "plan.out.apc-old.fedcba9876543210");
  writeText(out / "apply.sh.apc-tmp.4242", "torn\n");
  fs::create_directory(dir / "plan.out.apc-new.not-ours");  // not apc's pattern: kept

  writeText(plan, manyGuests(3, "B"));
  ASSERT_EQ(runCommand(compile(plan)).exitCode, 0);
  EXPECT_FALSE(fs::exists(dir / "plan.out.apc-new.0123456789abcdef"));
  EXPECT_FALSE(fs::exists(dir / "plan.out.apc-old.fedcba9876543210"));
  EXPECT_TRUE(fs::exists(dir / "plan.out.apc-new.not-ours"));
  for (const auto& e : fs::recursive_directory_iterator(dir.path()))
    EXPECT_EQ(e.path().string().find(".apc-tmp."), std::string::npos) << e.path();
  // Only the new set: the A guests' mdevctl files went with the old set.
  std::string json = slurp(out / "plan.json");
  EXPECT_EQ(json.find("\"A0\""), std::string::npos);
  std::size_t mdevs = 0;
  for (const auto& e : fs::directory_iterator(out / "mdevctl")) mdevs += e.path().extension() == ".json";
  EXPECT_EQ(mdevs, 3u);
}

// kill -9 at varied points of a compile never leaves a mix: whatever is in
// the folder afterwards is one compile's complete set.
TEST(OutputSandbox, KilledCompileNeverLeavesAMix) {
  TempDir dir;
  fs::path plan = dir / "plan.ap";
  writeText(plan, manyGuests(80, "A"));
  ASSERT_EQ(runCommand(compile(plan, "--no-lock")).exitCode, 0);
  fs::path out = dir / "plan.out";
  writeText(plan, manyGuests(60, "B"));
  for (int delayMs : {20, 60, 120, 200, 300, 450}) {
    runCommand("sh -c '" + compile(plan, "--no-lock") + " & p=$!; sleep " + std::to_string(delayMs / 1000.0) +
               "; kill -9 $p; wait $p'");
    ASSERT_TRUE(fs::is_directory(out));
    std::string json = slurp(out / "plan.json");
    const bool isA = json.find("\"A0\"") != std::string::npos;
    const bool isB = json.find("\"B0\"") != std::string::npos;
    ASSERT_NE(isA, isB) << delayMs;
    std::size_t a = 0, b = 0;
    for (const auto& e : fs::recursive_directory_iterator(out)) {
      if (!e.is_regular_file()) continue;
      std::string text = slurp(e.path());
      a += text.find("A1") != std::string::npos;
      b += text.find("B1") != std::string::npos;
    }
    EXPECT_TRUE(isA ? b == 0 : a == 0) << "mixed set after kill at " << delayMs << " ms";
    // The manifest lists exactly the files there.
    std::size_t listed = 0;
    std::string m = slurp(out / ".apc-manifest");
    for (char ch : m) listed += ch == '\n';
    std::size_t files = 0;
    for (const auto& e : fs::recursive_directory_iterator(out))
      files += e.is_regular_file() && e.path().filename() != ".apc-manifest";
    EXPECT_EQ(listed, files) << delayMs;
  }
  ASSERT_EQ(runCommand(compile(plan, "--no-lock")).exitCode, 0);
  for (const auto& e : fs::directory_iterator(dir.path()))
    EXPECT_EQ(e.path().filename().string().find(".apc-"), std::string::npos) << e.path();
}

TEST(OutputSandbox, ModesDoNotDependOnUmask) {
  TempDir dir;
  fs::path plan = seedPlan(dir);
  ASSERT_EQ(runCommand("umask 077 && " + compile(plan)).exitCode, 0);
  EXPECT_EQ(modeOf(dir / "plan.out" / "apply.sh"), 0755u);
  EXPECT_EQ(modeOf(dir / "plan.out" / "plan.json"), 0644u);
  EXPECT_EQ(modeOf(dir / "plan.out"), 0755u);
  EXPECT_EQ(modeOf(dir / "plan.out" / "mdevctl"), 0755u);
}

}  // namespace
}  // namespace apc::testing
