// teardown.sh's check for running guests (apc_holder) against a fake sysfs
// and a fake PROC of plain symlinks: a holder through the IOMMU group node
// /dev/vfio/N and through the device cdev /dev/vfio/devices/vfioN, the
// kernel's `status` of "in use" with no visible process, and fds that look
// alike but are not the mdev's, which must not block.
#include <gtest/gtest.h>

#include "backends/emitters.h"
#include "tests/backends/fake_sysfs.h"
#include "tests/backends/fixtures.h"

namespace apc::backends {
namespace {

namespace fs = std::filesystem;
using test::FakeHost;

// seedSolved: Guest1 05.0004 05.00ab 06.0004 06.00ab (iommu group 10 in
// makeAppliedHost), Guest2 05.0047 05.00ff (group 11).
constexpr const char* kGuest1 = "0f5b2c1a-7e4d-5a3b-9c2d-1e0f4a5b6c7d";
constexpr const char* kGuest2 = "3d1c9e8f-2b4a-5c6d-8e7f-0a1b2c3d4e5f";

class HolderScriptTest : public ::testing::TestWithParam<ir::Interface> {
 protected:
  ir::SolvedPlan solved = test::seedSolved(GetParam());
  test::TempDir tmp;
  FakeHost h = test::makeAppliedHost(tmp.path, solved);
  fs::path scripts() {
    fs::path dir = tmp.path / "out";
    if (!fs::exists(dir)) test::writeArtifacts(dir, emitScripts(solved));
    return dir;
  }
  bool removed(const char* uuid) { return test::readFile(h.parent() / uuid / "remove") == "1\n"; }
  int teardown(std::string* out) { return test::runScript(h, scripts() / "teardown.sh", out); }
};

TEST_P(HolderScriptTest, HolderThroughTheDeviceCdev) {
  // QEMU with iommufd: the cdev open, not the group node.
  test::addVfioDevice(h, kGuest1, 3);
  test::addVfioDevice(h, kGuest2, 4);
  test::addProcess(h, 5150, "qemu-kvm", {"/dev/null", "/dev/iommu", "/dev/vfio/devices/vfio3", "anon_inode:kvm-vcpu:0"});
  std::string out;
  EXPECT_EQ(teardown(&out), 1) << out;
  EXPECT_NE(out.find(std::string("refusing to remove mdev ") + kGuest1 +
                     " of guest Guest1: process 5150 (qemu-kvm) holds it; stop the guest first"),
            std::string::npos)
      << out;
  EXPECT_FALSE(removed(kGuest1));
  EXPECT_TRUE(removed(kGuest2)) << out;
}

TEST_P(HolderScriptTest, HolderThroughTheGroupNodeNamesTheLowestPid) {
  test::addProcess(h, 900, "qemu-b", {"/dev/vfio/vfio", "/dev/vfio/11"});
  test::addProcess(h, 31, "qemu-a", {"/dev/vfio/11"});
  std::string out;
  EXPECT_EQ(teardown(&out), 1) << out;
  EXPECT_NE(out.find(std::string("refusing to remove mdev ") + kGuest2 + " of guest Guest2: process 31 (qemu-a) holds it"),
            std::string::npos)
      << out;
  EXPECT_TRUE(removed(kGuest1)) << out;
  EXPECT_FALSE(removed(kGuest2));
}

TEST_P(HolderScriptTest, UnrelatedFdsDoNotBlock) {
  test::addVfioDevice(h, kGuest1, 3);
  // Other groups (one a prefix of "10", one with it as prefix), the VFIO
  // container, another device's cdev, ordinary files.
  test::addProcess(h, 40, "qemu-other",
                   {"/dev/vfio/1", "/dev/vfio/100", "/dev/vfio/vfio", "/dev/vfio/devices/vfio30",
                    "/dev/vfio/devices/vfio", "/dev/vfio/10x", "/dev/null", "socket:[4711]", "pipe:[12]"});
  // The right node, but not as an open fd of a process: a cwd link, an fd of
  // a non-pid folder, a thread's fd (its process would show it too).
  fs::create_directories(h.proc / "41/fd");
  fs::create_symlink("/dev/vfio/10", h.proc / "41/cwd");
  fs::create_directories(h.proc / "sys/fd");
  fs::create_symlink("/dev/vfio/10", h.proc / "sys/fd/3");
  fs::create_directories(h.proc / "42/task/43/fd");
  fs::create_symlink("/dev/vfio/devices/vfio3", h.proc / "42/task/43/fd/3");
  std::string out;
  EXPECT_EQ(teardown(&out), 0) << out;
  EXPECT_TRUE(removed(kGuest1)) << out;
  EXPECT_TRUE(removed(kGuest2)) << out;
}

// On 6.0+ the kernel says it: a queue of the guest's matrix reads "in use"
// while its mdev has a KVM, even when the QEMU is in another PID namespace
// (nothing under PROC). The legacy interface has neither guest_matrix nor
// status, so only PROC counts there.
TEST_P(HolderScriptTest, KernelStatusInUse) {
  test::setQueueStatus(h, "05.0004", "in use");
  test::setQueueStatus(h, "05.0047", "assigned");
  std::string out;
  if (GetParam() == ir::Interface::Modern) {
    EXPECT_EQ(teardown(&out), 1) << out;
    EXPECT_NE(out.find(std::string("refusing to remove mdev ") + kGuest1 +
                       " of guest Guest1: a running guest (its queue 05.0004 reads 'in use'; no process under " +
                       h.proc.string() + " has the mdev open) holds it"),
              std::string::npos)
        << out;
    EXPECT_FALSE(removed(kGuest1));
  } else {
    EXPECT_EQ(teardown(&out), 0) << out;
    EXPECT_TRUE(removed(kGuest1));
  }
  EXPECT_TRUE(removed(kGuest2)) << out;
}

// With both, the message names the process.
TEST_P(HolderScriptTest, KernelStatusAndProcessNamesTheProcess) {
  test::setQueueStatus(h, "05.0004", "in use");
  test::addHolder(h, 4242, "qemu-system-s39", 10);
  std::string out;
  EXPECT_EQ(teardown(&out), 1) << out;
  EXPECT_NE(out.find("of guest Guest1: process 4242 (qemu-system-s39) holds it"), std::string::npos) << out;
}

// The dry run checks too, and exits 1 as the real run would (a CI gate on
// `teardown.sh --dry-run` must see the held mdev); a missing PROC is no holder
// (nothing to scan).
TEST_P(HolderScriptTest, DryRunChecksAndMissingProcIsNoHolder) {
  test::addHolder(h, 7, "qemu", 11);
  std::string out;
  EXPECT_EQ(test::runScript(h, scripts() / "teardown.sh --dry-run", &out), 1) << out;
  EXPECT_NE(out.find("process 7 (qemu) holds it"), std::string::npos) << out;
  EXPECT_EQ(out.find(std::string("would write 1 to ") + h.parent().string() + "/" + kGuest2), std::string::npos) << out;
  fs::remove_all(h.proc);
  EXPECT_EQ(teardown(&out), 0) << out;
  EXPECT_TRUE(removed(kGuest2));
}

INSTANTIATE_TEST_SUITE_P(Interfaces, HolderScriptTest, ::testing::Values(ir::Interface::Modern, ir::Interface::Legacy),
                         [](const auto& param) { return std::string(ir::interfaceName(param.param)); });

}  // namespace
}  // namespace apc::backends
