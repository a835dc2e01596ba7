// Per kernel generation (kmod/model/kernel_gen.h), probes of the rules that
// differ between them, each named after the kernel code it reproduces (see
// kmod/README.md for the versions): hot plug into a held mdev, assign before
// bind, mask writes under an mdev, remove of a held mdev, which attributes
// exist; then the host state the sim can be given, and the sim's attribute
// set against the files s390-tools reads (tests/kmod/fixtures).
#include <gtest/gtest.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "kmod/model/host_flags.h"
#include "kmod/model/kernel_model.h"
#include "model_test_util.h"

namespace apc::kmod {
namespace {

using test::kUuid1;
using test::kUuid2;

HostConfig hostOn(KernelGen g) {
  HostConfig c = test::seedHost();
  c.kernel = g;
  return c;
}

class Generation : public ::testing::TestWithParam<KernelGen> {
 protected:
  KernelModel m{hostOn(GetParam())};
  KernelGen gen() const { return GetParam(); }
  std::string p(const char* uuid, const std::string& attr) { return test::mdevPath(m, uuid, attr); }
  int create(const char* uuid) { return m.write(test::createPath(m), std::string(uuid) + "\n"); }
  bool exists(const std::string& path) { return m.stat(path).has_value(); }
  // The bind-before-assign order that works on every generation: masks first
  // (the bus rebinds the queues to vfio_ap), then the mdev.
  void guestWith05_0004() {
    ASSERT_EQ(m.write("bus/ap/apmask", "-5,-6"), 0);
    ASSERT_EQ(create(kUuid1), 0);
    ASSERT_EQ(m.write(p(kUuid1, "assign_adapter"), "5"), 0);
    ASSERT_EQ(m.write(p(kUuid1, "assign_domain"), "4"), 0);
  }
};

INSTANTIATE_TEST_SUITE_P(Kernels, Generation, ::testing::ValuesIn(allKernelGens()),
                         [](const ::testing::TestParamInfo<KernelGen>& i) {
                           std::string n = "v" + std::string(kernelGenName(i.param));
                           for (char& c : n)
                             if (c == '.') c = '_';
                           return n;
                         });

// vfio_ap assign_*_store: before 6.0 "if (matrix_mdev->kvm) return -EBUSY"
// for every assign/unassign; 6.0 (51dc562af09d) hot-plugs instead.
TEST_P(Generation, HotPlugIntoAHeldMdev) {
  guestWith05_0004();
  m.hold(kUuid1);
  const int want = hasDynamicConfig(gen()) ? 0 : EBUSY;
  EXPECT_EQ(m.write(p(kUuid1, "assign_domain"), "0x47"), want);
  EXPECT_EQ(m.write(p(kUuid1, "assign_control_domain"), "0xab"), want);
  EXPECT_EQ(m.write(p(kUuid1, "unassign_domain"), "4"), want);
  // EBUSY comes before the parse: even a malformed number is EBUSY.
  EXPECT_EQ(m.write(p(kUuid1, "assign_adapter"), "x"), hasDynamicConfig(gen()) ? EINVAL : EBUSY);
}

// Before 6.0 (vfio_ap_mdev_verify_queues_reserved_for_apid): an adapter with
// no domains yet needs one of its queues bound to vfio_ap, else
// EADDRNOTAVAIL; 6.0 checks the masks' ownership only, and with no domains
// there is no APQN to check.
TEST_P(Generation, AssignBeforeBind) {
  ASSERT_EQ(create(kUuid1), 0);
  EXPECT_EQ(m.write(p(kUuid1, "assign_adapter"), "5"), hasDynamicConfig(gen()) ? 0 : EADDRNOTAVAIL);
  // Queues on cex4queue (the masks keep them): never assignable.
  ASSERT_EQ(m.write("bus/ap/apmask", "-6"), 0);
  EXPECT_EQ(m.write(p(kUuid1, "assign_adapter"), "6"), 0);
  EXPECT_EQ(m.write(p(kUuid1, "assign_domain"), "4"), hasDynamicConfig(gen()) ? EADDRNOTAVAIL : 0);
}

// Over-provisioning (6.0+): a queue that does not exist may be assigned when
// the masks do not keep it; before 6.0 every APQN must exist and be bound.
TEST_P(Generation, AssignAQueueThatDoesNotExist) {
  HostConfig c = hostOn(gen());
  c.missingQueues.insert(5, 0x47);
  KernelModel k(c);
  ASSERT_EQ(k.write("bus/ap/apmask", "-5"), 0);
  ASSERT_EQ(k.write(test::createPath(k), std::string(kUuid1) + "\n"), 0);
  ASSERT_EQ(k.write(test::mdevPath(k, kUuid1, "assign_domain"), "0x47"), hasDynamicConfig(gen()) ? 0 : EADDRNOTAVAIL);
  if (!hasDynamicConfig(gen())) return;
  EXPECT_EQ(k.write(test::mdevPath(k, kUuid1, "assign_adapter"), "5"), 0);
  EXPECT_EQ(k.read(test::mdevPath(k, kUuid1, "matrix")).data, "05.0047\n");
  // guest_matrix drops adapter 5 (its queue 05.0047 is missing); the domain
  // stays, printed as matrix_show prints a domain without adapters.
  EXPECT_EQ(k.read(test::mdevPath(k, kUuid1, "guest_matrix")).data, ".0047\n");
}

// apmask_commit: before 6.0 vfio_ap has no in_use callback (nothing stops a
// mask write from taking an mdev's queues); 6.0-6.18 check the newly set bits
// against the bus's current opposite mask; 6.19 (6917f434fda3) against all ones.
TEST_P(Generation, MaskWritesUnderAnMdev) {
  guestWith05_0004();
  // Clearing bits is never checked.
  ASSERT_EQ(m.write("bus/ap/aqmask", "-4"), 0);
  // Adapter 5 back to the host: its only assigned APQN (05.0004) has aqmask
  // bit 4 clear, so only the all-ones rule sees the mdev.
  int want = allOnesInUse(gen()) ? EBUSY : 0;
  EXPECT_EQ(m.write("bus/ap/apmask", "+5"), want);
  if (want == 0) {
    EXPECT_EQ(m.write("bus/ap/apmask", "-5"), 0);
  }
  // Domain 4 back (adapter 5 not host-owned): 05.0004 would stay with vfio_ap,
  // still the all-ones rule refuses.
  EXPECT_EQ(m.write("bus/ap/aqmask", "+4"), allOnesInUse(gen()) ? EBUSY : 0);
  if (!allOnesInUse(gen())) {
    // Now 05.0004 really becomes host-owned: 6.0+ refuses, older kernels let
    // the host take the mdev's queue.
    EXPECT_EQ(m.write("bus/ap/apmask", "+5"), hasDynamicConfig(gen()) ? EBUSY : 0);
  }
}

// remove of an mdev a guest holds: 4.20's mdev core passes vfio_ap's EBUSY
// on and nothing happens; later cores remove it under the guest (the model
// records that destructive event and answers EBUSY, see kmod/README.md).
TEST_P(Generation, RemoveOfAHeldMdev) {
  guestWith05_0004();
  m.hold(kUuid1);
  EXPECT_EQ(m.write(p(kUuid1, "remove"), "1"), EBUSY);
  EXPECT_EQ(m.destructiveEvents().size(), removeOfHeldFails(gen()) ? 0u : 1u);
  EXPECT_TRUE(m.mdev(kUuid1));
}

// status_show (vfio_ap_ops.c, 6.0+): "in use" while the queue's mdev has a
// KVM; since 6.8 (a0d8f4eeb7c4) only when the queue is also in the guest's
// matrix (shadow APCB): an adapter the filter drops reads "assigned".
TEST_P(Generation, QueueStatusOfAHeldMdev) {
  HostConfig c = hostOn(gen());
  c.missingQueues.insert(6, 0x47);
  KernelModel k(c);
  auto status = [&](const char* q) { return k.read(std::string("bus/ap/devices/") + q + "/status"); };
  ASSERT_EQ(k.write("bus/ap/apmask", "-5,-6"), 0);
  ASSERT_EQ(k.write(test::createPath(k), std::string(kUuid1) + "\n"), 0);
  if (!hasDynamicConfig(gen())) {
    EXPECT_EQ(status("05.0004").err, ENOENT);
    return;
  }
  ASSERT_EQ(k.write(test::mdevPath(k, kUuid1, "assign_adapter"), "5"), 0);
  ASSERT_EQ(k.write(test::mdevPath(k, kUuid1, "assign_adapter"), "6"), 0);
  ASSERT_EQ(k.write(test::mdevPath(k, kUuid1, "assign_domain"), "4"), 0);
  ASSERT_EQ(k.write(test::mdevPath(k, kUuid1, "assign_domain"), "0x47"), 0);
  EXPECT_EQ(k.read(test::mdevPath(k, kUuid1, "guest_matrix")).data, "05.0004\n05.0047\n");
  EXPECT_EQ(status("05.0004").data, "assigned\n");
  EXPECT_EQ(status("05.00ab").data, "unassigned\n");
  ASSERT_TRUE(k.hold(kUuid1));
  EXPECT_EQ(status("05.0004").data, "in use\n");
  EXPECT_EQ(status("05.0047").data, "in use\n");
  // Adapter 6 lacks 06.0047, so the filter keeps it out of the guest.
  EXPECT_EQ(status("06.0004").data, statusChecksShadow(gen()) ? "assigned\n" : "in use\n");
  EXPECT_EQ(status("05.00ab").data, "unassigned\n");
  k.hold(kUuid1, false);
  EXPECT_EQ(status("05.0004").data, "assigned\n");
}

// The vfio core's class device (6.1+): <mdev>/vfio-dev/vfioN, N from the
// core's own IDA (lowest free first), the name of the device cdev
// /dev/vfio/devices/vfioN a QEMU using iommufd opens.
TEST_P(Generation, VfioDeviceClassDirectory) {
  ASSERT_EQ(create(kUuid1), 0);
  ASSERT_EQ(create(kUuid2), 0);
  const bool has = hasVfioDeviceClass(gen());
  EXPECT_EQ(exists(p(kUuid1, "vfio-dev")), has);
  if (!has) return;
  EXPECT_EQ(m.list(p(kUuid1, "vfio-dev")).names, std::vector<std::string>{"vfio0"});
  EXPECT_EQ(m.list(p(kUuid2, "vfio-dev")).names, std::vector<std::string>{"vfio1"});
  EXPECT_EQ(m.stat(p(kUuid2, "vfio-dev/vfio1"))->kind, NodeKind::Dir);
  EXPECT_FALSE(exists(p(kUuid2, "vfio-dev/vfio0")));
  EXPECT_EQ(m.write(p(kUuid1, "remove"), "1"), 0);
  ASSERT_EQ(create(kUuid1), 0);
  EXPECT_EQ(m.list(p(kUuid1, "vfio-dev")).names, std::vector<std::string>{"vfio0"});
  EXPECT_EQ(m.list("bus/mdev/devices/" + std::string(kUuid2) + "/vfio-dev").names,
            std::vector<std::string>{"vfio1"});
}

TEST_P(Generation, AttributesThatExist) {
  guestWith05_0004();
  EXPECT_EQ(exists(p(kUuid1, "guest_matrix")), hasDynamicConfig(gen()));
  EXPECT_EQ(exists("devices/ap/card05/05.0004/status"), hasDynamicConfig(gen()));
  EXPECT_EQ(exists(p(kUuid1, "ap_config")), hasApConfig(gen()));
  EXPECT_EQ(exists("devices/vfio_ap/matrix/features"), hasParentFeatures(gen()));
  EXPECT_EQ(exists("devices/ap/card05/05.0004/driver_override"), hasDriverOverride(gen()));
  EXPECT_EQ(exists("bus/ap/bindings_complete_count"), gen() >= KernelGen::K6_19);
  EXPECT_EQ(exists("bus/ap/features"), gen() >= KernelGen::K6_10);
  // What every generation has.
  for (const char* f : {"bus/ap/apmask", "bus/ap/ap_domain", "bus/ap/bindings", "devices/ap/card05/config"})
    EXPECT_TRUE(exists(f)) << f;
  EXPECT_TRUE(exists(p(kUuid1, "matrix")));
}

// Create past available_instances: vfio_ap's own counter (EPERM) until the
// mdev core took the count over (6.2: EUSERS).
TEST_P(Generation, CreateWhenNoInstancesAreLeft) {
  HostConfig c = hostOn(gen());
  c.maxInstances = 1;
  KernelModel k(c);
  ASSERT_EQ(k.write(test::createPath(k), std::string(kUuid1) + "\n"), 0);
  EXPECT_EQ(k.write(test::createPath(k), std::string(kUuid2) + "\n"), createExhaustedIsEusers(gen()) ? EUSERS : EPERM);
}

// bind_store of a bound queue: 4.20's driver core answers ENODEV, 5.14+
// (__driver_probe_device) EBUSY.
TEST_P(Generation, BindOfABoundQueue) {
  EXPECT_EQ(m.write("bus/ap/drivers/cex4queue/bind", "05.0004"), gen() == KernelGen::K4_20 ? ENODEV : EBUSY);
}

TEST(GenerationNames, RoundTrip) {
  for (KernelGen g : allKernelGens()) EXPECT_EQ(parseKernelGen(kernelGenName(g)), g);
  EXPECT_EQ(parseKernelGen("v6.0"), KernelGen::K6_0);
  EXPECT_FALSE(parseKernelGen("6.1"));
  EXPECT_FALSE(parseKernelGen(""));
  EXPECT_EQ(HostConfig{}.kernel, KernelGen::K6_19);  // the default is the newest
}

// --- 6.19 driver_override (ap_queue.c driver_override_store, ap_bus.c) ---

TEST(DriverOverride, EveryMaskWriteIsEinvalWhileOneIsActive) {
  HostConfig c = test::seedHost();
  ASSERT_EQ(applyDriverOverrideFlag(c, "05.0004=vfio_ap"), "");
  KernelModel m(c);
  EXPECT_EQ(m.driverOf(5, 4), Driver::VfioAp);  // only vfio_ap matches it at boot
  EXPECT_EQ(m.read("devices/ap/card05/05.0004/driver_override").data, "vfio_ap\n");
  EXPECT_EQ(m.write("bus/ap/apmask", "-6"), EINVAL);
  EXPECT_EQ(m.write("bus/ap/aqmask", "0x" + std::string(64, 'f')), EINVAL);
  // Cleared: masks can be written again, and then no override can be set.
  EXPECT_EQ(m.write("devices/ap/card05/05.0004/driver_override", "\n"), 0);
  EXPECT_EQ(m.write("bus/ap/apmask", "-6"), 0);
  EXPECT_EQ(m.write("devices/ap/card05/05.0047/driver_override", "vfio_ap"), EINVAL);
}

TEST(DriverOverride, OnlyFrom619) {
  HostConfig c = test::seedHost();
  c.kernel = KernelGen::K6_10;
  EXPECT_NE(applyDriverOverrideFlag(c, "05.0004=vfio_ap"), "");
}

// --- host state the sim can be given ---

TEST(HostState, DefaultDomainAsApSelectDomainChoosesIt) {
  KernelModel m(test::seedHost());
  EXPECT_EQ(m.read("bus/ap/ap_domain").data, "4\n");  // the first usage domain with a queue
  HostConfig c = test::seedHost();
  ASSERT_EQ(applyDefaultDomainFlag(c, "0x47"), "");
  KernelModel k(c);
  EXPECT_EQ(k.read("bus/ap/ap_domain").data, "71\n");  // "%d\n"
  EXPECT_NE(applyDefaultDomainFlag(c, "047"), "");
  EXPECT_NE(applyDefaultDomainFlag(c, "256"), "");
}

TEST(HostState, RequestsInFlightAreCountedAndFlushedWhenTheQueueLeaves) {
  HostConfig c = test::seedHost();
  ASSERT_EQ(applyBusyFlag(c, "05.0004=3"), "");
  ASSERT_EQ(applyBusyFlag(c, "05.0047"), "");
  EXPECT_NE(applyBusyFlag(c, "07.0004"), "");
  EXPECT_NE(applyBusyFlag(c, "05.0004=0"), "");
  KernelModel m(c);
  EXPECT_EQ(m.read("devices/ap/card05/05.0004/requestq_count").data, "3\n");
  EXPECT_EQ(m.read("devices/ap/card05/05.0004/request_count").data, "3\n");
  EXPECT_EQ(m.read("devices/ap/card05/requestq_count").data, "4\n");
  EXPECT_EQ(m.read("devices/ap/card06/requestq_count").data, "0\n");
  ASSERT_EQ(m.write("bus/ap/aqmask", "-0xab"), 0);  // no busy queue moves
  EXPECT_TRUE(m.destructiveEvents().empty());
  ASSERT_EQ(m.write("bus/ap/apmask", "-5"), 0);
  auto ev = m.destructiveEvents();
  ASSERT_EQ(ev.size(), 2u);
  EXPECT_EQ(ev[0].path, "devices/ap/card05/05.0004");
  EXPECT_EQ(ev[0].what, "3 zcrypt requests in flight flushed: the queue left the host");
  EXPECT_EQ(m.read("devices/ap/card05/05.0004/requestq_count").data, "0\n");
}

TEST(HostState, DeconfiguredAndCheckstoppedCards) {
  HostConfig c = test::seedHost();
  ASSERT_EQ(applyCardStateFlag(c, "06=deconfigured"), "");
  ASSERT_EQ(applyCardStateFlag(c, "card05=checkstop"), "");
  EXPECT_NE(applyCardStateFlag(c, "07=checkstop"), "");
  EXPECT_NE(applyCardStateFlag(c, "05=broken"), "");
  KernelModel m(c);
  EXPECT_EQ(m.read("devices/ap/card06/config").data, "0\n");
  EXPECT_EQ(m.read("devices/ap/card06/06.0004/config").data, "0\n");
  EXPECT_EQ(m.read("devices/ap/card05/chkstop").data, "1\n");
  EXPECT_EQ(m.read("devices/ap/card05/05.0004/chkstop").data, "1\n");
  EXPECT_EQ(m.read("devices/ap/card05/config").data, "1\n");
  // A deconfigured card is out of the QCI view; zcrypt's default domain is
  // chosen among configured cards only.
  EXPECT_EQ(m.read("bus/ap/ap_domain").data, "4\n");
}

TEST(HostState, ADeconfiguredCardLeavesTheGuestMatrix) {
  HostConfig c = test::seedHost();
  ASSERT_EQ(applyCardStateFlag(c, "06=deconfigured"), "");
  KernelModel m(c);
  ASSERT_EQ(m.write("bus/ap/apmask", "-5,-6"), 0);
  ASSERT_EQ(m.write(test::createPath(m), std::string(kUuid1) + "\n"), 0);
  for (const char* a : {"5", "6"}) ASSERT_EQ(m.write(test::mdevPath(m, kUuid1, "assign_adapter"), a), 0);
  ASSERT_EQ(m.write(test::mdevPath(m, kUuid1, "assign_domain"), "4"), 0);
  EXPECT_EQ(m.read(test::mdevPath(m, kUuid1, "matrix")).data, "05.0004\n06.0004\n");
  EXPECT_EQ(m.read(test::mdevPath(m, kUuid1, "guest_matrix")).data, "05.0004\n");
}

// --- the sim's attribute set against what s390-tools reads ---

TEST(SimServesWhatS390ToolsRead, EveryFileOfTheFixture) {
  std::ifstream in(std::string(APC_SOURCE_DIR) + "/tests/kmod/fixtures/s390-tools-sysfs-reads.txt");
  ASSERT_TRUE(in) << "missing fixture";
  KernelModel m(test::seedHost());
  ASSERT_EQ(m.write("bus/ap/apmask", "-6"), 0);  // card 06's queues on vfio_ap (VQUEUE)
  ASSERT_EQ(m.write(test::createPath(m), std::string(kUuid1) + "\n"), 0);
  const std::string mdev = "devices/vfio_ap/matrix/" + std::string(kUuid1);
  ASSERT_EQ(m.write(mdev + "/assign_adapter", "6"), 0);
  ASSERT_EQ(m.write(mdev + "/assign_domain", "4"), 0);
  auto expand = [&](std::string path) {
    for (auto [from, to] : {std::pair<const char*, std::string>{"VQUEUE", "devices/ap/card06/06.0004"},
                            {"QUEUE", "devices/ap/card05/05.0004"},
                            {"CARD", "devices/ap/card05"},
                            {"MDEV", mdev}})
      if (path.rfind(from, 0) == 0) return to + path.substr(std::string(from).size());
    return path;
  };
  std::string line;
  int required = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::string tool, path, flag;
    words >> tool >> path >> flag;
    const std::string full = expand(path);
    auto st = m.stat(full);
    if (flag == "optional" && !st) continue;
    ASSERT_TRUE(st) << tool << " reads " << full << ", which the sim does not serve";
    ++required;
    if (st->kind == NodeKind::Symlink) continue;  // driver links
    auto r = m.read(full);
    EXPECT_EQ(r.err, 0) << full;
    EXPECT_TRUE(!r.data.empty() && r.data.back() == '\n') << full << ": '" << r.data << "'";
  }
  EXPECT_GE(required, 38);
}

}  // namespace
}  // namespace apc::kmod
