// The host-safety refusals of apply.sh and migrate.sh against `apc sim mount`
// with the matching host-state flag: zcrypt's default domain
// (--default-domain), a queue with requests in flight (--busy) and a 6.19
// queue driver_override (--driver-override). Each refusal exits 1 before the
// first write (the sim's write log stays empty; --dry-run too), names the
// domain or queue, and the override variable the admin types lets it pass.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "sim_fixture.h"

namespace apc::kmod {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::runShell;
using test::SimMount;

using test::apcBin;

// seed.ap: Guest1 = adapters 5, 6 x domains 4, 0xab; Guest2 = adapter 5 x
// domains 0x47, 0xff. The host keeps 06.0047 and 06.00ff: aqmask clears 4 and
// 0xab, apmask clears 5. Domain 0x47 is a default domain the plan leaves.
class HostSafety : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(apcBin().empty()) << "APC_BIN is not set";
    dir = test::makeTempDir("hostsafe");
    fs::create_directories(dir + "/proc");
  }
  void TearDown() override {
    if (!dir.empty()) test::removeTree(dir);
  }
  // Compiles `text` as plan.ap into out/.
  void compile(const std::string& text) {
    test::writeText(dir + "/plan.ap", text);
    auto r = runShell("\"$APC\" compile \"$P\" -o \"$O\"", {{"APC", apcBin()}, {"P", dir + "/plan.ap"}, {"O", dir + "/out"}},
                      120);
    ASSERT_EQ(r.status, 0) << r.out << r.err;
  }
  std::string seed() { return test::readText(std::string(APC_SPEC_DIR) + "/examples/seed.ap"); }
  std::unique_ptr<SimMount> mount(const std::vector<std::string>& flags) {
    auto m = SimMount::startCli(apcBin(), dir + "/plan.ap", flags);
    EXPECT_TRUE(m->ok()) << "apc sim mount failed";
    return m;
  }
  test::ShellResult run(const SimMount& m, const std::string& script, const std::map<std::string, std::string>& extra = {},
                        const std::string& args = "") {
    std::map<std::string, std::string> env = {
        {"S", script}, {"SYSFS", m.root()}, {"PROC", dir + "/proc"}, {"APC_LOCK_FILE", dir + "/lock"}, {"APC_STATE_DIR", dir + "/state"}, {"APC_MDEVCTL_DIR", dir + "/mdevctl.d"}};
    for (const auto& [k, v] : extra) env[k] = v;
    return runShell("bash \"$S\" " + args, env, 120);
  }
  // Refused, in a dry run and a real one, with nothing written.
  void expectRefused(const SimMount& m, const std::string& script, const std::map<std::string, std::string>& env,
                     const std::string& message) {
    for (const std::string args : {"--dry-run", ""}) {
      SCOPED_TRACE(script + " " + args);
      auto r = run(m, script, env, args);
      EXPECT_EQ(r.status, 1) << r.out << r.err;
      EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
      EXPECT_NE(r.err.find("nothing was changed"), std::string::npos) << r.err;
      EXPECT_EQ(m.control("writes"), std::string()) << "a refused run wrote to sysfs";
      EXPECT_EQ(r.out.find("would write"), std::string::npos) << r.out;
    }
  }
  std::string dir;
};

TEST_F(HostSafety, ApplyRefusesToTakeTheDefaultDomain) {
  compile(seed());
  auto m = mount({"--default-domain", "0xab"});
  ASSERT_TRUE(m->ok());
  ASSERT_EQ(test::readText(m->root() + "/bus/ap/ap_domain"), "171\n");
  const std::string apply = dir + "/out/apply.sh";
  const std::string msg = "refusing: the plan takes domain 171 (0xab), zcrypt's default domain";
  expectRefused(*m, apply, {}, msg);
  // Consent names the exact domain: another one does not count.
  expectRefused(*m, apply, {{"APC_TAKE_DEFAULT_DOMAIN", "0x04"}}, msg);
  auto r = run(*m, apply, {}, "");
  EXPECT_NE(r.err.find("APC_TAKE_DEFAULT_DOMAIN=0xab"), std::string::npos) << "the override is not named:\n" << r.err;
  r = run(*m, apply, {{"APC_TAKE_DEFAULT_DOMAIN", "0xab"}});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(json::parse(m->control("config"))["mdevs"].size(), 2u);
}

TEST_F(HostSafety, ApplyLeavesADefaultDomainTheHostKeepsAlone) {
  compile(seed());
  auto m = mount({"--default-domain", "0x47"});
  ASSERT_TRUE(m->ok());
  auto r = run(*m, dir + "/out/apply.sh");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(r.err.find("refusing"), std::string::npos) << r.err;
}

TEST_F(HostSafety, ApplyRefusesToTakeABusyQueue) {
  compile(seed());
  // 06.0047 is busy too, but the host keeps it: no refusal for it.
  auto m = mount({"--default-domain", "0x47", "--busy", "05.00ff=3", "--busy", "06.0047=2"});
  ASSERT_TRUE(m->ok());
  const std::string apply = dir + "/out/apply.sh";
  expectRefused(*m, apply, {}, "refusing: queue 05.00ff has requests in flight (3 in requestq_count)");
  auto r = run(*m, apply);
  EXPECT_EQ(r.err.find("06.0047"), std::string::npos) << "a queue the host keeps was named:\n" << r.err;
  EXPECT_NE(r.err.find("APC_TAKE_BUSY_QUEUES=05.00ff"), std::string::npos) << r.err;
  expectRefused(*m, apply, {{"APC_TAKE_BUSY_QUEUES", "05.0004"}}, "queue 05.00ff has requests in flight");
  r = run(*m, apply, {{"APC_TAKE_BUSY_QUEUES", "05.00ff"}});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  // The admin's choice: the sim records the flushed requests.
  EXPECT_NE(m->control("events").find("05.00ff 3 zcrypt requests in flight flushed"), std::string::npos)
      << m->control("events");
}

TEST_F(HostSafety, ApplyRefusesMaskWritesUnderADriverOverride) {
  compile(seed());
  auto m = mount({"--kernel", "6.19", "--default-domain", "0x47", "--driver-override", "06.00ff=vfio_ap"});
  ASSERT_TRUE(m->ok());
  const std::string msg =
      "refusing: queue 06.00ff has driver_override 'vfio_ap': the kernel refuses every apmask/aqmask write (EINVAL)";
  expectRefused(*m, dir + "/out/apply.sh", {}, msg);
  // No variable overrides what the kernel itself refuses.
  expectRefused(*m, dir + "/out/apply.sh", {{"APC_TAKE_BUSY_QUEUES", "1"}, {"APC_TAKE_DEFAULT_DOMAIN", "71"}}, msg);
}

TEST_F(HostSafety, LegacyApplyRefusesABusyQueueAndTheDefaultDomain) {
  std::string text = std::regex_replace(seed(), std::regex(R"(interface\s+modern\s*;)"), "interface legacy;");
  compile(text);
  auto m = mount({"--busy", "05.0047=1"});
  ASSERT_TRUE(m->ok());
  const std::string dom = test::readText(m->root() + "/bus/ap/ap_domain");
  ASSERT_EQ(dom, "4\n") << "the sim's default domain changed; adapt the probe";
  const std::string apply = dir + "/out/apply.sh";
  expectRefused(*m, apply, {}, "refusing: queue 05.0047 has requests in flight (1 in requestq_count)");
  auto r = run(*m, apply);
  // Every queue of domain 4 goes to Guest1: cex4queue keeps none of it.
  EXPECT_NE(r.err.find("the plan takes domain 4 (0x04), zcrypt's default domain"), std::string::npos) << r.err;
  r = run(*m, apply, {{"APC_TAKE_BUSY_QUEUES", "1"}, {"APC_TAKE_DEFAULT_DOMAIN", "4"}});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
}

// migrate.sh: Guest2 added to a host that runs Guest1 takes adapter 5 from
// the host (05.0047, 05.00ff), one of them busy.
TEST_F(HostSafety, MigrateRefusesToTakeABusyQueue) {
  std::string text = seed();
  const std::string g2 = "guest Guest2 {\n    adapters 0x05;\n    domains 0x47, 0xff;\n}\n";
  ASSERT_NE(text.find(g2), std::string::npos) << "the example changed; adapt the probe";
  test::writeText(dir + "/new.ap", text);
  compile(text.replace(text.find(g2), g2.size(), ""));
  auto r = runShell("\"$APC\" diff \"$L\" \"$N\" -o \"$M\"",
                    {{"APC", apcBin()}, {"L", dir + "/plan.ap.lock"}, {"N", dir + "/new.ap"}, {"M", dir + "/mig"}}, 120);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  auto m = mount({"--default-domain", "0x47", "--busy", "05.0047=2"});
  ASSERT_TRUE(m->ok());
  r = run(*m, dir + "/out/apply.sh");
  ASSERT_EQ(r.status, 0) << "apply.sh of the old plan (leaves 05.0047 to the host):\n" << r.out << r.err;
  const std::string applied = m->control("config");
  const std::string log = m->control("writes");
  const std::string migrate = dir + "/mig/migrate.sh";
  for (const std::string args : {"--dry-run", ""}) {
    SCOPED_TRACE("migrate.sh " + args);
    r = run(*m, migrate, {}, args);
    EXPECT_EQ(r.status, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("refusing: queue 05.0047 has requests in flight (2 in requestq_count)"), std::string::npos)
        << r.err;
    EXPECT_EQ(m->control("writes"), log) << "a refused migrate wrote to sysfs";
    EXPECT_EQ(m->control("config"), applied);
  }
  r = run(*m, migrate, {{"APC_TAKE_BUSY_QUEUES", "05.0047"}});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(json::parse(m->control("config"))["mdevs"].size(), 2u);
}

// migrate.sh: Guest1 added to a host that runs Guest2 takes domain 4, zcrypt's
// default domain, from the host (aqmask bit 4). Refused, dry run included,
// with nothing written; consent for another domain does not count; consent
// for domain 4 lets it pass.
TEST_F(HostSafety, MigrateRefusesToTakeTheDefaultDomain) {
  std::string text = seed();
  const std::string g1 = "guest Guest1 {\n    adapters 0x05, 0x06;\n    domains 0x04, 0xab;\n}\n";
  ASSERT_NE(text.find(g1), std::string::npos) << "the example changed; adapt the probe";
  test::writeText(dir + "/new.ap", text);
  compile(text.replace(text.find(g1), g1.size(), ""));
  auto r = runShell("\"$APC\" diff \"$L\" \"$N\" -o \"$M\"",
                    {{"APC", apcBin()}, {"L", dir + "/plan.ap.lock"}, {"N", dir + "/new.ap"}, {"M", dir + "/mig"}}, 120);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  auto m = mount({"--default-domain", "4"});
  ASSERT_TRUE(m->ok());
  r = run(*m, dir + "/out/apply.sh");
  ASSERT_EQ(r.status, 0) << "apply.sh of the old plan (leaves domain 4 to the host):\n" << r.out << r.err;
  const std::string applied = m->control("config");
  const std::string log = m->control("writes");
  const std::string migrate = dir + "/mig/migrate.sh";
  const std::string msg = "refusing: the plan takes domain 4 (0x04), zcrypt's default domain";
  for (const std::map<std::string, std::string>& env :
       {std::map<std::string, std::string>{}, std::map<std::string, std::string>{{"APC_TAKE_DEFAULT_DOMAIN", "0x47"}}}) {
    for (const std::string args : {"--dry-run", ""}) {
      SCOPED_TRACE("migrate.sh " + args + (env.empty() ? "" : " with consent for 0x47"));
      r = run(*m, migrate, env, args);
      EXPECT_EQ(r.status, 1) << r.out << r.err;
      EXPECT_NE(r.err.find(msg), std::string::npos) << r.err;
      EXPECT_NE(r.err.find("APC_TAKE_DEFAULT_DOMAIN=0x04"), std::string::npos) << "the override is not named:\n" << r.err;
      EXPECT_NE(r.err.find("nothing was changed"), std::string::npos) << r.err;
      EXPECT_EQ(m->control("writes"), log) << "a refused migrate wrote to sysfs";
      EXPECT_EQ(m->control("config"), applied);
    }
  }
  r = run(*m, migrate, {{"APC_TAKE_DEFAULT_DOMAIN", "4"}});
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(json::parse(m->control("config"))["mdevs"].size(), 2u);
}

// Legacy interface (no hot plug at all): migrate.sh changing Guest1's matrix
// while a running guest holds it is refused before its first write, with the
// missing interface as the reason, not a kernel version.
TEST_F(HostSafety, LegacyMigrateOfARunningGuestIsRefusedBeforeAnyWrite) {
  std::string text = std::regex_replace(seed(), std::regex(R"(interface\s+modern\s*;)"), "interface legacy;");
  compile(text);
  const std::string from = "guest Guest1 {\n    adapters 0x05, 0x06;\n    domains 0x04, 0xab;\n}";
  ASSERT_NE(text.find(from), std::string::npos) << "the example changed; adapt the probe";
  test::writeText(dir + "/new.ap", text.replace(text.find(from), from.size(),
                                                "guest Guest1 {\n    adapters 0x05, 0x06;\n    domains 0x04;\n}"));
  auto r = runShell("\"$APC\" diff \"$L\" \"$N\" -o \"$M\"",
                    {{"APC", apcBin()}, {"L", dir + "/plan.ap.lock"}, {"N", dir + "/new.ap"}, {"M", dir + "/mig"}}, 120);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  auto m = mount({});
  ASSERT_TRUE(m->ok());
  const std::map<std::string, std::string> consent = {{"APC_TAKE_DEFAULT_DOMAIN", "4"}};
  r = run(*m, dir + "/out/apply.sh", consent);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const json planJson = json::parse(test::readText(dir + "/out/plan.json"));
  const std::string uuid = planJson["guests"][0]["uuid"];
  const std::string group =
      fs::read_symlink(m->root() + "/bus/mdev/devices/" + uuid + "/iommu_group").filename().string();
  fs::create_directories(dir + "/proc/4242/fd");
  fs::create_symlink("/dev/vfio/" + group, dir + "/proc/4242/fd/7");
  test::writeText(dir + "/proc/4242/comm", "qemu-system-s39\n");
  test::writeText(m->root() + "/.apc-sim/hold", uuid + "\n");
  const std::string applied = m->control("config");
  const std::string log = m->control("writes");
  for (const std::string args : {"--dry-run", ""}) {
    SCOPED_TRACE("migrate.sh " + args);
    r = run(*m, dir + "/mig/migrate.sh", consent, args);
    EXPECT_EQ(r.status, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("refusing: mdev " + uuid +
                         " of guest Guest1 must change, but process 4242 (qemu-system-s39) holds it and this kernel "
                         "has no AP hot plug"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("before 6.0"), std::string::npos) << "a kernel version given as the reason:\n" << r.err;
    EXPECT_NE(r.err.find("Stop the guest first"), std::string::npos) << r.err;
    EXPECT_EQ(m->control("writes"), log) << "a refused migrate wrote to sysfs";
    EXPECT_EQ(m->control("config"), applied);
  }
  EXPECT_EQ(m->control("events"), "");
}

// apply.sh completing a plan mdev a running guest holds (here Guest1 lost
// domain 0xab by hand): 6.0+ hot-plugs it back; before 6.0 the kernel would
// answer EBUSY, so the preflight refuses, naming guest and holder, unwritten.
TEST_F(HostSafety, ApplyRefusesToChangeARunningGuestWithoutHotPlug) {
  compile(seed());
  for (const std::string gen : {"4.20", "6.0"}) {
    SCOPED_TRACE("kernel " + gen);
    auto m = mount({"--kernel", gen, "--default-domain", "0x47"});
    ASSERT_TRUE(m->ok());
    auto r = run(*m, dir + "/out/apply.sh");
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    const json planJson = json::parse(test::readText(dir + "/out/plan.json"));
    const std::string uuid = planJson["guests"][0]["uuid"];
    const std::string mdev = m->root() + "/devices/vfio_ap/matrix/" + uuid;
    r = runShell("echo 0xab > \"$D/unassign_domain\"", {{"D", mdev}});
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string group = fs::read_symlink(mdev + "/iommu_group").filename().string();
    fs::remove_all(dir + "/proc/4242");
    fs::create_directories(dir + "/proc/4242/fd");
    fs::create_symlink("/dev/vfio/" + group, dir + "/proc/4242/fd/7");
    test::writeText(dir + "/proc/4242/comm", "qemu-system-s39\n");
    test::writeText(m->root() + "/.apc-sim/hold", uuid + "\n");
    const std::string log = m->control("writes");
    r = run(*m, dir + "/out/apply.sh");
    if (gen == "6.0") {
      EXPECT_EQ(r.status, 0) << r.out << r.err;
    } else {
      EXPECT_EQ(r.status, 1) << r.out << r.err;
      EXPECT_NE(r.err.find("refusing: mdev " + uuid + " of guest Guest1 must change, but process 4242"),
                std::string::npos)
          << r.err;
      EXPECT_NE(r.err.find("Stop the guest first"), std::string::npos) << r.err;
      EXPECT_EQ(m->control("writes"), log) << "a refused apply wrote to sysfs";
    }
    EXPECT_EQ(m->control("events"), "");
  }
}

}  // namespace
}  // namespace apc::kmod
