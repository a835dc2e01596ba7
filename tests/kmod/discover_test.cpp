// `apc discover` over an emulated sysfs: the host block (types, domains,
// masks as reserve lines, missing queues as offline), one guest per mdev, and
// what real hosts have (offline cards, CEX3 cards, mdevs without domains).
#include <gtest/gtest.h>

#include "kmod/discover/discover.h"
#include "model_test_util.h"
#include "sim_fixture.h"

namespace apc::kmod {
namespace {

using test::kUuid1;
using test::kUuid2;
using test::runShell;
using test::SimMount;

TEST(Discover, FreshHostReservesEverything) {
  auto sim = SimMount::start(test::seedHost());
  ASSERT_TRUE(sim->ok());
  DiscoverResult r = discover({sim->root(), "lpar"});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.plan, "# Discovered by `apc discover` from " + sim->root() +
                        " (modern interface).\n"
                        "host lpar {\n"
                        "    interface modern;\n"
                        "    crycb format 2;\n"
                        "    adapter 0x05 CEX5C;\n"
                        "    adapter 0x06 CEX5A;\n"
                        "    domains 0x04, 0x47, 0xab, 0xff;\n"
                        "    reserve 05.*, 06.*;\n"
                        "}\n");
  EXPECT_TRUE(r.warnings.empty());
}

TEST(Discover, WhatRealHostsHave) {
  HostConfig h = test::seedHost();
  h.cards.push_back({7, 9, ir::CardMode::Accel, true});    // CEX3A: skipped
  h.cards.push_back({8, 14, ir::CardMode::Ep11, false});   // CEX8P, offline
  h.controlDomains = ir::makeIdSet({0, 4, 0x47, 0xab, 0xff});
  h.missingQueues.insert(6, 0xff);
  auto sim = SimMount::start(h);
  ASSERT_TRUE(sim->ok());
  auto sh = runShell(
      "echo 0 > $R/devices/ap/card08/online && "
      "echo -0x47,-0xab,-0xff > $R/bus/ap/aqmask && echo -5 > $R/bus/ap/apmask && "
      "C=$R/devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/create; "
      "echo $U1 > $C && echo $U2 > $C && M=$R/devices/vfio_ap/matrix && "
      "echo 6 > $M/$U1/assign_adapter && echo 0xab > $M/$U1/assign_domain && "
      "echo 0xab > $M/$U1/assign_control_domain && echo 0 > $M/$U1/assign_control_domain && "
      "echo 5 > $M/$U2/assign_adapter",
      {{"R", sim->root()}, {"U1", kUuid1}, {"U2", kUuid2}});
  ASSERT_EQ(sh.status, 0) << sh.err;
  DiscoverResult r = discover({sim->root(), "lpar"});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.plan,
            "# Discovered by `apc discover` from " + sim->root() +
                " (modern interface).\n"
                "# note: card 0x07 (hwtype 9, CEX2/CEX3) skipped: vfio_ap drives CEX4 and newer only\n"
                "# note: card 0x08 is offline; its queues are listed as they are\n"
                "host lpar {\n"
                "    interface modern;\n"
                "    crycb format 2;\n"
                "    adapter 0x05 CEX5C;\n"
                "    adapter 0x06 CEX5A;\n"
                "    adapter 0x08 CEX8P;  # offline\n"
                "    domains 0x04, 0x47, 0xab, 0xff;\n"
                "    control domains 0x00, 0x04, 0x47, 0xab, 0xff;\n"
                "    reserve 06.0004, 08.0004;\n"
                "    offline 06.00ff;\n"
                "}\n"
                "\n"
                "# mdev " + std::string(kUuid2) + " has adapters but no domains; a plan guest needs both:\n"
                "# guest mdev_0b1c2d3e {\n"
                "#     adapters 0x05;\n"
                "#     uuid " + kUuid2 + ";\n"
                "# }\n"
                "\n"
                "guest mdev_6c4a3f0e {\n"
                "    adapters 0x06;\n"
                "    domains 0xab;\n"
                "    control domains 0x00;\n"
                "    uuid " + kUuid1 + ";\n"
                "}\n");
  EXPECT_EQ(r.warnings.size(), 3u);
}

TEST(Discover, LegacyKeepsQueuesNotBoundToVfioAp) {
  auto sim = SimMount::start(test::seedHost(ir::Interface::Legacy));
  ASSERT_TRUE(sim->ok());
  auto sh = runShell(
      "D=$R/bus/ap/drivers; for q in 05.0004 06.0004; do echo $q > $D/cex4queue/unbind && "
      "echo $q > $D/vfio_ap/bind || exit 1; done; "
      "P=$R/devices/virtual/misc/vfio_ap; echo $U1 > $P/mdev_supported_types/vfio_ap-passthrough/create && "
      "echo 5 > $P/$U1/assign_adapter && echo 4 > $P/$U1/assign_domain && "
      "echo 4 > $P/$U1/assign_control_domain",
      {{"R", sim->root()}, {"U1", kUuid1}});
  ASSERT_EQ(sh.status, 0) << sh.err;
  DiscoverResult r = discover({sim->root(), "lpar"});
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_NE(r.plan.find("    interface legacy;\n"), std::string::npos) << r.plan;
  EXPECT_NE(r.plan.find("    reserve *.0047, *.00ab, *.00ff;\n"), std::string::npos)
      << r.plan;
  EXPECT_EQ(r.plan.find("reserve 05.*"), std::string::npos) << r.plan;
  EXPECT_NE(r.plan.find("guest mdev_6c4a3f0e {\n    adapters 0x05;\n    domains 0x04;\n    uuid"),
            std::string::npos)
      << r.plan;
}

// Names from libvirt's domains, start policy from mdevctl, tags from apc's
// metadata, the host name from etc/hostname; files that do not parse are
// warnings, never a guess.
TEST(Discover, IdentityFromMdevctlAndLibvirt) {
  auto sim = SimMount::start(test::seedHost());
  ASSERT_TRUE(sim->ok());
  std::string etc = test::makeTempDir("etc");
  auto sh = runShell(
      "echo -5,-6 > $R/bus/ap/apmask && "
      "C=$R/devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/create; M=$R/devices/vfio_ap/matrix; "
      "echo $U1 > $C && echo $U2 > $C && echo 5 > $M/$U1/assign_adapter && echo 4 > $M/$U1/assign_domain && "
      "echo 4 > $M/$U1/assign_control_domain && echo 6 > $M/$U2/assign_adapter && "
      "echo 0x47 > $M/$U2/assign_domain && echo 0x47 > $M/$U2/assign_control_domain && "
      "mkdir -p $E/etc/mdevctl.d/matrix $E/etc/libvirt/qemu && echo 'lpar7.example.com' > $E/etc/hostname && "
      "echo '{\"mdev_type\": \"vfio_ap-passthrough\", \"start\": \"manual\", \"attrs\": []}' "
      "  > $E/etc/mdevctl.d/matrix/$U1 && "
      "echo \"<domain type='kvm'><name>pay roll</name><metadata><x:guest xmlns:x='urn:apc:guest:1'>"
      "<x:tags>prod, web,9bad</x:tags></x:guest><other:tags xmlns:other='urn:else'>no</other:tags></metadata>"
      "<devices><hostdev mode='subsystem' type='mdev' model='vfio-ap'><source><address uuid='$U1'/>"
      "</source></hostdev></devices></domain>\" > $E/etc/libvirt/qemu/payroll.xml && "
      "echo '<domain><name>broken' > $E/etc/libvirt/qemu/broken.xml",
      {{"R", sim->root()}, {"U1", kUuid1}, {"U2", kUuid2}, {"E", etc}});
  ASSERT_EQ(sh.status, 0) << sh.err;
  DiscoverOptions o;
  o.root = sim->root();
  o.etcRoot = etc;
  DiscoverResult r = discover(o);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_NE(r.plan.find("host lpar7.example.com {"), std::string::npos) << r.plan;
  EXPECT_NE(r.plan.find("guest pay_roll {\n    adapters 0x05;\n    domains 0x04;\n    uuid " + std::string(kUuid1) +
                        ";\n    start manual;\n    tags prod, web;\n}\n"),
            std::string::npos)
      << r.plan;
  // No domain names the second mdev: the UUID-derived name stays.
  EXPECT_NE(r.plan.find("guest mdev_0b1c2d3e {"), std::string::npos) << r.plan;
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("broken.xml is not valid XML"), std::string::npos) << r.warnings[0];
  test::removeTree(etc);
}

TEST(Discover, NoApBusIsAnError) {
  std::string d = test::makeTempDir("nobus");
  DiscoverResult r = discover({d, "x"});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("no AP bus"), std::string::npos);
  test::removeTree(d);
}

}  // namespace
}  // namespace apc::kmod
