// The emulated sysfs through a real FUSE mount: cat/echo/ls/readlink from
// processes, the errno each writer sees, concurrent writers, the control
// folder, and clean unmounts (SIGTERM, SIGINT, fusermount3 -u).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <nlohmann/json.hpp>

#include "model_test_util.h"
#include "sim_fixture.h"

namespace apc::kmod {
namespace {

using test::kUuid1;
using test::kUuid2;
using test::runShell;
using test::SimMount;

class SimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sim = SimMount::start(test::seedHost());
    ASSERT_TRUE(sim->ok()) << "the sim did not mount (is /dev/fuse there?)";
    env = {{"R", sim->root()}, {"U1", kUuid1}, {"U2", kUuid2}};
  }
  std::unique_ptr<SimMount> sim;
  std::map<std::string, std::string> env;
};

// write(2) straight from this process: the errno the kernel would return.
int writeErrno(const std::string& path, const std::string& data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC);
  if (fd < 0) return errno;
  ssize_t n = ::write(fd, data.data(), data.size());
  int e = n < 0 ? errno : 0;
  ::close(fd);
  return e;
}

TEST_F(SimTest, CatLsReadlink) {
  auto r = runShell(
      "cat $R/bus/ap/apmask; ls $R/bus/ap/devices | tr '\\n' ' '; echo; "
      "readlink $R/bus/ap/devices/05.0004/driver; cat $R/devices/ap/card06/type; "
      "cat $R/devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/available_instances",
      env);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "0x" + std::string(64, 'f') +
                       "\n05.0004 05.0047 05.00ab 05.00ff 06.0004 06.0047 06.00ab 06.00ff card05 card06 \n"
                       "../../../../bus/ap/drivers/cex4queue\nCEX5A\n65536\n");
}

TEST_F(SimTest, WriterSeesTheKernelErrno) {
  const std::string parent = sim->root() + "/devices/vfio_ap/matrix/";
  EXPECT_EQ(writeErrno(parent + "mdev_supported_types/vfio_ap-passthrough/create", std::string(kUuid1) + "\n"), 0);
  EXPECT_EQ(writeErrno(parent + "mdev_supported_types/vfio_ap-passthrough/create", kUuid1), EEXIST);
  EXPECT_EQ(writeErrno(parent + kUuid1 + "/assign_adapter", "5\n"), 0);
  EXPECT_EQ(writeErrno(parent + kUuid1 + "/assign_domain", "4\n"), EADDRNOTAVAIL);
  EXPECT_EQ(writeErrno(parent + kUuid1 + "/assign_domain", "256\n"), ENODEV);
  EXPECT_EQ(writeErrno(parent + kUuid1 + "/assign_domain", "08\n"), EINVAL);
  EXPECT_EQ(writeErrno(sim->root() + "/bus/ap/ap_max_domain_id", "1"), EACCES);
  // The shell prints the strerror text, as on a real host.
  auto r = runShell("echo 0x100 > $R/devices/vfio_ap/matrix/$U1/assign_adapter", env);
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("No such device"), std::string::npos) << r.err;
  r = runShell("echo -5 > $R/bus/ap/apmask && echo 4 > $R/devices/vfio_ap/matrix/$U1/assign_domain && "
               "cat $R/devices/vfio_ap/matrix/$U1/matrix $R/bus/mdev/devices/$U1/guest_matrix && "
               "echo +5 > $R/bus/ap/apmask",
               env);
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(r.out, "05.0004\n05.0004\n");
  EXPECT_NE(r.err.find("Device or resource busy"), std::string::npos) << r.err;
  EXPECT_EQ(runShell("readlink $R/devices/vfio_ap/matrix/$U1/iommu_group", env).out,
            "../../../../kernel/iommu_groups/0\n");
  EXPECT_EQ(runShell("touch $R/bus/ap/newfile", env).status, 1);
}

TEST_F(SimTest, ConcurrentWritersAreSerialised) {
  // 16 processes each assign their own domain to one mdev at the same time.
  auto r = runShell(
      "echo $U1 > $R/devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/create && "
      "for d in $(seq 0 15); do (echo $d > $R/devices/vfio_ap/matrix/$U1/assign_control_domain) & done; "
      "wait; cat $R/devices/vfio_ap/matrix/$U1/control_domains | wc -l",
      env);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "16\n");
}

TEST_F(SimTest, ControlFolder) {
  auto r = runShell(
      "echo '2 bus/ap/apmask EIO' >> $R/.apc-sim/faults && cat $R/.apc-sim/faults && "
      "echo -5 > $R/bus/ap/apmask && { echo -6 > $R/bus/ap/apmask; echo rc=$?; } && "
      "echo $U1 > $R/.apc-sim/hold && "
      "echo $U1 > $R/devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/create && "
      "{ echo 1 > $R/devices/vfio_ap/matrix/$U1/remove; echo rc=$?; } && cat $R/.apc-sim/events && "
      "echo $U1 > $R/.apc-sim/release && echo 1 > $R/devices/vfio_ap/matrix/$U1/remove && "
      "cat $R/.apc-sim/writes",
      env);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "2 bus/ap/apmask EIO\nrc=1\nrc=1\n" + std::string(kUuid1) + " devices/vfio_ap/matrix/" +
                       kUuid1 + "/remove remove of an mdev held by a running guest\n" +
                       "bus/ap/apmask\t-5\\n\t0\nbus/ap/apmask\t-6\\n\tEIO\tinjected\n"
                       "devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/create\t" +
                       kUuid1 + "\\n\t0\ndevices/vfio_ap/matrix/" + kUuid1 + "/remove\t1\\n\tEBUSY\n" +
                       "devices/vfio_ap/matrix/" + kUuid1 + "/remove\t1\\n\t0\n");
  auto state = nlohmann::json::parse(sim->control("state"));
  EXPECT_EQ(state["apmask"], "0xfb" + std::string(62, 'f'));
  EXPECT_EQ(state["destructive_events"].size(), 1u);
  EXPECT_EQ(state["mdevs"].size(), 0u);
  EXPECT_NE(runShell("echo 'nonsense' >> $R/.apc-sim/faults", env).status, 0);
}

TEST_F(SimTest, CleanUnmountOnSigterm) {
  EXPECT_EQ(sim->stop(SIGTERM), 0);
  EXPECT_FALSE(sim->mounted());
}

TEST_F(SimTest, CleanUnmountOnSigint) {
  EXPECT_EQ(sim->stop(SIGINT), 0);
  EXPECT_FALSE(sim->mounted());
}

TEST_F(SimTest, CleanUnmountWithFusermount) {
  auto r = runShell("fusermount3 -u $R", env);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(sim->stop(0), 0);  // signal 0: only wait for the server to end by itself
  EXPECT_FALSE(sim->mounted());
}

TEST(SimOptionsTest, HoldAndFaultFromTheStart) {
  SimOptions opts;
  opts.holds = {"6C4A3F0E-1D2B-4C3A-9E8F-0123456789AB"};  // any case, like the kernel's uuids
  opts.faults = {{1, "devices/vfio_ap/matrix/" + std::string(kUuid1) + "/assign_domain", ENOSPC}};
  auto sim = SimMount::start(test::seedHost(), opts);
  ASSERT_TRUE(sim->ok());
  auto r = runShell(
      "M=$R/devices/vfio_ap/matrix; echo $U1 > $M/mdev_supported_types/vfio_ap-passthrough/create && "
      "{ echo 4 > $M/$U1/assign_domain; echo rc=$?; } && cat $R/.apc-sim/hold && "
      "{ echo 1 > $M/$U1/remove; echo rc=$?; } && test -d $M/$U1",
      {{"R", sim->root()}, {"U1", kUuid1}});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "rc=1\n" + std::string(kUuid1) + "\nrc=1\n");
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("Device or resource busy"), std::string::npos) << r.err;
  EXPECT_EQ(nlohmann::json::parse(sim->control("state"))["destructive_events"].size(), 1u);
}

TEST(SimLegacy, BindThroughTheMount) {
  auto sim = SimMount::start(test::seedHost(ir::Interface::Legacy));
  ASSERT_TRUE(sim->ok());
  auto r = runShell(
      "D=$R/bus/ap/drivers; echo 05.0004 > $D/cex4queue/unbind && echo 05.0004 > $D/vfio_ap/bind && "
      "readlink $R/devices/ap/card05/05.0004/driver && ls $D/vfio_ap && test ! -e $R/bus/ap/apmask",
      {{"R", sim->root()}});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "../../../../bus/ap/drivers/vfio_ap\n05.0004\nbind\nunbind\n");
}

}  // namespace
}  // namespace apc::kmod
