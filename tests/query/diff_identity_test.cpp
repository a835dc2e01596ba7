// `apc diff` end to end through the CLI: the same allocation as `apc compile`
// with the same lock, a rename that keeps its mdev, a plan without a lock
// refused, and (in the emulated sysfs, FUSE) the adoption path (apply,
// discover with mdevctl and libvirt files under a test root, diff) and
// `apc diff --live`.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/query/golden_util.h"

namespace apc {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

int sh(const std::string& cmd, std::string* out = nullptr) {
  FILE* f = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!f) return -1;
  std::string text;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, f)) text.append(buf, n);
  int st = ::pclose(f);
  if (out) *out = text;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

std::string q(const fs::path& p) { return "'" + p.string() + "'"; }

class DiffCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("APC_BIN");
    ASSERT_NE(bin, nullptr) << "APC_BIN is not set";
    apc_ = bin;
    ASSERT_TRUE(fs::exists(apc_)) << apc_;
    dir_ = fs::temp_directory_path() / ("apc_diff_cli_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::path plans = fs::path(APC_SOURCE_DIR) / "tests/query/plans";
    for (const char* p : {"rename_v1.ap", "rename_v2.ap"}) fs::copy_file(plans / p, dir_ / p);
    fs::copy_file(fs::path(APC_SPEC_DIR) / "examples/flexible.ap", dir_ / "flexible.ap");
  }
  void TearDown() override {
    unmount();
    std::error_code ec;
    if (!dir_.empty() && !mounted_) fs::remove_all(dir_, ec);
  }
  int apc(const std::string& args, std::string* out = nullptr) {
    return sh("cd " + q(dir_) + " && " + q(apc_) + " " + args, out);
  }
  int apcStdout(const std::string& args, std::string* out) {
    FILE* f = ::popen(("cd " + q(dir_) + " && " + q(apc_) + " " + args + " 2>/dev/null").c_str(), "r");
    if (!f) return -1;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, f)) out->append(buf, n);
    int st = ::pclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  }
  bool mount(const std::string& plan) {
    if (!fs::exists("/dev/fuse")) return false;
    fs::create_directories(dir_ / "mnt");
    std::string out;
    EXPECT_EQ(apc("sim mount " + plan + " mnt", &out), 0) << out;
    mounted_ = true;
    return true;
  }
  void unmount() {
    for (int i = 0; i < 5 && mounted_; ++i) {
      if (sh("fusermount3 -u " + q(dir_ / "mnt")) == 0) mounted_ = false;
      else ::usleep(200'000);
    }
    if (mounted_ && sh("fusermount3 -u -z " + q(dir_ / "mnt")) == 0) mounted_ = false;
    EXPECT_FALSE(mounted_) << "could not unmount " << dir_ / "mnt";
  }
  int script(const std::string& rel, std::string* out) {
    return sh("cd " + q(dir_) + " && SYSFS=" + q(dir_ / "mnt") + " APC_LOCK_FILE=" + q(dir_ / "lock") + " APC_STATE_DIR=" + q(dir_ / "state") +
                  " APC_MDEVCTL_DIR=" + q(dir_ / "mdevctl.d") +
                  // the admin's consent to take zcrypt's default domain (tested in kmod_host_safety_e2e_test)
                  " APC_TAKE_DEFAULT_DOMAIN=$(cat mnt/bus/ap/ap_domain) bash " + rel,
              out);
  }
  std::size_t writes() {
    std::ifstream in(dir_ / "mnt/.apc-sim/writes");
    std::size_t n = 0;
    std::string line;
    while (std::getline(in, line)) n += !line.empty();
    return n;
  }
  // The host's persistent configuration as an administrator's host has it:
  // the compile's mdevctl files under etc/mdevctl.d/matrix/, one libvirt
  // domain per guest using its hostdev (with apc's tags as metadata), a hostname.
  void writeHostRoot(const fs::path& out, const std::string& tags) {
    fs::create_directories(dir_ / "root/etc/mdevctl.d/matrix");
    fs::create_directories(dir_ / "root/etc/libvirt/qemu");
    std::ofstream(dir_ / "root/etc/hostname") << "z16-lpar3.example.com\n";
    for (const auto& e : fs::directory_iterator(out / "mdevctl")) {
      if (e.path().extension() != ".json") continue;
      fs::copy_file(e.path(), dir_ / "root/etc/mdevctl.d/matrix" / e.path().stem());
    }
    for (const auto& e : fs::directory_iterator(out / "libvirt")) {
      std::string file = e.path().filename().string();
      if (!file.ends_with(".hostdev.xml")) continue;
      std::string guest = file.substr(0, file.size() - std::string(".hostdev.xml").size());
      std::ofstream(dir_ / "root/etc/libvirt/qemu" / (guest + ".xml"))
          << "<domain type='kvm'>\n  <name>" << guest << "</name>\n  <memory unit='GiB'>4</memory>\n"
          << "  <metadata>\n    <a:guest xmlns:a='urn:apc:guest:1'><a:tags>" << tags << "</a:tags></a:guest>\n"
          << "  </metadata>\n  <devices>\n    <disk type='file'/>\n" << testing::readAll(e.path())
          << "  </devices>\n</domain>\n";
    }
  }
  fs::path apc_, dir_;
  bool mounted_ = false;
};

const Json* change(const Json& diff, const std::string& guest) {
  for (const Json& c : diff["changes"])
    if (c["guest"] == guest) return &c;
  return nullptr;
}

// The case: one guest added, another renamed. Diff and compile with
// the same lock must choose the same allocation, and the untouched guests stay.
TEST_F(DiffCli, SameAllocationAsCompileWithTheSameLock) {
  std::string out;
  ASSERT_EQ(apc("compile rename_v1.ap -o v1.out", &out), 0) << out;
  fs::copy_file(dir_ / "rename_v1.ap.lock", dir_ / "old.lock");
  for (std::string old : {"old.lock", "rename_v1.ap"}) {
    std::string text;
    ASSERT_EQ(apcStdout("diff " + old + " rename_v2.ap --no-script --format json", &text), 0) << text;
    Json diff = Json::parse(text);
    fs::remove_all(dir_ / "v2.out");
    // compile rewrites the lock it was given: restore it for the next round.
    ASSERT_EQ(apc("compile rename_v2.ap --lock-file old.lock -o v2.out", &out), 0) << out;
    fs::copy_file(dir_ / "rename_v1.ap.lock", dir_ / "old.lock", fs::copy_options::overwrite_existing);
    Json plan = Json::parse(testing::readAll(dir_ / "v2.out/plan.json"));
    ASSERT_EQ(plan["guests"].size(), 4u);
    for (const Json& g : plan["guests"]) {
      const Json* c = change(diff, g["name"]);
      ASSERT_NE(c, nullptr) << g["name"];
      EXPECT_EQ((*c)["after"]["adapters"], g["adapters"]) << old << " " << g["name"];
      EXPECT_EQ((*c)["after"]["domains"], g["domains"]) << old << " " << g["name"];
      EXPECT_EQ((*c)["after"]["uuid"], g["uuid"]) << old << " " << g["name"];
    }
    EXPECT_EQ((*change(diff, "alpha"))["change"], "unchanged") << text;
    EXPECT_EQ((*change(diff, "gamma"))["change"], "unchanged") << text;
    EXPECT_EQ((*change(diff, "beta2"))["change"], "unchanged") << text;
    EXPECT_EQ((*change(diff, "beta2"))["renamed_from"], "beta") << text;
    EXPECT_EQ(change(diff, "beta"), nullptr) << "a rename is not a removal: " << text;
    EXPECT_EQ((*change(diff, "aaa"))["change"], "added") << text;
  }
}

TEST_F(DiffCli, PlanWithoutLockIsRefusedWithTheReason) {
  std::string out;
  EXPECT_EQ(apc("diff rename_v1.ap rename_v2.ap --no-script", &out), 2) << out;
  EXPECT_NE(out.find("guest alpha leaves its queues to the solver"), std::string::npos) << out;
  EXPECT_NE(out.find("a plan alone does not say which queues its guests got"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(dir_ / "rename_v2.out/migrate.sh"));
}

TEST_F(DiffCli, StaleLockBesideOldPlanIsAnError) {
  std::string out;
  ASSERT_EQ(apc("compile rename_v1.ap -o v1.out", &out), 0) << out;
  // A plan whose lock is another plan's: alpha's locked adapter 0x01 is not on this host.
  std::ofstream(dir_ / "other.ap") << "host lpar { adapter 0x02 CEX7C; domains 0x0e..0x0f; }\n"
                                   << "guest alpha { adapters any 1; domains any 2; }\n";
  fs::copy_file(dir_ / "rename_v1.ap.lock", dir_ / "other.ap.lock");
  EXPECT_EQ(apc("diff other.ap rename_v2.ap --no-script", &out), 1) << out;
  EXPECT_NE(out.find("other.ap.lock does not hold other.ap's allocation"), std::string::npos) << out;
}

// Apply, discover (names, start policy and tags from mdevctl and libvirt
// files under a test root), then diff in both ways: no change but labels.
TEST_F(DiffCli, AdoptionReportsNoChange) {
  std::string out;
  ASSERT_EQ(apc("compile flexible.ap -o flex.out", &out), 0) << out;
  if (!mount("flexible.ap")) GTEST_SKIP() << "no /dev/fuse";
  ASSERT_EQ(script("flex.out/apply.sh", &out), 0) << out;
  writeHostRoot(dir_ / "flex.out", "prod, web");
  ASSERT_EQ(apc("discover --root root --sysfs mnt -o discovered.ap", &out), 0) << out;
  std::string disc = testing::readAll(dir_ / "discovered.ap");
  EXPECT_NE(disc.find("host z16-lpar3.example.com {"), std::string::npos) << disc;
  for (const char* g : {"web1", "web6", "hsm-signer", "batch"})
    EXPECT_NE(disc.find("guest " + std::string(g) + " {"), std::string::npos) << g << "\n" << disc;
  EXPECT_EQ(disc.find("guest mdev_"), std::string::npos) << disc;
  EXPECT_NE(disc.find("    start auto;\n    tags prod, web;\n"), std::string::npos) << disc;
  std::size_t reserves = 0;
  for (std::size_t p = 0; (p = disc.find("reserve ", p)) != std::string::npos; ++p) ++reserves;
  EXPECT_EQ(reserves, 1u) << disc;

  ASSERT_EQ(apc("diff discovered.ap flexible.ap -o adopt", &out), 0) << out;
  EXPECT_NE(out.find("no changes"), std::string::npos) << out;
  EXPECT_NE(out.find("8 guests unchanged"), std::string::npos) << out;
  std::size_t before = writes();
  ASSERT_EQ(script("adopt/migrate.sh", &out), 0) << out;
  EXPECT_EQ(writes(), before) << "an adoption with no change must not write";

  ASSERT_EQ(apc("diff --live --sysfs mnt flexible.ap -o live", &out), 0) << out;
  EXPECT_NE(out.find("the host already matches flexible.ap: no migrate.sh written"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(dir_ / "live/migrate.sh"));

  // Without libvirt's names the guests are mdev_<uuid8>: still only labels differ.
  fs::create_directories(dir_ / "bare");
  ASSERT_EQ(apc("discover --root bare --sysfs mnt -o unnamed.ap", &out), 0) << out;
  ASSERT_EQ(apc("diff unnamed.ap flexible.ap -o adopt2", &out), 0) << out;
  EXPECT_NE(out.find("no changes other than labels (8 renamed)"), std::string::npos) << out;
  before = writes();
  ASSERT_EQ(script("adopt2/migrate.sh", &out), 0) << out;
  EXPECT_EQ(writes(), before) << "an adoption with no change must not write";
}

// A renamed guest in the discovered plan costs no mdev operation.
TEST_F(DiffCli, RenameOnTheHostWritesNothing) {
  std::string out;
  ASSERT_EQ(apc("compile flexible.ap -o flex.out", &out), 0) << out;
  if (!mount("flexible.ap")) GTEST_SKIP() << "no /dev/fuse";
  ASSERT_EQ(script("flex.out/apply.sh", &out), 0) << out;
  ASSERT_EQ(apc("discover --sysfs mnt --name z16-lpar3 -o discovered.ap", &out), 0) << out;
  std::string disc = testing::readAll(dir_ / "discovered.ap");
  std::size_t g = disc.find("\nguest mdev_");
  ASSERT_NE(g, std::string::npos) << disc;
  std::string renamed = disc;
  renamed.replace(g + 1, disc.find(' ', g + 7) - g - 1, "guest renamed-guest");
  std::ofstream(dir_ / "renamed.ap") << renamed;
  ASSERT_EQ(apc("diff discovered.ap renamed.ap -o ren", &out), 0) << out;
  EXPECT_NE(out.find("-> renamed-guest (renamed): same mdev"), std::string::npos) << out;
  EXPECT_NE(out.find("no changes other than labels (1 renamed)"), std::string::npos) << out;
  std::size_t before = writes();
  ASSERT_EQ(script("ren/migrate.sh", &out), 0) << out;
  EXPECT_EQ(writes(), before) << "a rename must not write";
}

// --live from the host's real state: a guest added to the plan, migrate.sh
// run, then the host matches and a second --live writes nothing.
TEST_F(DiffCli, LiveDiffTakesTheHostToTheNewPlan) {
  std::string out;
  ASSERT_EQ(apc("compile flexible.ap -o flex.out", &out), 0) << out;
  if (!mount("flexible.ap")) GTEST_SKIP() << "no /dev/fuse";
  ASSERT_EQ(script("flex.out/apply.sh", &out), 0) << out;
  fs::copy_file(dir_ / "flexible.ap", dir_ / "grown.ap");
  fs::copy_file(dir_ / "flexible.ap.lock", dir_ / "grown.ap.lock");
  std::ofstream(dir_ / "grown.ap", std::ios::app) << "guest extra { adapters any 1 mode accel; domains any 1; }\n";
  ASSERT_EQ(apc("diff --live --sysfs mnt grown.ap -o live", &out), 0) << out;
  EXPECT_NE(out.find("+ extra:"), std::string::npos) << out;
  EXPECT_NE(out.find("8 guests unchanged"), std::string::npos) << out;
  ASSERT_TRUE(fs::exists(dir_ / "live/migrate.sh"));
  ASSERT_EQ(script("live/migrate.sh", &out), 0) << out;
  fs::remove_all(dir_ / "live");
  ASSERT_EQ(apc("diff --live --sysfs mnt grown.ap -o live", &out), 0) << out;
  EXPECT_NE(out.find("the host already matches grown.ap"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(dir_ / "live/migrate.sh"));
}

}  // namespace
}  // namespace apc
