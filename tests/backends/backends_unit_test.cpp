// Unit tests of the backends on hand-built solved plans: quoting, mask texts
// (against an independent bit-by-bit computation), each artifact's shape.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "backends/common.h"
#include "backends/emitters.h"
#include "backends/script_support.h"
#include "compiler/ir/internal_error.h"
#include "kmod/config/kmod_config.h"
#include "tests/backends/fixtures.h"

namespace apc::backends {
namespace {

using test::seedSolved;

const Artifact& find(const std::vector<Artifact>& all, const std::string& path) {
  for (const Artifact& a : all)
    if (a.path == path) return a;
  throw std::runtime_error("no artifact " + path);
}

// The mask as a string of '0'/'1', ID 0 first, then 4 bits per hex digit.
std::string bitByBitMask(const std::vector<unsigned>& ids, unsigned width) {
  std::string bits(width, '0');
  for (unsigned id : ids) bits.at(id) = '1';
  std::string hex = "0x";
  for (unsigned i = 0; i < width; i += 4) {
    int v = (bits[i] - '0') * 8 + (bits[i + 1] - '0') * 4 + (bits[i + 2] - '0') * 2 + (bits[i + 3] - '0');
    hex += "0123456789abcdef"[v];
  }
  return hex;
}

TEST(BackendsShellQuote, BareWhenSafeQuotedOtherwise) {
  EXPECT_EQ(sh::quote("05.0004"), "05.0004");
  EXPECT_EQ(sh::quote("0x5"), "0x5");
  EXPECT_EQ(sh::quote(""), "''");
  EXPECT_EQ(sh::quote("a b"), "'a b'");
  EXPECT_EQ(sh::quote("$(x)"), "$'\\x24(x)'");
  EXPECT_EQ(sh::quote("it's"), "$'it\\x27s'");
  EXPECT_EQ(sh::quote(";rm -rf x"), "';rm -rf x'");
  EXPECT_EQ(sh::quote("a\nb"), "'a\nb'");
  EXPECT_THROW(sh::quote(std::string("a\0b", 3)), ir::InternalError);
}

TEST(BackendsShellQuote, RoundTripsThroughBash) {
  for (std::string s : {"plain", "two words", "$(touch x)", "`id`", "it's \"q\"", "a\nb\tc", "\\", "*", "-n"}) {
    std::string out;
    ASSERT_EQ(test::run("printf '%s' " + sh::quote(s), &out), 0) << s;
    EXPECT_EQ(out, s);
  }
}

TEST(BackendsShellComment, NoByteCanEndTheComment) {
  EXPECT_EQ(sh::commentText("ok name"), "ok name");
  EXPECT_EQ(sh::commentText("a\nrm -rf x"), "a?rm -rf x");
  EXPECT_EQ(sh::commentText("a\rb\x01\xc3\xa4"), "a?b???");
}

TEST(BackendsRelativeMaskList, RangesAndSigns) {
  EXPECT_EQ(sh::relativeMaskList(ir::makeIdSet({5, 6}), '-'), "-5,-6");
  EXPECT_EQ(sh::relativeMaskList(ir::makeIdSet({0, 1, 2, 3, 9}), '+'), "+0-3,+9");
  EXPECT_EQ(sh::relativeMaskList(ir::IdSet{}, '+'), "");
  ir::IdSet all;
  all.set();
  EXPECT_EQ(sh::relativeMaskList(all, '-'), "-0-255");
}

TEST(BackendsCrycbMasks, MatchBitByBitForRandomSetsInEveryFormat) {
  std::mt19937 rng(42);
  for (unsigned format : {0u, 1u, 2u}) {
    CrycbWidths w = crycbWidths(format);
    for (int round = 0; round < 200; ++round) {
      std::vector<unsigned> ap{0, w.apm - 1}, aq{0, w.aqm - 1}, ad{w.adm - 1};
      for (int k = 0; k < round % 9; ++k) {
        ap.push_back(rng() % w.apm);
        aq.push_back(rng() % w.aqm);
        ad.push_back(rng() % w.adm);
      }
      ir::GuestAllocation a{ir::makeIdSet(ap), ir::makeIdSet(aq), ir::makeIdSet(ad), "u"};
      CrycbMasks m = crycbMasks(a, format);
      EXPECT_EQ(m.apm, bitByBitMask(ap, w.apm));
      EXPECT_EQ(m.aqm, bitByBitMask(aq, w.aqm));
      std::vector<unsigned> adm = ad;
      adm.insert(adm.end(), aq.begin(), aq.end());  // usage domains are control domains too
      EXPECT_EQ(m.adm, bitByBitMask(adm, w.adm));
    }
  }
  EXPECT_EQ(crycbWidths(0).apm, 64u);
  EXPECT_EQ(crycbWidths(1).aqm, 16u);
  EXPECT_EQ(crycbWidths(2).adm, 256u);
}

TEST(BackendsCrycb, SeedGuest1HasApmBits5And6) {
  auto all = emitCrycb(seedSolved());
  const std::string& text = find(all, "crycb.txt").bytes;
  auto at = text.find("guest Guest1");
  ASSERT_NE(at, std::string::npos);
  auto apm = text.find("APM 0x", at);
  std::string mask = text.substr(apm + 4, 66);
  auto bits = ir::parseMask(mask);
  ASSERT_TRUE(bits);
  EXPECT_EQ(ir::toVector(*bits), (std::vector<unsigned>{5, 6}));
  EXPECT_EQ(mask, "0x06" + std::string(62, '0'));
  EXPECT_NE(text.find("    06.00ab\n", at), std::string::npos);
}

TEST(BackendsCrycb, NarrowFormatsPrintNarrowMasks) {
  auto s = seedSolved();
  s.plan.host.crycbFormat = 1;
  s.alloc = {{ir::makeIdSet({0, 63}), ir::makeIdSet({0, 15}), ir::makeIdSet({15}), "u1"}};
  s.plan.guests.resize(1);
  const std::string text = emitCrycb(s)[0].bytes;
  EXPECT_NE(text.find("  APM 0x8000000000000001\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  AQM 0x8001\n"), std::string::npos);
  EXPECT_NE(text.find("  ADM 0x8001\n"), std::string::npos);
}

TEST(BackendsJson, SeedReport) {
  auto j = nlohmann::json::parse(emitJson(seedSolved())[0].bytes);
  EXPECT_EQ(j["apc"]["plan"], "seed.ap");
  EXPECT_EQ(j["host"]["interface"], "modern");
  EXPECT_EQ(j["host"]["apmask"], "0xf9" + std::string(62, 'f'));
  EXPECT_EQ(j["guests"][0]["adapters"], nlohmann::json({5, 6}));
  EXPECT_EQ(j["guests"][0]["queues"], nlohmann::json({"05.0004", "05.00ab", "06.0004", "06.00ab"}));
  EXPECT_EQ(j["guests"][0]["crycb"]["aqm"], "0x08" + std::string(40, '0') + "1" + std::string(21, '0'));
  EXPECT_EQ(j["guests"][1]["control_domains"], nlohmann::json({0x47, 0xff}));
  EXPECT_EQ(j["free"], nlohmann::json({"06.0047", "06.00ff"}));
  EXPECT_EQ(j["reserved"], nlohmann::json::array());
}

TEST(BackendsJson, KeyOrderIsStable) {
  std::string text = emitJson(seedSolved())[0].bytes;
  EXPECT_LT(text.find("\"apc\""), text.find("\"host\""));
  EXPECT_LT(text.find("\"host\""), text.find("\"guests\""));
  EXPECT_LT(text.find("\"guests\""), text.find("\"reserved\""));
  EXPECT_EQ(text, emitJson(seedSolved())[0].bytes);
}

TEST(BackendsMdevctl, FileIsMdevctlsOwnFormat) {
  auto all = emitMdevctl(seedSolved());
  const std::string& f = find(all, "mdevctl/3d1c9e8f-2b4a-5c6d-8e7f-0a1b2c3d4e5f.json").bytes;
  EXPECT_EQ(f,
            "{\n  \"mdev_type\": \"vfio_ap-passthrough\",\n  \"start\": \"auto\",\n  \"attrs\": [\n"
            "    {\n      \"assign_adapter\": \"0x5\"\n    },\n"
            "    {\n      \"assign_domain\": \"0x47\"\n    },\n"
            "    {\n      \"assign_domain\": \"0xff\"\n    },\n"
            "    {\n      \"assign_control_domain\": \"0x47\"\n    },\n"
            "    {\n      \"assign_control_domain\": \"0xff\"\n    }\n  ]\n}");
  EXPECT_TRUE(find(all, "mdevctl/define.sh").executable);
}

TEST(BackendsMdevctl, ManualStartAndExtraControlDomains) {
  auto s = seedSolved();
  s.plan.guests[1].start = ir::StartPolicy::Manual;
  s.alloc[1].controlDomains.set(0x10);
  const std::string& f = find(emitMdevctl(s), "mdevctl/3d1c9e8f-2b4a-5c6d-8e7f-0a1b2c3d4e5f.json").bytes;
  EXPECT_NE(f.find("\"start\": \"manual\""), std::string::npos);
  // control domains ascending: 0x10 before 0x47
  EXPECT_LT(f.find("\"assign_control_domain\": \"0x10\""), f.find("\"assign_control_domain\": \"0x47\""));
  EXPECT_LT(f.rfind("\"assign_domain\""), f.find("\"assign_control_domain\""));
}

TEST(BackendsLibvirt, HostdevAndNodedev) {
  auto all = emitLibvirt(seedSolved());
  EXPECT_EQ(find(all, "libvirt/Guest2.hostdev.xml").bytes,
            "<hostdev mode='subsystem' type='mdev' managed='no' model='vfio-ap'>\n  <source>\n"
            "    <address uuid='3d1c9e8f-2b4a-5c6d-8e7f-0a1b2c3d4e5f'/>\n  </source>\n</hostdev>\n");
  const std::string& nd = find(all, "libvirt/Guest2.nodedev.xml").bytes;
  EXPECT_NE(nd.find("<parent>ap_matrix</parent>"), std::string::npos);
  EXPECT_NE(nd.find("<type id='vfio_ap-passthrough'/>"), std::string::npos);
  EXPECT_NE(nd.find("<attr name='assign_adapter' value='0x5'/>\n    <attr name='assign_domain' value='0x47'/>"),
            std::string::npos);
  // libvirt 9.0's schema has no <start>: autostart is a virsh step in the README.
  EXPECT_EQ(nd.find("<start"), std::string::npos);
}

TEST(BackendsLibvirt, ReadmeAutostartsOnlyStartAutoGuests) {
  auto s = seedSolved();
  s.plan.guests[0].start = ir::StartPolicy::Manual;
  s.plan.guests[1].start = ir::StartPolicy::Auto;
  const std::string& r = find(emitLibvirt(s), "libvirt/README.md").bytes;
  EXPECT_NE(r.find("## Guest2 (start auto)\n\n    virsh nodedev-define Guest2.nodedev.xml\n"
                   "    name=$(virsh nodedev-list --cap mdev --all | grep -m1 '^mdev_3d1c9e8f_2b4a_5c6d_8e7f_0a1b2c3d4e5f')\n"
                   "    virsh nodedev-autostart \"$name\"\n    virsh nodedev-start \"$name\"\n"),
            std::string::npos)
      << r;
  EXPECT_NE(r.find("## Guest1 (start manual)\n\n    virsh nodedev-define Guest1.nodedev.xml\n"
                   "    name=$(virsh nodedev-list --cap mdev --all | grep -m1 '^mdev_0f5b2c1a_7e4d_5a3b_9c2d_1e0f4a5b6c7d')\n"
                   "    virsh nodedev-start \"$name\"\n\n"),
            std::string::npos)
      << r;
  EXPECT_EQ(r.rfind("    virsh nodedev-autostart"), r.find("    virsh nodedev-autostart")) << "only Guest2 autostarts";
  s.plan.guests.clear();
  s.alloc.clear();
  EXPECT_TRUE(emitLibvirt(s).empty());
}

TEST(BackendsQemu, DeviceAndCpuFeatures) {
  auto all = emitQemu(seedSolved());
  EXPECT_EQ(find(all, "qemu/Guest1.args").bytes,
            "-cpu host,ap=on,apqci=on,apft=on,apqi=on\n"
            "-device vfio-ap,sysfsdev=/sys/bus/mdev/devices/0f5b2c1a-7e4d-5a3b-9c2d-1e0f4a5b6c7d\n");
}

TEST(BackendsKmod, UdevRuleIsChzdevsText) {
  ir::IdSet ap, aq;
  ap.set();
  aq.set();
  ap.reset(5);
  std::string rules = kmod::udevRules(ap, aq);
  EXPECT_EQ(rules,
            "# Generated by chzdev\n"
            // s390-tools 2.40+ (commit 6532bf02): the coldplug replay trigger.
            "ACTION==\"add\", DEVPATH==\"/bus/ap\", ATTR{bindings_complete_count}!=\"0\", GOTO=\"cfg_ap\"\n"
            "ACTION==\"change\", SUBSYSTEM==\"ap\", DEVPATH==\"/devices/ap\", ENV{BINDINGS}==\"complete\", "
            "ENV{COMPLETECOUNT}==\"1\", GOTO=\"cfg_ap\"\n"
            "GOTO=\"end_ap\"\n\nLABEL=\"cfg_ap\"\n\n"
            "ATTR{../../bus/ap/apmask}=\"0xfb" + std::string(62, 'f') + "\"\n"
            "ATTR{../../bus/ap/aqmask}=\"0x" + std::string(64, 'f') + "\"\n"
            "RUN{builtin}+=\"kmod load vfio_ap\"\n\nLABEL=\"end_ap\"\n");
  EXPECT_EQ(kmod::kernelCmdline(ap, aq), "ap.apmask=0xfb" + std::string(62, 'f') + " ap.aqmask=0x" +
                                             std::string(64, 'f') + "\n");
}

TEST(BackendsKmod, ReadmeNamesTheDebianPitfallAndLegacyHasNoMasks) {
  auto modern = emitKmod(seedSolved());
  const std::string& readme = find(modern, "kmod/README.md").bytes;
  EXPECT_NE(readme.find("/usr/sbin/mdevctl"), std::string::npos);
  EXPECT_NE(readme.find("ln -s /usr/bin/mdevctl /usr/sbin/mdevctl"), std::string::npos);
  EXPECT_EQ(modern.size(), 5u);
  auto legacy = emitKmod(seedSolved(ir::Interface::Legacy));
  for (const Artifact& a : legacy) EXPECT_NE(a.path, "kmod/udev/41-ap.rules");
  EXPECT_EQ(legacy.size(), 3u);
}

TEST(BackendsRegistry, EmitNamesInOrderAndUniquePaths) {
  std::vector<std::string> names;
  for (const Backend& b : registry()) names.push_back(std::string(b.name));
  EXPECT_EQ(names, (std::vector<std::string>{"json", "crycb", "scripts", "mdevctl", "libvirt", "qemu", "kmod"}));
  auto all = test::emitAll(seedSolved());
  std::set<std::string> paths;
  for (const Artifact& a : all) EXPECT_TRUE(paths.insert(a.path).second) << a.path;
}

TEST(BackendsRegistry, Deterministic) {
  auto a = test::emitAll(seedSolved(ir::Interface::Legacy));
  auto b = test::emitAll(seedSolved(ir::Interface::Legacy));
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].bytes, b[i].bytes) << a[i].path;
}

TEST(BackendsShow, LszcryptTableAndMatrix) {
  auto s = seedSolved();
  s.plan.host.reservedQueues.insert(6, 0x47);
  std::string text = renderShow(s);
  EXPECT_NE(text.find("CARD.DOMAIN TYPE  MODE\n05          CEX5C CCA-Coproc\n05.0004     CEX5C CCA-Coproc\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("06.00ab     CEX5A Accelerator\n"), std::string::npos);
  EXPECT_NE(text.find("legend: A=Guest1 B=Guest2\n"), std::string::npos);
  EXPECT_NE(text.find("   04 47 ab ff\n05 A  B  A  B\n06 A  R  A  .\n"), std::string::npos) << text;
}

TEST(BackendsShow, HostKeptAndOffline) {
  auto s = seedSolved();
  s.plan.host.adapters.push_back({7, {7, ir::CardMode::Ep11}, {}});
  s.plan.host.offlineQueues.insert(7, 0xff);
  std::string text = renderShow(s);
  EXPECT_NE(text.find("07 h  h  h  x\n"), std::string::npos) << text;
}

TEST(BackendsScripts, LegacySeedFollowsTheDesignDocument) {
  const std::string apply = emitScripts(seedSolved(ir::Interface::Legacy))[0].bytes;
  // Guest1: its four queues go cex4queue -> vfio_ap, then create, then the
  // assigns it lacks (apc_complete: adapters, domains, control domains; the
  // order of the writes themselves is checked by the dry run end to end).
  std::vector<std::string> steps = {
      "apc_bind_vfio 05.0004\n", "apc_bind_vfio 05.00ab\n", "apc_bind_vfio 06.0004\n", "apc_bind_vfio 06.00ab\n",
      "apc_mdev_create 0f5b2c1a-7e4d-5a3b-9c2d-1e0f4a5b6c7d\n", "apc_complete 0f5b2c1a-7e4d-5a3b-9c2d-1e0f4a5b6c7d\n",
      "apc_bind_vfio 05.0047\n", "apc_bind_vfio 05.00ff\n",
      "apc_mdev_create 3d1c9e8f-2b4a-5c6d-8e7f-0a1b2c3d4e5f\n", "apc_complete 3d1c9e8f-2b4a-5c6d-8e7f-0a1b2c3d4e5f\n"};
  EXPECT_NE(apply.find("declare -A APC_WANT_A=(\n  [0f5b2c1a-7e4d-5a3b-9c2d-1e0f4a5b6c7d]='5 6'\n"), std::string::npos);
  EXPECT_NE(apply.find("declare -A APC_WANT_D=(\n  [0f5b2c1a-7e4d-5a3b-9c2d-1e0f4a5b6c7d]='4 171'\n"), std::string::npos);
  EXPECT_NE(apply.find("declare -A APC_WANT_C=(\n  [0f5b2c1a-7e4d-5a3b-9c2d-1e0f4a5b6c7d]='4 171'\n"), std::string::npos);
  std::size_t at = apply.find("\napc_preconditions\n");
  ASSERT_NE(at, std::string::npos);
  for (const std::string& step : steps) {
    std::size_t next = apply.find(step, at);
    ASSERT_NE(next, std::string::npos) << "missing or out of order: " << step;
    at = next;
  }
  EXPECT_NE(apply.find("APC_PARENT=$SYSFS/devices/virtual/misc/vfio_ap\n"), std::string::npos);
  EXPECT_NE(apply.find("\"$SYSFS/bus/ap/drivers/cex4queue/unbind\" \"$1\""), std::string::npos);
  EXPECT_NE(apply.find("\"$SYSFS/bus/ap/drivers/vfio_ap/bind\" \"$1\""), std::string::npos);
  EXPECT_EQ(apply.find("apmask"), std::string::npos);  // the 2018 design has no masks
}

TEST(BackendsScripts, ModernWritesFullOrRelativeMasksOnly) {
  const std::string apply = emitScripts(seedSolved())[0].bytes;
  EXPECT_NE(apply.find("APC_APMASK=0xf9" + std::string(62, 'f') + "\n"), std::string::npos);
  EXPECT_NE(apply.find("apc_set_masks -5,-6 \"$APC_AQMASK\"\n"), std::string::npos);
  EXPECT_NE(apply.find("APC_PARENT=$SYSFS/devices/vfio_ap/matrix\n"), std::string::npos);
  const std::string teardown = emitScripts(seedSolved())[1].bytes;
  // Teardown considers only the bits the planned masks clear (and gives back
  // those of them apply.sh recorded): apmask 5 and 6, no aqmask bit.
  EXPECT_NE(teardown.find("APC_CLEAR_AP=(5 6)\nAPC_CLEAR_AQ=()\n"), std::string::npos) << teardown;
  // apmask first, told which aqmask bits come back, then aqmask, told which
  // apmask bits did (the guard's view of the other mask).
  EXPECT_NE(teardown.find("apc_give_back apmask aqmask \"$aq_back\" \"${APC_CLEAR_AP[@]}\"\n"), std::string::npos);
  EXPECT_NE(teardown.find("apc_give_back aqmask apmask \"$APC_GIVEN\" \"${APC_CLEAR_AQ[@]}\"\n"), std::string::npos);
  EXPECT_NE(apply.find("APC_CLEAR_AP=(5 6)\nAPC_CLEAR_AQ=()\n"), std::string::npos);
}

}  // namespace
}  // namespace apc::backends

namespace apc::backends {
namespace {

TEST(BackendsQueueViews, SameAsTheIrDefinitions) {
  for (ir::Interface i : {ir::Interface::Modern, ir::Interface::Legacy}) {
    auto s = test::seedSolved(i);
    s.plan.host.adapters.push_back({7, {7, ir::CardMode::Ep11}, {}});
    s.plan.host.offlineQueues.insert(7, 0xff);
    s.plan.host.reservedQueues.insert(7, 0x47);
    s.plan.host.reservedQueues.insert(6, 0x04);  // reserved and guest-held: neither free nor kept
    QueueViews v = queueViews(s);
    EXPECT_EQ(v.guests, s.allGuestQueues());
    EXPECT_EQ(v.hostKept, s.hostKeptQueues());
    // Free as the matrix's '.': guest-usable and unheld (the ir's
    // freeQueues), and not kept by the host either.
    ir::QueueSet free;
    for (const ir::Queue& q : s.freeQueues().toVector())
      if (!v.hostKept.contains(q.adapter, q.domain)) free.insert(q.adapter, q.domain);
    EXPECT_EQ(v.free, free);
    if (i == ir::Interface::Legacy) {
      EXPECT_EQ(v.free.size(), 0u);  // every unheld queue stays with cex4queue
    }
  }
}

}  // namespace
}  // namespace apc::backends
