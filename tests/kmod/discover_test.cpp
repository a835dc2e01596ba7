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
                        "    reserve 05.*;\n"
                        "    reserve 06.*;\n"
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
                "    reserve 06.0004;\n"
                "    reserve 08.0004;\n"
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
  EXPECT_NE(r.plan.find("    reserve *.0047;\n    reserve *.00ab;\n    reserve *.00ff;\n"), std::string::npos)
      << r.plan;
  EXPECT_EQ(r.plan.find("reserve 05.*"), std::string::npos) << r.plan;
  EXPECT_NE(r.plan.find("guest mdev_6c4a3f0e {\n    adapters 0x05;\n    domains 0x04;\n    uuid"),
            std::string::npos)
      << r.plan;
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
