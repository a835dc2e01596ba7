// The generated scripts run against a fake sysfs of plain files: idempotence,
// preconditions that change nothing, rollback from the journal, verify's
// differences, teardown's refusal of held mdevs, and hostile plan text.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "backends/emitters.h"
#include "tests/backends/fake_sysfs.h"
#include "tests/backends/fixtures.h"

namespace apc::backends {
namespace {

namespace fs = std::filesystem;
using test::FakeHost;
using test::seedSolved;

constexpr const char* kGuest1 = "0f5b2c1a-7e4d-5a3b-9c2d-1e0f4a5b6c7d";
constexpr const char* kGuest2 = "3d1c9e8f-2b4a-5c6d-8e7f-0a1b2c3d4e5f";

class BackendsScriptTest : public ::testing::TestWithParam<ir::Interface> {
 protected:
  ir::SolvedPlan solved = seedSolved(GetParam());
  test::TempDir tmp;
  fs::path scripts() {
    fs::path dir = tmp.path / "out";
    if (!fs::exists(dir)) test::writeArtifacts(dir, emitScripts(solved));
    return dir;
  }
  bool modern() const { return GetParam() == ir::Interface::Modern; }
};

TEST_P(BackendsScriptTest, AppliedHostVerifiesAndApplyChangesNothing) {
  FakeHost h = test::makeAppliedHost(tmp.path, solved);
  auto before = test::snapshot(h.sysfs);
  std::string out;
  EXPECT_EQ(test::runScript(h, scripts() / "verify.sh", &out), 0) << out;
  EXPECT_NE(out.find("matches the plan"), std::string::npos) << out;
  EXPECT_EQ(test::runScript(h, scripts() / "apply.sh", &out), 0) << out;
  EXPECT_EQ(test::snapshot(h.sysfs), before);
  EXPECT_EQ(test::runScript(h, scripts() / "apply.sh", &out), 0) << out;
  EXPECT_EQ(test::snapshot(h.sysfs), before);
}

TEST_P(BackendsScriptTest, QueueInAnotherMdevStopsBeforeAnyChange) {
  FakeHost h = test::makeFreshHost(tmp.path, solved);
  test::addMdev(h, "11111111-2222-4333-8444-555555555555", "05.00ab\n", "00ab\n", 3);
  auto before = test::snapshot(h.sysfs);
  std::string out;
  EXPECT_EQ(test::runScript(h, scripts() / "apply.sh", &out), 1);
  EXPECT_NE(out.find("queue 05.00ab is already in mdev 11111111-2222-4333-8444-555555555555 (the plan gives it "
                     "to guest Guest1)"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("nothing was changed"), std::string::npos);
  EXPECT_EQ(test::snapshot(h.sysfs), before);
}

TEST_P(BackendsScriptTest, MissingQueueAndTakenUuidAreReportedTogether) {
  FakeHost h = test::makeFreshHost(tmp.path, solved);
  fs::remove(h.sysfs / "bus/ap/devices/06.00ab");
  // Adapter 6 is not Guest2's: not its own unfinished work, a conflict.
  test::addMdev(h, kGuest2, "06.0047\n", "0047\n", 4);
  auto before = test::snapshot(h.sysfs);
  std::string out;
  EXPECT_EQ(test::runScript(h, scripts() / "apply.sh", &out), 1);
  EXPECT_NE(out.find("queue 06.00ab does not exist"), std::string::npos) << out;
  EXPECT_NE(out.find(std::string("UUID ") + kGuest2 +
                     " (guest Guest2) is taken by an mdev holding IDs outside the guest's planned matrix"),
            std::string::npos)
      << out;
  EXPECT_EQ(test::snapshot(h.sysfs), before);
}

TEST_P(BackendsScriptTest, VfioApNotLoaded) {
  FakeHost h = test::makeFreshHost(tmp.path, solved);
  fs::remove_all(h.parent());
  std::string out;
  EXPECT_EQ(test::runScript(h, scripts() / "apply.sh", &out), 1);
  EXPECT_NE(out.find("vfio_ap is not loaded"), std::string::npos) << out;
  EXPECT_EQ(test::runScript(h, scripts() / "verify.sh", &out), 1);
  EXPECT_NE(out.find("vfio_ap: not loaded"), std::string::npos) << out;
}

TEST_P(BackendsScriptTest, FailureHalfWayUndoesThisRun) {
  FakeHost h = test::makeFreshHost(tmp.path, solved);
  std::string out;
  if (modern()) {
    // The plain-file bus does not rebind queues when the masks change, so the
    // check after the mask writes fails; the masks must be restored.
    EXPECT_EQ(test::runScript(h, scripts() / "apply.sh", &out), 1);
    EXPECT_NE(out.find("queue 05.0004 is bound to 'cex4queue' after the mask change"), std::string::npos) << out;
    // The mask write and apply.sh's record of the bits it cleared.
    EXPECT_NE(out.find("undoing the 2 change(s)"), std::string::npos) << out;
    EXPECT_EQ(test::readFile(h.sysfs / "bus/ap/apmask"), "0x" + std::string(64, 'f') + "\n");
    EXPECT_EQ(test::readFile(test::stateDir(h) / "apmask.cleared"), "\n");  // restored: no bit recorded
  } else {
    // vfio_ap/bind refuses (a directory here: EISDIR); the unbind from
    // cex4queue done just before is undone by binding back.
    fs::remove(h.sysfs / "bus/ap/drivers/vfio_ap/bind");
    fs::create_directory(h.sysfs / "bus/ap/drivers/vfio_ap/bind");
    EXPECT_EQ(test::runScript(h, scripts() / "apply.sh", &out), 1);
    std::string path = (h.sysfs / "bus/ap/drivers/vfio_ap/bind").string();
    EXPECT_NE(out.find("writing '05.0004' to " + path + " failed: Is a directory"), std::string::npos) << out;
    EXPECT_EQ(test::readFile(h.sysfs / "bus/ap/drivers/cex4queue/unbind"), "05.0004\n");
    EXPECT_EQ(test::readFile(h.sysfs / "bus/ap/drivers/cex4queue/bind"), "05.0004\n");
  }
  EXPECT_EQ(test::readFile(h.parent() / "mdev_supported_types/vfio_ap-passthrough/create"), "");
}

TEST_P(BackendsScriptTest, CreateFailureIsReportedAndStops) {
  // Masks and queues as planned, Guest1's mdev in place, Guest2's missing;
  // the kernel refuses the create (a directory here: EISDIR).
  FakeHost h = test::makeAppliedHost(tmp.path, solved);
  fs::remove_all(h.parent() / kGuest2);
  fs::remove(h.parent() / "mdev_supported_types/vfio_ap-passthrough/create");
  fs::create_directory(h.parent() / "mdev_supported_types/vfio_ap-passthrough/create");
  std::string out;
  EXPECT_EQ(test::runScript(h, scripts() / "apply.sh", &out), 1);
  EXPECT_NE(out.find(std::string("writing '") + kGuest2 + "' to "), std::string::npos) << out;
  EXPECT_NE(out.find("failed: Is a directory"), std::string::npos) << out;
  // Guest1's mdev existed before the run and stays untouched.
  EXPECT_EQ(test::readFile(h.parent() / kGuest1 / "remove"), "");
}

TEST_P(BackendsScriptTest, VerifyPrintsEachDifference) {
  FakeHost h = test::makeAppliedHost(tmp.path, solved);
  std::ofstream(h.parent() / kGuest1 / "control_domains") << "0004\n";
  test::bindQueue(h, "05.00ff", "cex4queue");
  fs::remove_all(h.parent() / kGuest2);
  test::addMdev(h, "11111111-2222-4333-8444-555555555555", "05.00ff\n", "", 3);
  std::string out;
  EXPECT_EQ(test::runScript(h, scripts() / "verify.sh", &out), 1);
  EXPECT_NE(out.find(std::string("mdev ") + kGuest1 + " (guest Guest1): control_domains is '0004', the plan says '0004 00ab'"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("queue 05.00ff: bound to 'cex4queue', the plan gives it to vfio_ap"), std::string::npos) << out;
  EXPECT_NE(out.find(std::string("mdev ") + kGuest2 + " (guest Guest2): does not exist"), std::string::npos) << out;
  EXPECT_NE(out.find("queue 05.00ff: in mdev 11111111-2222-4333-8444-555555555555, the plan gives it to guest Guest2"),
            std::string::npos)
      << out;
  // An mdev the plan does not have is drift in itself.
  EXPECT_NE(out.find("mdev 11111111-2222-4333-8444-555555555555: not in the plan, holds 05.00ff"), std::string::npos)
      << out;
  EXPECT_NE(out.find("5 difference(s)"), std::string::npos) << out;
  if (modern()) {
    std::ofstream(h.sysfs / "bus/ap/apmask") << "0x" << std::string(64, 'f') << "\n";
    EXPECT_EQ(test::runScript(h, scripts() / "verify.sh", &out), 1);
    EXPECT_NE(out.find("apmask: is 0x" + std::string(64, 'f') + ", the plan says 0xf9"), std::string::npos) << out;
  }
}

TEST_P(BackendsScriptTest, TeardownRefusesAHeldMdevAndContinues) {
  FakeHost h = test::makeAppliedHost(tmp.path, solved);
  test::addHolder(h, 4242, "qemu-system-s39", 10);  // Guest1's group
  test::addHolder(h, 77, "bash", 99);
  auto masksBefore = test::readFile(h.sysfs / "bus/ap/apmask");
  std::string out;
  EXPECT_EQ(test::runScript(h, scripts() / "teardown.sh", &out), 1);
  EXPECT_NE(out.find(std::string("refusing to remove mdev ") + kGuest1 +
                     " of guest Guest1: process 4242 (qemu-system-s39) holds it"),
            std::string::npos)
      << out;
  EXPECT_EQ(test::readFile(h.parent() / kGuest1 / "remove"), "");
  EXPECT_EQ(test::readFile(h.parent() / kGuest2 / "remove"), "1\n");
  if (modern()) {
    EXPECT_EQ(test::readFile(h.sysfs / "bus/ap/apmask"), masksBefore);  // Guest1 still holds its queues
    EXPECT_NE(out.find("masks left unchanged"), std::string::npos);
  } else {
    // Guest2's queues go back: unbind from vfio_ap, bind to cex4queue (last write visible).
    EXPECT_EQ(test::readFile(h.sysfs / "bus/ap/drivers/vfio_ap/unbind"), "05.00ff\n");
    EXPECT_EQ(test::readFile(h.sysfs / "bus/ap/drivers/cex4queue/bind"), "05.00ff\n");
  }
}

// Modern only (the legacy interface has no masks).
TEST(BackendsScriptModern, TeardownGivesBackOnlyTheBitsApplyCleared) {
  ir::SolvedPlan solved = seedSolved(ir::Interface::Modern);
  test::TempDir tmp;
  auto scripts = [&] {
    fs::path dir = tmp.path / "out";
    if (!fs::exists(dir)) test::writeArtifacts(dir, emitScripts(solved));
    return dir;
  };
  FakeHost h = test::makeAppliedHost(tmp.path, solved);
  // apply.sh found bit 6 already clear (the boot configuration had cleared it).
  std::ofstream(test::stateDir(h) / "apmask.cleared") << "5\n";
  std::string out;
  EXPECT_EQ(test::runScript(h, scripts() / "teardown.sh", &out), 0) << out;
  EXPECT_EQ(test::readFile(h.sysfs / "bus/ap/apmask"), "+5\n");
  EXPECT_NE(out.find("teardown.sh: apmask bit(s) 6 stay clear: apply.sh did not clear them"), std::string::npos) << out;
  EXPECT_EQ(test::readFile(test::stateDir(h) / "apmask.cleared"), "\n");  // 5 went back
  // Without any record (apply.sh ran on an earlier boot, or never): nothing is set.
  FakeHost h2 = test::makeAppliedHost(tmp.path / "h2", solved);
  fs::remove_all(test::stateDir(h2));
  auto apmask = test::readFile(h2.sysfs / "bus/ap/apmask");
  EXPECT_EQ(test::runScript(h2, scripts() / "teardown.sh", &out), 0) << out;
  EXPECT_EQ(test::readFile(h2.sysfs / "bus/ap/apmask"), apmask);
  EXPECT_NE(out.find("apmask bit(s) 5 6 stay clear"), std::string::npos) << out;
}

TEST_P(BackendsScriptTest, TeardownGivesQueuesBack) {
  FakeHost h = test::makeAppliedHost(tmp.path, solved);
  std::string out;
  EXPECT_EQ(test::runScript(h, scripts() / "teardown.sh", &out), 0) << out;
  EXPECT_EQ(test::readFile(h.parent() / kGuest1 / "remove"), "1\n");
  if (modern()) {
    EXPECT_EQ(test::readFile(h.sysfs / "bus/ap/apmask"), "+5,+6\n");
    // aqmask already holds every domain: nothing written.
    EXPECT_EQ(test::readFile(h.sysfs / "bus/ap/aqmask"), "0x" + std::string(64, 'f') + "\n");
  } else {
    EXPECT_EQ(test::readFile(h.sysfs / "bus/ap/drivers/cex4queue/bind"), "05.00ff\n");
  }
}

// The names in a script's "# Environment" header block.
std::set<std::string> headerNames(const std::string& script) {
  std::set<std::string> names;
  std::size_t at = script.find("# Environment (each optional):\n");
  if (at == std::string::npos) return names;
  std::istringstream in(script.substr(at));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line) && line.starts_with("#   ")) {
    std::istringstream words(line.substr(4));
    std::string name;
    words >> name;
    names.insert(name);
  }
  return names;
}

// Every ${NAME:-default} the script reads: the environment it honours.
std::set<std::string> readNames(const std::string& script) {
  std::set<std::string> names;
  static const std::regex use(R"(\$\{([A-Z_]+):-)");
  for (auto it = std::sregex_iterator(script.begin(), script.end(), use); it != std::sregex_iterator(); ++it)
    names.insert((*it)[1]);
  return names;
}

TEST_P(BackendsScriptTest, HeaderNamesExactlyTheVariablesTheScriptReads) {
  std::vector<Artifact> all = emitScripts(solved);
  for (Artifact& a : emitMdevctl(solved)) all.push_back(std::move(a));
  unsigned scriptsSeen = 0;
  for (const Artifact& a : all) {
    if (!a.path.ends_with(".sh")) continue;
    ++scriptsSeen;
    std::set<std::string> read = readNames(a.bytes);
    EXPECT_EQ(headerNames(a.bytes), read) << a.path;
    if (read.empty()) {
      EXPECT_NE(a.bytes.find("# It reads no environment variables."), std::string::npos) << a.path;
    }
  }
  EXPECT_EQ(scriptsSeen, 4u);
  // define.sh only calls mdevctl: no sysfs root, no lock, no PROC.
  for (const Artifact& a : all) {
    if (a.path == "mdevctl/define.sh") {
      EXPECT_TRUE(readNames(a.bytes).empty()) << a.bytes.substr(0, 600);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Interfaces, BackendsScriptTest, ::testing::Values(ir::Interface::Modern, ir::Interface::Legacy),
                         [](const auto& param) { return std::string(ir::interfaceName(param.param)); });

TEST_P(BackendsScriptTest, HostileTextNeverRuns) {
  solved = test::hostileSolved(GetParam());
  for (bool applied : {false, true}) {
    test::TempDir dir;
    FakeHost h = applied ? test::makeAppliedHost(dir.path, solved) : test::makeFreshHost(dir.path, solved);
    std::ofstream(dir.path / "canary") << "alive";
    test::addHolder(h, 99, "qemu", 10);
    std::string out;
    for (const char* script : {"apply.sh", "verify.sh", "teardown.sh"}) {
      test::runScript(h, scripts() / script, &out);
      EXPECT_FALSE(fs::exists(dir.path / "PWNED")) << script << "\n" << out;
      EXPECT_TRUE(fs::exists(dir.path / "canary")) << script;
    }
    EXPECT_EQ(test::run("cd " + dir.path.string() + " && find . -name PWNED | wc -l", &out), 0);
    EXPECT_EQ(out, "0\n");
  }
  // The names still reach the messages, as data.
  FakeHost h = test::makeAppliedHost(tmp.path / "h", solved);
  test::addHolder(h, 99, "qemu", 10);
  std::string out;
  test::runScript(h, scripts() / "teardown.sh", &out);
  EXPECT_NE(out.find("of guest a;touch PWNED;rm -rf canary: process 99 (qemu)"), std::string::npos) << out;
}

}  // namespace
}  // namespace apc::backends
