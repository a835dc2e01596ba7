// The kernel model's errno paths and read formats. Each test names the kernel
// function whose behaviour it reproduces (6.x modern; the legacy interface
// follows the 4.20 table, see kmod/README.md).
#include <gtest/gtest.h>

#include <cerrno>
#include <thread>

#include "kmod/model/kernel_model.h"
#include "model_test_util.h"

namespace apc::kmod {
namespace {

using ir::Interface;
using ir::makeIdSet;
using test::kUuid1;
using test::kUuid2;
using test::seedHost;

class ModernModel : public ::testing::Test {
 protected:
  KernelModel m{seedHost()};
  std::string p(const std::string& uuid, const std::string& attr) { return test::mdevPath(m, uuid, attr); }
  void create(const char* uuid) { ASSERT_EQ(m.write(test::createPath(m), std::string(uuid) + "\n"), 0); }
  // Frees adapters 5, 6 from the host drivers (apc's modern apply does this first).
  void freeAdapters() { ASSERT_EQ(m.write("bus/ap/apmask", "-5,-6"), 0); }
};

// --- AP bus attributes (ap_bus.c *_show) ---

TEST_F(ModernModel, FreshHostReads) {
  std::string ones = "0x" + std::string(64, 'f') + "\n";
  EXPECT_EQ(m.read("bus/ap/apmask").data, ones);  // ap_perms_init: all ones without boot params
  EXPECT_EQ(m.read("/bus/ap/aqmask").data, ones);
  EXPECT_EQ(m.read("bus/ap/ap_max_adapter_id").data, "255\n");
  EXPECT_EQ(m.read("bus/ap/ap_max_domain_id").data, "255\n");
  EXPECT_EQ(m.read("bus/ap/ap_usage_domain_mask").data,
            "0x0800000000000000010000000000000000000000001000000000000000000001\n");
  EXPECT_EQ(m.read("bus/ap/ap_adapter_mask").data, "0x06" + std::string(62, '0') + "\n");
  EXPECT_EQ(m.read("bus/ap/bindings").data, "8/8 (complete)\n");
  EXPECT_EQ(m.read("devices/ap/card05/type").data, "CEX5C\n");
  EXPECT_EQ(m.read("devices/ap/card06/type").data, "CEX5A\n");
  EXPECT_EQ(m.read("devices/ap/card05/hwtype").data, "11\n");
  EXPECT_EQ(m.read("devices/ap/card05/online").data, "1\n");
  EXPECT_EQ(m.read("devices/ap/card06/ap_functions").data, "0x08000000\n");
  const std::string parent = "devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/";
  EXPECT_EQ(m.read(parent + "name").data, "VFIO AP Passthrough Device\n");
  EXPECT_EQ(m.read(parent + "device_api").data, "vfio-ap\n");
  EXPECT_EQ(m.read(parent + "available_instances").data, "65536\n");
  EXPECT_EQ(m.read("devices/vfio_ap/matrix/features").data, "guest_matrix hotplug ap_config\n");
}

TEST_F(ModernModel, TreeAndLinks) {
  auto ls = m.list("bus/ap/devices");
  ASSERT_EQ(ls.err, 0);
  EXPECT_EQ(ls.names, (std::vector<std::string>{"05.0004", "05.0047", "05.00ab", "05.00ff", "06.0004",
                                                 "06.0047", "06.00ab", "06.00ff", "card05", "card06"}));
  auto st = m.stat("bus/ap/devices/05.0004");
  ASSERT_TRUE(st);
  EXPECT_EQ(st->kind, NodeKind::Symlink);
  EXPECT_EQ(st->linkTarget, "../../../devices/ap/card05/05.0004");
  auto drv = m.stat("bus/ap/devices/05.0004/driver");  // through the link
  ASSERT_TRUE(drv);
  EXPECT_EQ(drv->linkTarget, "../../../../bus/ap/drivers/cex4queue");
  EXPECT_EQ(m.canonical("bus/ap/devices/05.0004/driver"), "bus/ap/drivers/cex4queue");
  EXPECT_FALSE(m.stat("devices/ap/card07"));
  EXPECT_FALSE(m.stat("devices/ap/card05/05.0005"));  // not a usage domain
  EXPECT_EQ(m.read("devices/ap/card05").err, EISDIR);
  EXPECT_EQ(m.read("nothing/here").err, ENOENT);
  EXPECT_EQ(m.list("bus/ap/apmask").err, ENOTDIR);
  EXPECT_FALSE(m.stat("devices/virtual/misc/vfio_ap"));  // the legacy parent is absent
}

TEST_F(ModernModel, PermissionsLikeKernfs) {
  // kernfs_fop_open: no show method -> EACCES on read; no store -> EACCES on write.
  EXPECT_EQ(m.read(test::createPath(m)).err, EACCES);
  EXPECT_EQ(m.write("bus/ap/ap_max_adapter_id", "5"), EACCES);
  EXPECT_EQ(m.write("devices/ap/card05", "5"), EISDIR);
  EXPECT_EQ(m.write("bus/ap/nosuch", "5"), ENOENT);
}

// --- apmask / aqmask (apmask_store -> apmask_commit, ap_bus.c) ---

TEST_F(ModernModel, MaskWritesRebindQueues) {
  EXPECT_EQ(m.write("bus/ap/apmask", "-5"), 0);
  EXPECT_EQ(m.driverOf(5, 4), Driver::VfioAp);  // ap_bus_revise_bindings
  EXPECT_EQ(m.driverOf(6, 4), Driver::Cex4Queue);
  EXPECT_EQ(m.stat("devices/ap/card05/05.0004/driver")->linkTarget, "../../../../bus/ap/drivers/vfio_ap");
  EXPECT_EQ(m.read("devices/ap/card05/05.0004/status").data, "unassigned\n");
  EXPECT_EQ(m.write("bus/ap/apmask", "5"), 0);  // hex digit 5: bits 1 and 3
  EXPECT_EQ(m.apmask(), makeIdSet({1, 3}));
  EXPECT_EQ(m.write("bus/ap/apmask", "\n"), 0);  // empty line: every queue to vfio_ap
  EXPECT_TRUE(m.apmask().none());
  EXPECT_EQ(m.write("bus/ap/apmask", "+5,+08"), EINVAL);
  EXPECT_TRUE(m.apmask().none());  // a failed write changes nothing
  EXPECT_EQ(m.read("bus/ap/bindings").data, "8/8 (complete)\n");
}

TEST_F(ModernModel, MaskSetBitInUseIsEbusy) {
  freeAdapters();
  create(kUuid1);
  ASSERT_EQ(m.write(p(kUuid1, "assign_adapter"), "5"), 0);
  ASSERT_EQ(m.write(p(kUuid1, "assign_domain"), "4"), 0);
  // vfio_ap_mdev_resource_in_use -> EADDRINUSE, mapped to EBUSY by the bus.
  EXPECT_EQ(m.write("bus/ap/apmask", "+5"), EBUSY);
  EXPECT_EQ(m.write("bus/ap/apmask", "0x" + std::string(64, 'f')), EBUSY);
  // 6.19: the check runs against all-ones aqm: domain 4 is still in the mdev.
  EXPECT_EQ(m.write("bus/ap/aqmask", "-4"), 0);  // clearing is never checked
  EXPECT_EQ(m.write("bus/ap/aqmask", "+4"), EBUSY);
  EXPECT_EQ(m.write("bus/ap/aqmask", "+0x47"), 0);  // not in any mdev
  // Adapter 6 is in no mdev: handing it back is fine.
  EXPECT_EQ(m.write("bus/ap/apmask", "+6"), 0);
  EXPECT_EQ(m.write("bus/ap/apmask", "-6"), 0);
  // An mdev with adapters but no domains blocks nothing.
  ASSERT_EQ(m.write(p(kUuid1, "unassign_domain"), "4"), 0);
  EXPECT_EQ(m.write("bus/ap/apmask", "+5"), 0);
}

TEST_F(ModernModel, MaskUnchangedIsSuccess) {
  EXPECT_EQ(m.write("bus/ap/apmask", "+5"), 0);  // already set: no change, no check
  EXPECT_EQ(m.writeLog().back().err, 0);
}

// --- create / remove (mdev core create_store, remove_store) ---

TEST_F(ModernModel, CreateChecks) {
  const std::string c = test::createPath(m);
  EXPECT_EQ(m.write(c, "6c4a3f0e-1d2b-4c3a-9e8f-0123456789a"), EINVAL);      // 35 bytes
  EXPECT_EQ(m.write(c, "6c4a3f0e-1d2b-4c3a-9e8f-0123456789ab\n\n"), EINVAL);  // 38 bytes
  EXPECT_EQ(m.write(c, "6c4a3f0e_1d2b-4c3a-9e8f-0123456789ab"), EINVAL);     // guid_parse
  EXPECT_EQ(m.write(c, "6C4A3F0E-1D2B-4C3A-9E8F-0123456789AB\n"), 0);         // hex in any case
  EXPECT_TRUE(m.mdev(kUuid1));  // named in lower case (%pUl)
  EXPECT_EQ(m.write(c, std::string(kUuid1)), EEXIST);
  EXPECT_EQ(m.read(c.substr(0, c.size() - 6) + "available_instances").data, "65535\n");
  EXPECT_EQ(m.stat(p(kUuid1, "iommu_group"))->linkTarget, "../../../../kernel/iommu_groups/0");
  EXPECT_EQ(m.stat("bus/mdev/devices/" + std::string(kUuid1))->linkTarget,
            "../../../devices/vfio_ap/matrix/" + std::string(kUuid1));
  EXPECT_EQ(m.list("kernel/iommu_groups/0/devices").names, std::vector<std::string>{kUuid1});
  EXPECT_EQ(m.read("bus/mdev/devices/" + std::string(kUuid1) + "/matrix").data, "");
}

TEST(ModelCreate, ExhaustionErrno) {
  HostConfig h = seedHost();
  h.maxInstances = 1;
  KernelModel m(h);
  ASSERT_EQ(m.write(test::createPath(m), kUuid1), 0);
  EXPECT_EQ(m.write(test::createPath(m), kUuid2), EUSERS);  // mdev core (late 2022+)
  h.interface = Interface::Legacy;
  KernelModel l(h);
  ASSERT_EQ(l.write(test::createPath(l), kUuid1), 0);
  EXPECT_EQ(l.write(test::createPath(l), kUuid2), EPERM);  // 4.20 atomic_dec_if_positive
}

TEST_F(ModernModel, RemoveAndHeld) {
  create(kUuid1);
  create(kUuid2);
  EXPECT_EQ(m.mdev(kUuid2)->iommuGroup, 1u);
  EXPECT_EQ(m.write(p(kUuid1, "remove"), "x"), EINVAL);  // kstrtoul
  EXPECT_EQ(m.write(p(kUuid1, "remove"), "0"), 0);       // 0 does nothing
  EXPECT_TRUE(m.mdev(kUuid1));
  ASSERT_TRUE(m.hold(kUuid1));
  EXPECT_EQ(m.write(p(kUuid1, "remove"), "1"), EBUSY);  // recorded, not done
  ASSERT_EQ(m.destructiveEvents().size(), 1u);
  EXPECT_EQ(m.destructiveEvents()[0].uuid, kUuid1);
  EXPECT_TRUE(m.mdev(kUuid1));
  EXPECT_EQ(m.write(p(kUuid2, "remove"), "1\n"), 0);
  EXPECT_FALSE(m.mdev(kUuid2));
  EXPECT_FALSE(m.stat("kernel/iommu_groups/1"));
  create(kUuid2);  // the IDA hands out the lowest free group again
  EXPECT_EQ(m.mdev(kUuid2)->iommuGroup, 1u);
}

// --- assign / unassign (vfio_ap_ops.c assign_adapter_store & co, 6.0+) ---

TEST_F(ModernModel, AssignCheckOrder) {
  create(kUuid1);
  const auto a = p(kUuid1, "assign_adapter");
  EXPECT_EQ(m.write(a, "08"), EINVAL);                      // kstrtoul
  EXPECT_EQ(m.write(a, "99999999999999999999"), ERANGE);    // kstrtoul overflow
  EXPECT_EQ(m.write(a, "256"), ENODEV);                     // > apm_max
  EXPECT_EQ(m.write(a, "5"), 0);  // no domains yet: no APQN to check
  EXPECT_EQ(m.read(p(kUuid1, "matrix")).data, "05.\n");
  EXPECT_EQ(m.write(p(kUuid1, "assign_domain"), "4"), EADDRNOTAVAIL);  // 05.0004 host-owned
  EXPECT_EQ(m.read(p(kUuid1, "matrix")).data, "05.\n");     // the bit was cleared again
  freeAdapters();
  EXPECT_EQ(m.write(p(kUuid1, "assign_domain"), "4"), 0);
  EXPECT_EQ(m.write(a, "5"), 0);  // already assigned: success, nothing changes
  create(kUuid2);
  EXPECT_EQ(m.write(p(kUuid2, "assign_domain"), "4"), 0);
  EXPECT_EQ(m.write(p(kUuid2, "assign_adapter"), "0x5"), EADDRINUSE);  // 05.0004 in kUuid1
  EXPECT_EQ(m.write(p(kUuid2, "assign_adapter"), "6"), 0);
  EXPECT_EQ(m.write(p(kUuid2, "assign_adapter"), "7"), EADDRNOTAVAIL);  // apmask keeps 7
  ASSERT_EQ(m.write("bus/ap/apmask", "-7"), 0);
  EXPECT_EQ(m.write(p(kUuid2, "assign_adapter"), "7"), 0);  // over-provisioning: no card 7
  EXPECT_EQ(m.read(p(kUuid2, "matrix")).data, "06.0004\n07.0004\n");
  EXPECT_EQ(m.read(p(kUuid2, "guest_matrix")).data, "06.0004\n");  // card 7 filtered out
}

TEST_F(ModernModel, AssignDomainAndControl) {
  freeAdapters();
  create(kUuid1);
  EXPECT_EQ(m.write(p(kUuid1, "assign_domain"), "0xab"), 0);
  EXPECT_EQ(m.read(p(kUuid1, "matrix")).data, ".00ab\n");
  EXPECT_EQ(m.write(p(kUuid1, "assign_domain"), "0x100"), ENODEV);
  EXPECT_EQ(m.write(p(kUuid1, "assign_control_domain"), "0x100"), ENODEV);
  EXPECT_EQ(m.write(p(kUuid1, "assign_control_domain"), "x"), EINVAL);
  EXPECT_EQ(m.write(p(kUuid1, "assign_control_domain"), "010"), 0);  // octal 8
  EXPECT_EQ(m.write(p(kUuid1, "assign_control_domain"), "0xab"), 0);
  create(kUuid2);
  // Control domains are never checked for sharing or ownership.
  EXPECT_EQ(m.write(p(kUuid2, "assign_control_domain"), "0xab"), 0);
  EXPECT_EQ(m.read(p(kUuid1, "control_domains")).data, "0008\n00ab\n");
  EXPECT_EQ(m.write(p(kUuid1, "unassign_control_domain"), "8"), 0);
  EXPECT_EQ(m.write(p(kUuid1, "unassign_control_domain"), "8"), 0);  // not assigned: success
  EXPECT_EQ(m.write(p(kUuid1, "unassign_adapter"), "256"), ENODEV);
  EXPECT_EQ(m.write(p(kUuid1, "unassign_adapter"), "08"), EINVAL);
  EXPECT_EQ(m.read(p(kUuid1, "control_domains")).data, "00ab\n");
}

TEST_F(ModernModel, MatrixFormatsAndApConfig) {
  ASSERT_EQ(m.write("bus/ap/aqmask", "-4,-0x47,-0xab,-0xff"), 0);
  create(kUuid1);
  for (const char* v : {"5", "6"}) ASSERT_EQ(m.write(p(kUuid1, "assign_adapter"), v), 0);
  for (const char* v : {"0xab", "4"}) {
    ASSERT_EQ(m.write(p(kUuid1, "assign_domain"), v), 0);
    ASSERT_EQ(m.write(p(kUuid1, "assign_control_domain"), v), 0);
  }
  EXPECT_EQ(m.read(p(kUuid1, "matrix")).data, "05.0004\n05.00ab\n06.0004\n06.00ab\n");
  EXPECT_EQ(m.read(p(kUuid1, "guest_matrix")).data, "05.0004\n05.00ab\n06.0004\n06.00ab\n");
  EXPECT_EQ(m.read(p(kUuid1, "control_domains")).data, "0004\n00ab\n");
  // The worked example of the reference (format 2 masks).
  const std::string apm = "0x06" + std::string(62, '0');
  const std::string aqm = "0x0800000000000000000000000000000000000000001000000000000000000000";
  auto cfg = m.read(p(kUuid1, "ap_config")).data;
  EXPECT_EQ(cfg, apm + "," + aqm + "," + aqm + "\n");
  EXPECT_EQ(cfg.size(), 201u);
  // ap_config_store: `apm,aqm\n` is accepted with ADM = 0; without '\n' EINVAL.
  EXPECT_EQ(m.write(p(kUuid1, "ap_config"), apm + "," + aqm), EINVAL);
  EXPECT_EQ(m.write(p(kUuid1, "ap_config"), apm + "," + aqm + "\n"), 0);
  EXPECT_EQ(m.read(p(kUuid1, "control_domains")).data, "");
  // All or nothing: a queue of another mdev (EADDRINUSE), a host-owned one (EADDRNOTAVAIL).
  create(kUuid2);
  EXPECT_EQ(m.write(p(kUuid2, "ap_config"), "0x04," + aqm + ",0x"), EADDRINUSE);
  ASSERT_EQ(m.write("bus/ap/aqmask", "+1"), 0);
  EXPECT_EQ(m.write(p(kUuid2, "ap_config"), "0x2,0x4,0x"), EADDRNOTAVAIL);  // 02.0001 host-owned
  EXPECT_EQ(m.write(p(kUuid2, "ap_config"), "0x02,0x,0x"), 0);
  EXPECT_EQ(m.read(p(kUuid2, "matrix")).data, "06.\n");
}

TEST(ModelFormat, NoApxaLimits) {
  HostConfig h = seedHost();
  h.usageDomains = makeIdSet({4, 5});
  h.maxAdapterId = 63;
  h.maxDomainId = 15;
  KernelModel m(h);
  ASSERT_EQ(m.write(test::createPath(m), kUuid1), 0);
  // Without APXA, aqm_max is 15: domain 0xab is ENODEV (vfio_ap_matrix_init).
  EXPECT_EQ(m.write(test::mdevPath(m, kUuid1, "assign_domain"), "0xab"), ENODEV);
  EXPECT_EQ(m.write(test::mdevPath(m, kUuid1, "assign_adapter"), "64"), ENODEV);
  EXPECT_EQ(m.read("bus/ap/ap_max_domain_id").data, "15\n");
}

TEST_F(ModernModel, GuestMatrixDropsAdapterWithMissingQueue) {
  HostConfig h = seedHost();
  h.missingQueues.insert(6, 0xab);
  KernelModel mm(h);
  ASSERT_EQ(mm.write("bus/ap/apmask", "-5,-6"), 0);
  ASSERT_EQ(mm.write(test::createPath(mm), kUuid1), 0);
  for (const char* v : {"5", "6"}) ASSERT_EQ(mm.write(test::mdevPath(mm, kUuid1, "assign_adapter"), v), 0);
  for (const char* v : {"4", "0xab"}) ASSERT_EQ(mm.write(test::mdevPath(mm, kUuid1, "assign_domain"), v), 0);
  // vfio_ap_mdev_filter_matrix: one missing queue drops the whole adapter.
  EXPECT_EQ(mm.read(test::mdevPath(mm, kUuid1, "guest_matrix")).data, "05.0004\n05.00ab\n");
  // No adapter at all left: domain-only lines.
  ASSERT_EQ(mm.write(test::mdevPath(mm, kUuid1, "unassign_adapter"), "5"), 0);
  EXPECT_EQ(mm.read(test::mdevPath(mm, kUuid1, "guest_matrix")).data, ".0004\n.00ab\n");
}

TEST_F(ModernModel, HeldMdevHotplugs) {
  freeAdapters();
  create(kUuid1);
  ASSERT_TRUE(m.hold(kUuid1));
  // 6.0+: assign while the guest runs is allowed (hot plug, 51dc562af09d).
  EXPECT_EQ(m.write(p(kUuid1, "assign_adapter"), "5"), 0);
  EXPECT_EQ(m.write(p(kUuid1, "assign_domain"), "4"), 0);
  EXPECT_EQ(m.read("devices/ap/card05/05.0004/status").data, "in use\n");
}

TEST_F(ModernModel, ModernBindUnbind) {
  // ap_device_probe refuses a queue the masks reserve for the default drivers.
  EXPECT_EQ(m.write("bus/ap/drivers/cex4queue/unbind", "05.0004\n"), 0);
  EXPECT_EQ(m.driverOf(5, 4), Driver::None);
  EXPECT_FALSE(m.stat("devices/ap/card05/05.0004/driver"));
  EXPECT_EQ(m.write("bus/ap/drivers/vfio_ap/bind", "05.0004"), ENODEV);
  EXPECT_EQ(m.write("bus/ap/drivers/cex4queue/bind", "05.0004"), 0);
  EXPECT_EQ(m.write("bus/ap/drivers/cex4queue/bind", "05.0004"), EBUSY);  // __driver_probe_device
  EXPECT_EQ(m.write("bus/ap/drivers/cex4queue/unbind", "07.0004"), ENODEV);
  EXPECT_EQ(m.write("bus/ap/drivers/vfio_ap/unbind", "05.0004"), ENODEV);  // not its driver
}

// --- Faults ---

TEST_F(ModernModel, FaultInjectionHitsTheNthWrite) {
  m.addFault({2, "bus/ap/apmask", EIO});
  EXPECT_EQ(m.write("bus/ap/apmask", "-5"), 0);
  EXPECT_EQ(m.write("/bus/ap/apmask", "-6"), EIO);
  EXPECT_TRUE(m.apmask().test(6));  // the failed write changed nothing
  EXPECT_EQ(m.write("bus/ap/apmask", "-6"), 0);
  auto log = m.writeLog();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_TRUE(log[1].injected);
  EXPECT_TRUE(m.pendingFaults().empty());
}

// --- Legacy (2018 v8 patch; errnos of the 4.20 table) ---

class LegacyModel : public ::testing::Test {
 protected:
  KernelModel m{seedHost(Interface::Legacy)};
  std::string p(const std::string& attr) { return test::mdevPath(m, kUuid1, attr); }
};

TEST_F(LegacyModel, LayoutHasNoMasks) {
  EXPECT_EQ(m.matrixParent(), "devices/virtual/misc/vfio_ap");
  EXPECT_FALSE(m.stat("bus/ap/apmask"));  // v8: "Removed the AP bus's ability to designate queues"
  EXPECT_FALSE(m.stat("devices/vfio_ap/matrix"));
  EXPECT_TRUE(m.stat("devices/virtual/misc/vfio_ap/mdev_supported_types/vfio_ap-passthrough/create"));
}

TEST_F(LegacyModel, BindThenAssign) {
  ASSERT_EQ(m.write(test::createPath(m), kUuid1), 0);
  EXPECT_FALSE(m.stat(p("guest_matrix")));  // no guest_matrix before 6.0
  // vfio_ap_verify_queue_reserved: no queue of adapter 5 bound to vfio_ap yet.
  EXPECT_EQ(m.write(p("assign_adapter"), "5"), EADDRNOTAVAIL);
  EXPECT_EQ(m.write("bus/ap/drivers/vfio_ap/bind", "05.0004"), ENODEV);  // still bound (4.20 bind_store)
  ASSERT_EQ(m.write("bus/ap/drivers/cex4queue/unbind", "05.0004"), 0);
  ASSERT_EQ(m.write("bus/ap/drivers/vfio_ap/bind", "05.0004\n"), 0);
  EXPECT_EQ(m.stat("devices/ap/card05/05.0004/driver")->linkTarget, "../../../../bus/ap/drivers/vfio_ap");
  EXPECT_EQ(m.write(p("assign_adapter"), "5"), 0);
  EXPECT_EQ(m.write(p("assign_domain"), "0x47"), EADDRNOTAVAIL);  // 05.0047 not bound to vfio_ap
  EXPECT_EQ(m.write(p("assign_domain"), "4"), 0);
  EXPECT_EQ(m.write(p("assign_adapter"), "256"), ENODEV);
  EXPECT_EQ(m.write(p("assign_adapter"), "5"), 0);  // re-checked, still fine
  ASSERT_EQ(m.write(test::createPath(m), kUuid2), 0);
  EXPECT_EQ(m.write(test::mdevPath(m, kUuid2, "assign_domain"), "4"), 0);
  EXPECT_EQ(m.write(test::mdevPath(m, kUuid2, "assign_adapter"), "5"), EADDRINUSE);
  EXPECT_EQ(m.read(p("matrix")).data, "05.0004\n");
}

TEST_F(LegacyModel, HeldMdevRefusesEverything) {
  ASSERT_EQ(m.write(test::createPath(m), kUuid1), 0);
  ASSERT_TRUE(m.hold(kUuid1));
  // 4.20: any assign/unassign while matrix_mdev->kvm is set is EBUSY, before parsing.
  EXPECT_EQ(m.write(p("assign_adapter"), "garbage"), EBUSY);
  EXPECT_EQ(m.write(p("unassign_control_domain"), "4"), EBUSY);
  EXPECT_EQ(m.write(p("remove"), "1"), EBUSY);
  EXPECT_EQ(m.destructiveEvents().size(), 1u);
}

TEST(ModelInventory, FromPlanHost) {
  ir::Inventory inv;
  inv.adapters = {{0x05, {5, ir::CardMode::Cca}, {}}, {0x06, {5, ir::CardMode::Accel}, {}}};
  inv.usageDomains = makeIdSet({4, 0x47});
  inv.controlDomains = makeIdSet({0, 4, 0x47});
  inv.offlineQueues.insert(6, 0x47);
  inv.crycbFormat = 1;
  KernelModel m(hostConfigFromInventory(inv));
  EXPECT_TRUE(m.queueExists(5, 0x47));
  EXPECT_FALSE(m.queueExists(6, 0x47));
  EXPECT_EQ(m.read("bus/ap/ap_max_adapter_id").data, "63\n");
  EXPECT_EQ(m.read("bus/ap/ap_control_domain_mask").data, "0x8800000000000000010000000000000000000000000000000000000000000000\n");
  EXPECT_EQ(m.driverOf(5, 4), Driver::Cex4Queue);
  EXPECT_EQ(m.read("bus/ap/bindings").data, "3/3 (complete)\n");
}

TEST(ModelOldCards, Cex3HasNoDriver) {
  HostConfig h = seedHost();
  h.cards.push_back({7, 9, ir::CardMode::Accel, true});
  KernelModel m(h);
  EXPECT_FALSE(m.stat("devices/ap/card07/type"));  // no zcrypt card driver for CEX3
  EXPECT_EQ(m.read("devices/ap/card07/hwtype").data, "9\n");
  EXPECT_EQ(m.driverOf(7, 4), Driver::None);
  EXPECT_EQ(m.write("bus/ap/drivers/cex4queue/bind", "07.0004"), ENODEV);
}

TEST(ModelConcurrency, ParallelWritersLoseNothing) {
  KernelModel m(seedHost());
  ASSERT_EQ(m.write("bus/ap/apmask", "-5,-6"), 0);
  ASSERT_EQ(m.write("bus/ap/aqmask", "-4,-0x47,-0xab,-0xff"), 0);
  // Two threads race to give the same queue to two mdevs; exactly one wins.
  ASSERT_EQ(m.write(test::createPath(m), kUuid1), 0);
  ASSERT_EQ(m.write(test::createPath(m), kUuid2), 0);
  for (const char* u : {kUuid1, kUuid2}) ASSERT_EQ(m.write(test::mdevPath(m, u, "assign_domain"), "4"), 0);
  int rc1 = -1, rc2 = -1;
  std::thread t1([&] { rc1 = m.write(test::mdevPath(m, kUuid1, "assign_adapter"), "5"); });
  std::thread t2([&] { rc2 = m.write(test::mdevPath(m, kUuid2, "assign_adapter"), "5"); });
  t1.join();
  t2.join();
  EXPECT_EQ((rc1 == 0) + (rc2 == 0), 1);
  EXPECT_EQ((rc1 == EADDRINUSE) + (rc2 == EADDRINUSE), 1);
  EXPECT_EQ(m.writeLog().size(), 8u);
}

}  // namespace
}  // namespace apc::kmod
