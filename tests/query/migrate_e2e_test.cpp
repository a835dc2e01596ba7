// migrate.sh end to end in the emulated sysfs (`apc sim mount`, FUSE): apply
// the old plan, migrate, and the mdevs equal the new plan's; a second run
// writes nothing; a fault injected at each write of the migration rolls the
// host back to the old state.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>

#include "tests/query/golden_util.h"

namespace apc {
namespace {

namespace fs = std::filesystem;

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

// What the host looks like: masks, and each mdev's matrix and control domains.
using Snapshot = std::map<std::string, std::string>;

Snapshot snapshot(const fs::path& mnt) {
  Snapshot s;
  s["apmask"] = testing::readAll(mnt / "bus/ap/apmask");
  s["aqmask"] = testing::readAll(mnt / "bus/ap/aqmask");
  fs::path parent = mnt / "devices/vfio_ap/matrix";
  for (const auto& e : fs::directory_iterator(parent)) {
    std::string name = e.path().filename().string();
    if (name.size() != 36) continue;
    s["mdev " + name] = testing::readAll(e.path() / "matrix") + "|" + testing::readAll(e.path() / "control_domains");
  }
  return s;
}

std::string describe(const Snapshot& s) {
  std::string out;
  for (const auto& [k, v] : s) out += k + " = " + v + "\n";
  return out;
}

std::vector<std::string> writePaths(const fs::path& mnt) {
  std::vector<std::string> paths;
  std::istringstream in(testing::readAll(mnt / ".apc-sim/writes"));
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) paths.push_back(line.substr(0, line.find('\t')));
  return paths;
}

class MigrateE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("APC_BIN");
    ASSERT_NE(bin, nullptr) << "APC_BIN is not set";
    apc_ = bin;
    ASSERT_TRUE(fs::exists(apc_)) << apc_;
    if (!fs::exists("/dev/fuse")) GTEST_SKIP() << "no /dev/fuse: the emulated sysfs cannot be mounted here";
    dir_ = fs::temp_directory_path() / ("apc_migrate_e2e_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "mnt");
    fs::path plans = fs::path(APC_SOURCE_DIR) / "tests/query/plans";
    fs::copy_file(plans / "old.ap", dir_ / "old.ap");
    fs::copy_file(plans / "new.ap", dir_ / "new.ap");
    std::string out;
    ASSERT_EQ(sh("cd " + q(dir_) + " && " + q(apc_) + " compile old.ap --no-lock -o old.out", &out), 0) << out;
    ASSERT_EQ(sh("cd " + q(dir_) + " && " + q(apc_) + " compile new.ap --no-lock -o new.out", &out), 0) << out;
    ASSERT_EQ(sh("cd " + q(dir_) + " && " + q(apc_) + " diff old.ap new.ap --no-lock -o mig", &out), 0) << out;
  }
  void TearDown() override {
    unmount();
    std::error_code ec;
    // Never recurse into a mount that is still there.
    if (!dir_.empty() && !mounted_) fs::remove_all(dir_, ec);
  }
  void mount(const std::string& extra = "") {
    std::string out;
    ASSERT_EQ(sh("cd " + q(dir_) + " && " + q(apc_) + " sim mount old.ap mnt " + extra, &out), 0) << out;
    mounted_ = true;
  }
  // A script that just exited may still hold the mount busy for a moment:
  // retry, then detach lazily so no mount outlives the test.
  void unmount() {
    if (!mounted_) return;
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
  fs::path apc_, dir_;
  bool mounted_ = false;
};

TEST_F(MigrateE2e, OldToNewAndIdempotent) {
  mount();
  std::string out;
  ASSERT_EQ(script("old.out/apply.sh", &out), 0) << out;
  ASSERT_EQ(script("mig/migrate.sh", &out), 0) << out;
  // The new plan's own verify.sh may differ only in the aqmask bit migrate.sh
  // reports it could not hand back (an mdev holds a queue on that domain).
  std::string verify;
  script("new.out/verify.sh", &verify);
  EXPECT_EQ(verify.find("mdev"), std::string::npos) << verify;
  EXPECT_EQ(verify.find("queue"), std::string::npos) << verify;
  EXPECT_EQ(verify.find("apmask"), std::string::npos) << verify;
  EXPECT_NE(out.find("aqmask bit 171 stays clear"), std::string::npos) << out;
  Snapshot after = snapshot(dir_ / "mnt");
  std::size_t writes = writePaths(dir_ / "mnt").size();
  ASSERT_EQ(script("mig/migrate.sh", &out), 0) << out;
  EXPECT_EQ(writePaths(dir_ / "mnt").size(), writes) << "a second run wrote to sysfs";
  EXPECT_EQ(snapshot(dir_ / "mnt"), after);
}

TEST_F(MigrateE2e, FaultAtEachWriteRollsBack) {
  // A clean run tells which writes the migration makes, after apply's.
  mount();
  std::string out;
  ASSERT_EQ(script("old.out/apply.sh", &out), 0) << out;
  Snapshot old = snapshot(dir_ / "mnt");
  std::size_t applyWrites = writePaths(dir_ / "mnt").size();
  ASSERT_EQ(script("mig/migrate.sh", &out), 0) << out;
  std::vector<std::string> paths = writePaths(dir_ / "mnt");
  unmount();
  ASSERT_GT(paths.size(), applyWrites);
  for (std::size_t k = applyWrites; k < paths.size(); ++k) {
    std::size_t nth = 0;
    for (std::size_t i = 0; i <= k; ++i) nth += paths[i] == paths[k];
    SCOPED_TRACE("fault at write " + std::to_string(k - applyWrites + 1) + ": " + paths[k]);
    mount("--fault '" + std::to_string(nth) + " " + paths[k] + " EIO'");
    ASSERT_EQ(script("old.out/apply.sh", &out), 0) << out;
    EXPECT_NE(script("mig/migrate.sh", &out), 0) << out;
    EXPECT_NE(out.find("Input/output error"), std::string::npos) << out;
    Snapshot now = snapshot(dir_ / "mnt");
    // Every mdev is back exactly as it was.
    Snapshot oldMdevs = old, nowMdevs = now;
    for (const char* m : {"apmask", "aqmask"}) {
      oldMdevs.erase(m);
      nowMdevs.erase(m);
    }
    EXPECT_EQ(nowMdevs, oldMdevs) << "expected\n" << describe(old) << "got\n" << describe(now) << out;
    // Masks: back as they were, except bits the kernel (6.19+) refuses to
    // hand back to the host while an mdev holds a queue on that ID; the
    // script must say so, and the host may only have lost bits, never gained.
    for (const char* m : {"apmask", "aqmask"}) {
      if (now[m] == old[m]) continue;
      EXPECT_NE(out.find("undo incomplete"), std::string::npos) << m << " differs silently\n" << out;
      ASSERT_EQ(now[m].size(), old[m].size());
      for (std::size_t i = 2; i + 1 < now[m].size(); ++i) {
        unsigned o = std::stoul(old[m].substr(i, 1), nullptr, 16), n = std::stoul(now[m].substr(i, 1), nullptr, 16);
        EXPECT_EQ(n & ~o, 0u) << m << ": the host gained IDs in a rollback: " << now[m];
      }
    }
    unmount();
  }
}

}  // namespace
}  // namespace apc
