// Hostile inputs through build/apc (issue 13): special files never hang
// apc, a read error is never an empty file, malformed locks and sysfs trees
// are diagnostics (exit 1 or 2, never 3), and text from a path cannot add
// lines to a generated plan. Every command runs under `timeout`, so a
// regression fails the test (exit 124) instead of hanging CI.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "tests/support/run_command.h"

namespace apc::testing {
namespace {

namespace fs = std::filesystem;

const std::string kSeed = std::string(APC_SPEC_DIR) + "/examples/seed.ap";

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }
CommandResult apc(const std::string& args) { return runCommand("timeout 20 " + apcBin() + " " + args); }

void expectDiagnosed(const CommandResult& r, const std::string& names, const std::string& what) {
  EXPECT_TRUE(r.exitCode == 1 || r.exitCode == 2) << what << ": exit " << r.exitCode << "\n" << r.err;
  EXPECT_NE(r.err.find(names), std::string::npos) << what << ": " << r.err;
}

TEST(HostileInput, SpecialFilesAsIncludeAreDiagnosed) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  for (const std::string& special : {(dir / "fifo").string(), std::string("/dev/zero"), std::string("/dev/urandom"),
                                    std::string("/proc/self/mem")}) {
    writeText(dir / "plan.ap", "include \"" + special + "\";\n" + slurp(kSeed));
    CommandResult r = apc("check --no-lock " + q(dir / "plan.ap"));
    expectDiagnosed(r, special, "include " + special);
  }
}

TEST(HostileInput, SpecialFilesAsPlanLockPolicyAndOld) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
  fs::copy_file(kSeed, dir / "plan.ap");
  const std::string fifo = (dir / "fifo").string();
  expectDiagnosed(apc("check " + q(fifo)), fifo, "plan FIFO");
  expectDiagnosed(apc("check /dev/zero"), "/dev/zero", "plan /dev/zero");
  expectDiagnosed(apc("check --lock-file " + q(fifo) + " " + q(dir / "plan.ap")), fifo, "lock FIFO");
  expectDiagnosed(apc("check --lock-file /dev/zero " + q(dir / "plan.ap")), "/dev/zero", "lock /dev/zero");
  expectDiagnosed(apc("check --no-lock --policy " + q(fifo) + " " + q(dir / "plan.ap")), fifo, "policy FIFO");
  expectDiagnosed(apc("diff " + q(fifo) + " " + q(dir / "plan.ap")), fifo, "diff OLD FIFO");
  expectDiagnosed(apc("diff /dev/urandom " + q(dir / "plan.ap")), "/dev/urandom", "diff OLD /dev/urandom");
}

// Each of these gave "internal error" (exit 3) or was read wrongly.
TEST(HostileInput, MalformedLocksAreDiagnosed) {
  TempDir dir;
  fs::copy_file(kSeed, dir / "plan.ap");
  ASSERT_EQ(apc("compile -q " + q(dir / "plan.ap") + " -o " + q(dir / "out")).exitCode, 0);
  const std::string good = slurp(dir / "plan.ap.lock");
  auto uuidOf = [&](const std::string& guest) {
    std::size_t g = good.find("\"" + guest + "\"");
    std::size_t u = good.find("\"uuid\": \"", g) + 9;
    return good.substr(u, 36);
  };
  const std::string u1 = uuidOf("Guest1"), u2 = uuidOf("Guest2");
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    s.replace(s.find(from), from.size(), to);
    return s;
  };
  std::string upper = u1;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::size_t g2 = good.find("\"Guest2\"");
  std::string dupGuest = good.substr(0, g2) + "\"Guest1\"" + good.substr(g2 + 8);
  const std::pair<std::string, std::string> cases[] = {
      {"bad uuid", replaced(u1, "zzzzzzzz-2362-5061-8775-177c27bf60e8")},
      {"upper-case uuid", replaced(u1, upper)},
      {"duplicate uuid", replaced(u2, u1)},
      {"path in uuid", replaced(u1, "../../../../../../../tmp/x-8775-17")},
      {"duplicate guest", dupGuest},
      {"format 2^32+1", replaced("\"format\": 1", "\"format\": 4294967297")},
  };
  for (const auto& [what, text] : cases) {
    writeText(dir / "plan.ap.lock", text);
    CommandResult check = apc("check " + q(dir / "plan.ap"));
    EXPECT_EQ(check.exitCode, 1) << what << "\n" << check.err;
    EXPECT_NE(check.err.find("plan.ap.lock"), std::string::npos) << what << check.err;
    writeText(dir / "old.lock", text);
    CommandResult diff = apc("diff " + q(dir / "old.lock") + " " + q(dir / "plan.ap") + " -o " + q(dir / "mig"));
    EXPECT_TRUE(diff.exitCode == 1 || diff.exitCode == 2) << what << ": diff exit " << diff.exitCode << diff.err;
    EXPECT_FALSE(fs::exists(dir / "mig" / "migrate.sh")) << what;
  }
}

// A minimal sysfs tree: one CEX5C card 0x05 and its queues.
fs::path fakeSysfs(const fs::path& root, const std::vector<std::string>& queues) {
  fs::path bus = root / "bus/ap";
  fs::create_directories(bus / "devices/card05");
  writeText(bus / "devices/card05/hwtype", "11\n");
  writeText(bus / "devices/card05/type", "CEX5C\n");
  writeText(bus / "devices/card05/online", "1\n");
  for (const std::string& qn : queues) fs::create_directories(bus / "devices" / qn);
  writeText(bus / "ap_max_adapter_id", "255\n");
  writeText(bus / "ap_max_domain_id", "255\n");
  return bus;
}

TEST(HostileInput, DiscoverDomainAboveFfIsAWarning) {
  TempDir dir;
  fakeSysfs(dir / "sys", {"05.0004", "05.0100", "05.ffff"});
  CommandResult r = apc("discover --sysfs " + q(dir / "sys"));
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.err.find("domain above 0xff"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("domains 0x04"), std::string::npos) << r.out;
}

TEST(HostileInput, DiscoverSpecialAttributesDoNotHang) {
  TempDir dir;
  fs::path bus = fakeSysfs(dir / "sys", {"05.0004"});
  ASSERT_EQ(::mkfifo((bus / "ap_usage_domain_mask").c_str(), 0600), 0);
  fs::remove(bus / "devices/card05/type");
  fs::create_symlink("/dev/zero", bus / "devices/card05/type");
  CommandResult r = apc("discover --sysfs " + q(dir / "sys"));
  EXPECT_NE(r.exitCode, 124) << "discover hung";
  EXPECT_NE(r.exitCode, 3) << r.err;
}

TEST(HostileInput, DiscoverRootWithNewlineCannotInjectPlanText) {
  TempDir dir;
  fs::path root = dir / "x\nguest evil { adapters 0x05; domains 0x04; }\n#";
  fakeSysfs(root, {"05.0004"});
  CommandResult r = apc("discover --sysfs " + q(root));
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out.find("\nguest evil"), std::string::npos) << r.out;
  writeText(dir / "disc.ap", r.out);
  CommandResult check = apc("check --no-lock " + q(dir / "disc.ap"));
  EXPECT_EQ(check.exitCode, 0) << check.err;
}

}  // namespace
}  // namespace apc::testing
