// Scripts that converge, end to end on `apc sim mount`: the sim kills the
// script at its Nth write (`N * KILL` in .apc-sim/faults), and the same script
// run again must finish the job; with TERM the script undoes its run and
// exits non-zero. The seed is killed at every write, the flexible example at
// a deterministic sample of them (killPoints). Also the dry run (no write reaches the sim), the summary
// line, refused arguments and verify.sh's view of an extra mdev.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "e2e_fixture.h"

namespace apc::kmod {
namespace {

class ConvergeTest : public E2eTest {
 protected:
  void resetTo(const SimMount& m, const std::string& start) {
    test::writeText(m.root() + "/.apc-sim/reset", "1\n");
    ASSERT_EQ(m.control("config"), start);
  }
  void fault(const SimMount& m, const std::string& spec) { test::writeText(m.root() + "/.apc-sim/faults", spec + "\n"); }
  // The number of writes a clean run of `name` makes from the current state
  // (the sim is reset afterwards to `start`).
  std::size_t writesOf(const SimMount& m, const std::string& name) {
    auto r = script(m, name);
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    return parseWrites(m.control("writes")).size();
  }
  // The writes a campaign kills at, of a clean run's n: every one while n is
  // at most kExhaustive (the seed, both interfaces); beyond, every s-th from
  // the first, s the least odd number giving at most kSampled points (odd, so
  // paired writes such as unbind/bind or adapter/domain are both hit), and
  // always the last. Deterministic: the same points on every run.
  static constexpr std::size_t kExhaustive = 40, kSampled = 16;
  static std::vector<std::size_t> killPoints(std::size_t n) {
    std::size_t stride = 1;
    if (n > kExhaustive) {
      stride = (n + kSampled - 1) / kSampled;
      stride |= 1;
    }
    std::vector<std::size_t> points;
    for (std::size_t k = 1; k <= n; k += stride) points.push_back(k);
    if (!points.empty() && points.back() != n) points.push_back(n);
    ::testing::Test::RecordProperty("writes", std::to_string(n));
    ::testing::Test::RecordProperty("kill_points", std::to_string(points.size()));
    std::printf("campaign: %zu writes, killed at %zu of them (stride %zu)\n", n, points.size(), stride);
    std::fflush(stdout);  // before runShell forks: a child would print the buffer again
    return points;
  }
  std::string parent(const SimMount& m) {
    return m.root() + (GetParam().legacy ? "/devices/virtual/misc/vfio_ap" : "/devices/vfio_ap/matrix");
  }
};

// Tests of files only the modern interface has (bus/ap/apmask, the mdevctl
// parent `matrix`): instantiated for modern only, never skipped.
class ModernConvergeTest : public ConvergeTest {};

TEST_P(ModernConvergeTest, KillFaultStopsTheWriterBeforeItsWrite) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  fault(*m, "2 * KILL");
  fault(*m, "3 * TERM");
  EXPECT_EQ(m->control("faults"), "2 * KILL\n3 * TERM\n");
  const std::string mask = m->root() + "/bus/ap/apmask";
  auto r = runShell("echo -0 > \"$M\" && echo -1 > \"$M\"; echo survived", {{"M", mask}});
  EXPECT_EQ(r.status, 128 + 9) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  r = runShell("trap 'echo got TERM; exit 7' TERM; echo -2 > \"$M\"; echo after", {{"M", mask}});
  EXPECT_EQ(r.status, 7) << r.out << r.err;
  EXPECT_NE(r.err.find("Interrupted system call"), std::string::npos) << r.err;
  EXPECT_EQ(m->control("faults"), "");
  // Only the first write was performed: bit 0 is clear, bits 1 and 2 are not.
  EXPECT_EQ(test::readText(mask).substr(0, 4), "0x7f") << test::readText(mask);
  EXPECT_NE(m->control("writes").find("\tEINTR\tinjected"), std::string::npos) << m->control("writes");
}

TEST_P(ConvergeTest, ApplyKilledAtEveryWriteThenRerunEndsAtThePlan) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  const std::string start = m->control("config");
  const std::size_t n = writesOf(*m, "apply.sh");
  ASSERT_GT(n, 0u);
  for (std::size_t k : killPoints(n)) {
    SCOPED_TRACE("killed at write " + std::to_string(k) + " of " + std::to_string(n));
    resetTo(*m, start);
    fault(*m, std::to_string(k) + " * KILL");
    auto r = script(*m, "apply.sh");
    EXPECT_EQ(r.status, 128 + 9) << r.out << r.err;
    r = script(*m, "apply.sh");
    ASSERT_EQ(r.status, 0) << r.out << r.err << m->control("writes");
    expectPlanState(*m);
  }
  // verify.sh agrees with the model after the last of them.
  auto r = script(*m, "verify.sh");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
}

TEST_P(ConvergeTest, ApplyTerminatedAtEveryWriteUndoesItsRun) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  const std::string start = m->control("config");
  const std::size_t n = writesOf(*m, "apply.sh");
  ASSERT_GT(n, 0u);
  for (std::size_t k : killPoints(n)) {
    SCOPED_TRACE("SIGTERM at write " + std::to_string(k) + " of " + std::to_string(n));
    resetTo(*m, start);
    fault(*m, std::to_string(k) + " * TERM");
    auto r = script(*m, "apply.sh");
    EXPECT_EQ(r.status, 128 + 15) << r.out << r.err;
    EXPECT_NE(r.err.find("interrupted by SIGTERM"), std::string::npos) << r.err;
    EXPECT_EQ(m->control("config"), start) << r.err;
  }
}

TEST_P(ConvergeTest, TeardownKilledAtEveryWriteThenRerunFinishes) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  const std::string start = m->control("config");
  ASSERT_EQ(script(*m, "apply.sh").status, 0);
  const std::string applied = m->control("config");
  const std::size_t before = parseWrites(m->control("writes")).size();
  const std::size_t n = writesOf(*m, "teardown.sh") - before;
  ASSERT_GT(n, 0u);
  for (std::size_t k : killPoints(n)) {
    SCOPED_TRACE("teardown killed at write " + std::to_string(k) + " of " + std::to_string(n));
    resetTo(*m, start);
    ASSERT_EQ(script(*m, "apply.sh").status, 0);
    ASSERT_EQ(m->control("config"), applied);
    fault(*m, std::to_string(before + k) + " * KILL");
    auto r = script(*m, "teardown.sh");
    EXPECT_EQ(r.status, 128 + 9) << r.out << r.err;
    r = script(*m, "teardown.sh");
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_EQ(m->control("config"), start);
  }
}

TEST_P(ConvergeTest, DryRunWritesNothingAndListsTheWritesInOrder) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  const std::string start = m->control("config");
  auto dry = script(*m, "apply.sh", "--dry-run");
  ASSERT_EQ(dry.status, 0) << dry.out << dry.err;
  EXPECT_EQ(m->control("writes"), "") << "a dry run wrote to sysfs";
  // The real run makes exactly the writes the dry run printed, in that order.
  auto r = script(*m, "apply.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  std::string printed, made;
  std::istringstream in(dry.out);
  for (std::string line; std::getline(in, line);)
    if (line.starts_with("would write ")) printed += line.substr(12) + "\n";
  std::istringstream log(m->control("writes"));
  for (std::string line; std::getline(log, line);) {
    std::string path = line.substr(0, line.find('\t'));
    std::string data = line.substr(path.size() + 1, line.find('\t', path.size() + 1) - path.size() - 1);
    if (data.ends_with("\\n")) data.resize(data.size() - 2);
    made += data + " to " + m->root() + "/" + path + "\n";
  }
  // The sim logs canonical paths; the scripts write through bus/ap and the
  // matrix parent, which are canonical in the sim already.
  EXPECT_EQ(printed, made);
  // The summary before acting counts the writes it then made.
  const std::size_t n = parseWrites(m->control("writes")).size();
  EXPECT_NE(r.out.find(": " + std::to_string(n) + " write(s)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("to do: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("done: "), std::string::npos) << r.out;
  // On a host at the plan, the dry run has nothing to do.
  dry = script(*m, "apply.sh", "--dry-run");
  EXPECT_EQ(dry.status, 0);
  EXPECT_NE(dry.out.find("nothing to change: 0 writes"), std::string::npos) << dry.out;
  // teardown's dry run changes nothing either.
  const std::string applied = m->control("config");
  dry = script(*m, "teardown.sh", "--dry-run");
  EXPECT_EQ(dry.status, 0) << dry.out << dry.err;
  EXPECT_EQ(m->control("config"), applied);
  EXPECT_NE(dry.out.find("would write 1 to "), std::string::npos) << dry.out;
  (void)start;
}

TEST_P(ConvergeTest, UnknownArgumentsAreRefused) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  for (const char* s : {"apply.sh", "teardown.sh", "verify.sh"}) {
    auto r = script(*m, s, "--force");
    EXPECT_EQ(r.status, 2) << s << r.out << r.err;
    EXPECT_NE(r.err.find("unknown argument '--force'"), std::string::npos) << s << r.err;
  }
  EXPECT_EQ(m->control("writes"), "");
}

TEST_P(ConvergeTest, PartialMdevOfThePlanIsCompletedNotRefused) {
  // An admin began by hand: the first guest's mdev with one adapter only.
  auto m = mount();
  ASSERT_TRUE(m->ok());
  const std::string uuid = expected["guests"][0]["uuid"];
  auto r = script(*m, "apply.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::string mdev = parent(*m) + "/" + uuid;
  const unsigned ad = expected["guests"][0]["adapters"][0];
  // Take it back to "created, one adapter assigned".
  for (const auto& d : expected["guests"][0]["control_domains"])
    test::writeText(mdev + "/unassign_control_domain", std::to_string(d.get<unsigned>()) + "\n");
  for (const auto& d : expected["guests"][0]["domains"])
    test::writeText(mdev + "/unassign_domain", std::to_string(d.get<unsigned>()) + "\n");
  for (const auto& a : expected["guests"][0]["adapters"])
    if (a.get<unsigned>() != ad) test::writeText(mdev + "/unassign_adapter", std::to_string(a.get<unsigned>()) + "\n");
  EXPECT_NE(script(*m, "verify.sh").status, 0);
  r = script(*m, "apply.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  expectPlanState(*m);
}

TEST_P(ConvergeTest, VerifySeesAnExtraMdevHoldingQueues) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  ASSERT_EQ(script(*m, "apply.sh").status, 0);
  ASSERT_EQ(script(*m, "verify.sh").status, 0);
  // A foreign mdev holding a queue the host keeps (modern) or a free one.
  const std::string extra = "0f0e0d0c-0b0a-4908-8706-050403020100";
  test::writeText(parent(*m) + "/mdev_supported_types/vfio_ap-passthrough/create", extra + "\n");
  auto r = script(*m, "verify.sh");
  EXPECT_NE(r.status, 0) << "an empty extra mdev is drift too\n" << r.out;
  EXPECT_NE(r.out.find(extra), std::string::npos) << r.out;
}

TEST_P(ModernConvergeTest, VerifySeesAnMdevctlDefinitionThatDiffers) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  ASSERT_EQ(script(*m, "apply.sh").status, 0);
  const std::string uuid = expected["guests"][0]["uuid"];
  const std::string defs = dir + "/mdevctl.d";
  fs::create_directories(defs + "/matrix");
  const std::string def = test::readText(out + "/mdevctl/" + uuid + ".json");
  test::writeText(defs + "/matrix/" + uuid, def + "\n");
  auto verify = [&] {
    return runShell("bash \"$O/verify.sh\"", {{"O", out}, {"SYSFS", m->root()}, {"APC_MDEVCTL_DIR", defs}});
  };
  auto r = verify();
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  std::string changed = std::regex_replace(def, std::regex("\"auto\""), "\"manual\"");
  ASSERT_NE(changed, def);
  test::writeText(defs + "/matrix/" + uuid, changed);
  r = verify();
  EXPECT_NE(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("mdevctl definition"), std::string::npos) << r.out;
}

// A definition mdevctl would start that the plan does not have, holding a
// guest's queues, is drift; verify names the file and the queues. The plan's
// own definitions (as mdevctl stores them: matrix/<uuid>, no ".json") match.
TEST_P(ModernConvergeTest, VerifySeesAStrayMdevctlDefinition) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  ASSERT_EQ(script(*m, "apply.sh").status, 0);
  const std::string defs = dir + "/mdevctl.d";
  fs::create_directories(defs + "/matrix");
  fs::create_directories(defs + "/scripts.d/callouts");
  for (const auto& g : expected["guests"]) {
    const std::string uuid = g["uuid"];
    test::writeText(defs + "/matrix/" + uuid, test::readText(out + "/mdevctl/" + uuid + ".json"));
  }
  auto r = script(*m, "verify.sh");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  const json& g0 = expected["guests"][0];
  const unsigned a = g0["adapters"][0], d = g0["domains"][0];
  const std::string stray = defs + "/matrix/0f0e0d0c-0b0a-4908-8706-050403020100";
  test::writeText(stray, "{\n  \"mdev_type\": \"vfio_ap-passthrough\",\n  \"start\": \"auto\",\n  \"attrs\": [\n"
                         "    {\n      \"assign_adapter\": \"" + std::to_string(a) + "\"\n    },\n"
                         "    {\n      \"assign_domain\": \"" + std::to_string(d) + "\"\n    }\n  ]\n}");
  char queue[16];
  std::snprintf(queue, sizeof queue, "%02x.%04x", a, d);
  r = script(*m, "verify.sh");
  EXPECT_EQ(r.status, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("mdevctl definition " + stray + ": not in the plan, assigns " + queue + "\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(std::string("queue ") + queue + ": in the mdevctl definition " + stray +
                       ", the plan gives it to guest " + g0["name"].get<std::string>()),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.err.find("2 difference(s) from the plan"), std::string::npos) << r.err;
  fs::remove(stray);
  EXPECT_EQ(script(*m, "verify.sh").status, 0);
}

// The campaigns run every script once or twice per kill point: the seed is
// killed at every write in both interfaces; the flexible example (49 writes
// modern, 87 legacy for apply.sh) at a deterministic sample (killPoints),
// which keeps each campaign under a minute (the sim costs ~0.4 ms per op).
INSTANTIATE_TEST_SUITE_P(Examples, ConvergeTest,
                         ::testing::Values(Case{"seed.ap", false}, Case{"seed.ap", true}, Case{"flexible.ap", false},
                                           Case{"flexible.ap", true}),
                         caseName);
INSTANTIATE_TEST_SUITE_P(Examples, ModernConvergeTest,
                         ::testing::Values(Case{"seed.ap", false}, Case{"flexible.ap", false}), caseName);

}  // namespace
}  // namespace apc::kmod
