// migrate.sh's one-step moves with every guest running (issue 9): a chain
// (chain-a takes a domain chain-b gives up, chain-b one chain-c gives up)
// and a swap (swap-d and swap-e trade domains). On kernels with `ap_config`
// (6.10, 6.19) each chain guest changes in exactly one write of its whole
// matrix, the giver first; the swap costs its first guest one intermediate
// drop (2 + 1 writes); the added guest `extra` takes a queue the host gives
// up (a mask write). Killed at every write and run again, migrate.sh ends
// at the new plan (its verify.sh exits 0). On 6.0 (no ap_config, hot plug
// one ID at a time) the campaign kills at every write to a running guest's
// mdev and converges, a running guest never loses a queue it keeps, and it
// gains before it loses where the queues are free. The dry run prints
// exactly the writes the run then makes.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>

#include "kmod/model/kernel_gen.h"
#include "sim_fixture.h"

namespace apc::kmod {
namespace {

namespace fs = std::filesystem;
using test::runShell;
using test::SimMount;

std::string apcBin() {
  const char* b = std::getenv("APC_BIN");
  return b ? b : "";
}

const char* kHost = R"(host lpar {
    interface modern;
    adapter 0x05 CEX5C;
    adapter 0x06 CEX5C;
    adapter 0x07 CEX5C;
    domains 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b;
}
)";

const std::map<std::string, std::string> kUuid = {
    {"chain-a", "aaaaaaaa-0000-4000-8000-000000000001"}, {"chain-b", "bbbbbbbb-0000-4000-8000-000000000002"},
    {"chain-c", "cccccccc-0000-4000-8000-000000000003"}, {"swap-d", "dddddddd-0000-4000-8000-000000000004"},
    {"swap-e", "eeeeeeee-0000-4000-8000-000000000005"}, {"extra", "ffffffff-0000-4000-8000-000000000006"}};

std::string guest(const std::string& name, const std::string& adapter, const std::string& domains) {
  return "guest " + name + " { adapters " + adapter + "; domains " + domains + "; uuid " + kUuid.at(name) + "; }\n";
}

// Each line of the sim's write log: path, then the value written.
std::vector<std::pair<std::string, std::string>> writeLog(const SimMount& m) {
  std::vector<std::pair<std::string, std::string>> out;
  std::istringstream in(m.control("writes"));
  for (std::string line; std::getline(in, line);) {
    auto tab = line.find('\t');
    std::string rest = tab == std::string::npos ? "" : line.substr(tab + 1);
    std::string value = rest.substr(0, rest.find('\t'));
    // The log spells the written newline as "\n".
    if (value.size() >= 2 && value.compare(value.size() - 2, 2, "\\n") == 0) value.resize(value.size() - 2);
    out.emplace_back(line.substr(0, tab), value);
  }
  return out;
}

class MigrateOrder : public ::testing::TestWithParam<KernelGen> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(apcBin())) << "apc is not built: " << apcBin();
    dir = test::makeTempDir("migrate-order");
    fs::create_directories(dir + "/proc");
    test::writeText(dir + "/old.ap", std::string(kHost) + guest("chain-a", "0x05", "0x04") +
                                         guest("chain-b", "0x05", "0x05, 0x06") +
                                         guest("chain-c", "0x05", "0x07, 0x08") + guest("swap-d", "0x06", "0x09") +
                                         guest("swap-e", "0x06", "0x0a"));
    test::writeText(dir + "/new.ap", std::string(kHost) + guest("chain-a", "0x05", "0x04, 0x05") +
                                         guest("chain-b", "0x05", "0x06, 0x07") + guest("chain-c", "0x05", "0x08") +
                                         guest("swap-d", "0x06", "0x0a") + guest("swap-e", "0x06", "0x09") +
                                         guest("extra", "0x07", "0x0b"));
    auto r = runShell(
        "cd \"$D\" && \"$APC\" compile old.ap -o old && \"$APC\" diff old.ap.lock new.ap -o mig && "
        "\"$APC\" compile new.ap -o new",
        {{"APC", apcBin()}, {"D", dir}}, 120);
    ASSERT_EQ(r.status, 0) << r.out << r.err;
  }
  void TearDown() override {
    if (!dir.empty()) test::removeTree(dir);
  }
  test::ShellResult script(const SimMount& m, const std::string& rel) {
    auto env = m.consentEnv();
    env.insert({{"D", dir}, {"SYSFS", m.root()}, {"PROC", dir + "/proc"}, {"APC_LOCK_FILE", dir + "/lock"},
                {"APC_STATE_DIR", dir + "/state"}});
    return runShell("bash \"$D/" + rel + "\"", env, 120);
  }
  // The old plan applied, every guest running; the number of writes so far.
  std::size_t oldHostRunning(const SimMount& m) {
    test::writeText(m.root() + "/.apc-sim/reset", "1\n");
    auto r = script(m, "old/apply.sh");
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    for (const auto& [name, u] : kUuid)
      if (name != "extra") test::writeText(m.root() + "/.apc-sim/hold", u + "\n");
    return writeLog(m).size();
  }
  std::unique_ptr<SimMount> mount() {
    auto m = SimMount::startCli(apcBin(), dir + "/old.ap", {"--kernel", std::string(kernelGenName(GetParam()))});
    EXPECT_TRUE(m->ok());
    return m;
  }
  // The writes since `from` to guest `name`'s mdev, as "attribute value".
  std::vector<std::string> writesTo(const SimMount& m, std::size_t from, const std::string& name) {
    std::vector<std::string> out;
    auto log = writeLog(m);
    for (std::size_t i = from; i < log.size(); ++i) {
      auto at = log[i].first.find(kUuid.at(name) + "/");
      if (at != std::string::npos) out.push_back(log[i].first.substr(at + 37) + " " + log[i].second);
    }
    return out;
  }
  // The position (since `from`) of the kth write to guest `name`'s mdev.
  std::size_t position(const SimMount& m, std::size_t from, const std::string& name, std::size_t kth = 0) {
    auto log = writeLog(m);
    for (std::size_t i = from; i < log.size(); ++i)
      if (log[i].first.find(kUuid.at(name) + "/") != std::string::npos && kth-- == 0) return i - from;
    ADD_FAILURE() << "no write " << kth << " to " << name;
    return 0;
  }

  std::string dir;
};

// Kernels with ap_config only: instantiated for 6.19 and 6.10, never skipped.
class MigrateOrderApConfig : public MigrateOrder {};

TEST_P(MigrateOrderApConfig, ChainIsOneWritePerGuestAndSwapTwoPlusOne) {
  ASSERT_TRUE(hasApConfig(GetParam()));
  auto m = mount();
  ASSERT_TRUE(m->ok());
  const std::size_t before = oldHostRunning(*m);
  auto r = script(*m, "mig/migrate.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  for (const char* g : {"chain-a", "chain-b", "chain-c", "swap-e"}) {
    auto w = writesTo(*m, before, g);
    ASSERT_EQ(w.size(), 1u) << g << ": " << ::testing::PrintToString(w);
    EXPECT_EQ(w[0].rfind("ap_config ", 0), 0u) << w[0];
  }
  auto d = writesTo(*m, before, "swap-d");
  ASSERT_EQ(d.size(), 2u) << ::testing::PrintToString(d);
  for (const auto& w : d) EXPECT_EQ(w.rfind("ap_config ", 0), 0u) << w;
  // swap-d first keeps only adapter 6 (it gives up domain 9 and keeps nothing
  // else of its usage domains), then takes domain 0x0a.
  EXPECT_NE(d[0].find(",0x0000000000"), std::string::npos) << d[0];
  // The givers first: chain-c, then chain-b, then chain-a; swap-d drops,
  // swap-e moves, swap-d moves.
  EXPECT_LT(position(*m, before, "chain-c"), position(*m, before, "chain-b"));
  EXPECT_LT(position(*m, before, "chain-b"), position(*m, before, "chain-a"));
  EXPECT_LT(position(*m, before, "swap-d", 0), position(*m, before, "swap-e"));
  EXPECT_LT(position(*m, before, "swap-e"), position(*m, before, "swap-d", 1));
  EXPECT_NE(test::readText(dir + "/mig/migrate.sh").find("# cycle swap-d, swap-e: "), std::string::npos);
  r = script(*m, "new/verify.sh");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(m->control("events"), "") << "a running guest lost its device";
}

// 6.0: hot plug, no ap_config. A moving guest first gains the domains whose
// extra queues are free, then loses what it gives up: chain-b takes domain 7
// before it lets 5 go, swap-e takes 9 before it lets 0x0a go.
class MigrateOrderHotPlug : public MigrateOrder {};

TEST_P(MigrateOrderHotPlug, AGuestGainsBeforeItLoses) {
  ASSERT_FALSE(hasApConfig(GetParam()));
  auto m = mount();
  ASSERT_TRUE(m->ok());
  const std::size_t before = oldHostRunning(*m);
  auto r = script(*m, "mig/migrate.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  auto b = writesTo(*m, before, "chain-b");
  EXPECT_EQ(b, (std::vector<std::string>{"assign_control_domain 0x7", "assign_domain 0x7", "unassign_domain 0x5",
                                         "unassign_control_domain 0x5"}));
  auto e = writesTo(*m, before, "swap-e");
  EXPECT_EQ(e, (std::vector<std::string>{"assign_control_domain 0x9", "assign_domain 0x9", "unassign_domain 0xa",
                                         "unassign_control_domain 0xa"}));
  r = script(*m, "new/verify.sh");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(m->control("events"), "");
}

// --dry-run writes nothing and prints, in order, exactly the writes the real
// run then makes (the per-guest mask releases and the moves are tracked
// through the pass, not read again from the unchanged host).
TEST_P(MigrateOrder, DryRunListsExactlyTheWritesTheRunMakes) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  const std::size_t before = oldHostRunning(*m);
  auto env = m->consentEnv();
  env.insert({{"D", dir}, {"SYSFS", m->root()}, {"PROC", dir + "/proc"}, {"APC_LOCK_FILE", dir + "/lock"},
              {"APC_STATE_DIR", dir + "/state"}});
  auto r = runShell("bash \"$D/mig/migrate.sh\" --dry-run", env, 120);
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  ASSERT_EQ(writeLog(*m).size(), before) << "the dry run wrote";
  std::vector<std::string> dry, real;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("would write ", 0) != 0) continue;
    auto to = line.find(" to " + m->root());
    ASSERT_NE(to, std::string::npos) << line;
    dry.push_back(line.substr(to + 4 + m->root().size()) + " " + line.substr(12, to - 12));
  }
  r = script(*m, "mig/migrate.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  auto log = writeLog(*m);
  for (std::size_t i = before; i < log.size(); ++i) {
    std::string path = log[i].first;
    if (path.rfind(m->root(), 0) == 0) path = path.substr(m->root().size());
    if (path.empty() || path[0] != '/') path = "/" + path;
    real.push_back(path + " " + log[i].second);
  }
  EXPECT_EQ(dry, real);
  EXPECT_GT(real.size(), 5u);
}

TEST_P(MigrateOrder, KilledAtEveryWriteThenRerunEndsAtTheNewPlan) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  std::size_t before = oldHostRunning(*m);
  auto r = script(*m, "mig/migrate.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::size_t n = writeLog(*m).size() - before;
  ASSERT_GT(n, 5u);
  r = script(*m, "new/verify.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::string done = m->control("config");
  // With ap_config every write; on 6.0 (one write per ID) the writes to the
  // running guests' mdevs (CI time: the added guest and the masks are the
  // same code as with ap_config).
  const auto clean = writeLog(*m);
  for (std::size_t k = 1; k <= n; ++k) {
    if (!hasApConfig(GetParam()) && (clean[before + k - 1].first.find(kUuid.at("extra")) != std::string::npos ||
                                     clean[before + k - 1].first.find("/matrix/") == std::string::npos ||
                                     clean[before + k - 1].first.find("/create") != std::string::npos))
      continue;
    SCOPED_TRACE("migrate.sh killed at write " + std::to_string(k) + " of " + std::to_string(n));
    before = oldHostRunning(*m);
    test::writeText(m->root() + "/.apc-sim/faults", std::to_string(before + k) + " * KILL\n");
    r = script(*m, "mig/migrate.sh");
    EXPECT_EQ(r.status, 128 + 9) << r.out << r.err;
    r = script(*m, "mig/migrate.sh");
    ASSERT_EQ(r.status, 0) << r.out << r.err << m->control("writes");
    EXPECT_EQ(m->control("config"), done);
    // verify.sh at every kill point where the campaign is short (ap_config:
    // few writes), at every fourth on 6.0 (one write per ID; CI time).
    if (hasApConfig(GetParam()) || k % 4 == 0) {
      r = script(*m, "new/verify.sh");
      EXPECT_EQ(r.status, 0) << r.out << r.err;
    }
    EXPECT_EQ(m->control("events"), "") << "a running guest lost its device";
    // Without ap_config a running guest's mdev changes one ID at a time:
    // never by unassigning an ID it keeps.
    for (const auto& [name, u] : kUuid)
      for (const auto& w : writesTo(*m, before, name)) {
        if (w.rfind("unassign_domain ", 0) != 0) continue;
        const bool kept = (name == "chain-a" && w == "unassign_domain 0x4") ||
                          (name == "chain-b" && w == "unassign_domain 0x6") ||
                          (name == "chain-c" && w == "unassign_domain 0x8");
        EXPECT_FALSE(kept) << name << " lost a domain it keeps: " << w;
      }
  }
}

std::string kernelName(const ::testing::TestParamInfo<KernelGen>& i) {
  std::string n = "v" + std::string(kernelGenName(i.param));
  for (char& c : n)
    if (c == '.') c = '_';
  return n;
}

// 6.19 and 6.10 (ap_config) and 6.0 (hot plug, one ID per write).
INSTANTIATE_TEST_SUITE_P(Kernels, MigrateOrder, ::testing::Values(KernelGen::K6_19, KernelGen::K6_10, KernelGen::K6_0),
                         kernelName);
INSTANTIATE_TEST_SUITE_P(Kernels, MigrateOrderHotPlug, ::testing::Values(KernelGen::K6_0), kernelName);
INSTANTIATE_TEST_SUITE_P(Kernels, MigrateOrderApConfig, ::testing::Values(KernelGen::K6_19, KernelGen::K6_10),
                         kernelName);

}  // namespace
}  // namespace apc::kmod
