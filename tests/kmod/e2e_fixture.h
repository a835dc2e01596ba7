// The fixture of the end-to-end runs: an example plan (as written, or with
// `interface legacy;`) compiled by `apc compile`, its host mounted with `apc
// sim mount`, and the emitted scripts run against it.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "sim_fixture.h"

namespace apc::kmod {

namespace fs = std::filesystem;
using nlohmann::json;
using test::runShell;
using test::SimMount;

using test::apcBin;

struct Case {
  std::string plan;  // file name in APC_SPEC_DIR/examples
  bool legacy;
};

inline std::string caseName(const ::testing::TestParamInfo<Case>& i) {
  std::string n = i.param.plan.substr(0, i.param.plan.find('.'));
  return n + (i.param.legacy ? "_legacy" : "_modern");
}

// The example with `interface legacy;` when asked (replacing or adding the line).
inline std::string planText(const Case& c) {
  std::string text = test::readText(std::string(APC_SPEC_DIR) + "/examples/" + c.plan);
  if (!c.legacy) return text;
  std::regex iface(R"(interface\s+modern\s*;)");
  if (std::regex_search(text, iface)) return std::regex_replace(text, iface, "interface legacy;");
  std::regex host(R"((host\s+[A-Za-z0-9_.-]+\s*\{))");
  return std::regex_replace(text, host, "$1\n    interface legacy;", std::regex_constants::format_first_only);
}

struct WriteEntry {
  std::string path;
  std::uint64_t nth;  // this write is the nth to its path
};

inline std::vector<WriteEntry> parseWrites(const std::string& log) {
  std::vector<WriteEntry> out;
  std::map<std::string, std::uint64_t> counts;
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    std::string path = line.substr(0, line.find('\t'));
    out.push_back({path, ++counts[path]});
  }
  return out;
}

class E2eTest : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    ASSERT_FALSE(apcBin().empty()) << "APC_BIN is not set";
    ASSERT_TRUE(fs::exists(apcBin())) << "apc is not built: " << apcBin();
    dir = test::makeTempDir("e2e");
    plan = dir + "/plan.ap";
    out = dir + "/out";
    proc = dir + "/proc";
    fs::create_directories(proc);
    test::writeText(plan, planText(GetParam()));
    auto r = runShell("\"$APC\" compile \"$P\" -o \"$O\"", {{"APC", apcBin()}, {"P", plan}, {"O", out}}, 120);
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    expected = json::parse(test::readText(out + "/plan.json"));
  }
  void TearDown() override { test::removeTree(dir); }

  std::unique_ptr<SimMount> mount(const std::vector<std::string>& args = {}) {
    auto m = SimMount::startCli(apcBin(), plan, args);
    EXPECT_TRUE(m->ok()) << "apc sim mount failed";
    return m;
  }
  test::ShellResult script(const SimMount& m, const std::string& name, const std::string& args = "") {
    auto env = m.consentEnv();
    env.insert({{"O", out}, {"SYSFS", m.root()}, {"PROC", proc}, {"APC_LOCK_FILE", dir + "/lock"}, {"APC_STATE_DIR", dir + "/state"},
                {"APC_MDEVCTL_DIR", dir + "/mdevctl.d"}});
    return runShell("bash \"$O/" + name + "\" " + args, env, 120);
  }
  // The model's configuration must be exactly what plan.json says.
  void expectPlanState(const SimMount& m) {
    json cfg = json::parse(m.control("config"));
    const auto& guests = expected["guests"];
    ASSERT_EQ(cfg["mdevs"].size(), guests.size()) << cfg.dump();
    std::map<std::string, json> byUuid;
    for (const auto& md : cfg["mdevs"]) byUuid[md["uuid"]] = md;
    std::set<std::string> guestQueues;
    for (const auto& g : guests) {
      ASSERT_TRUE(byUuid.count(g["uuid"])) << "no mdev for guest " << g["name"];
      const json& md = byUuid[g["uuid"]];
      EXPECT_EQ(md["adapters"], g["adapters"]) << g["name"];
      EXPECT_EQ(md["domains"], g["domains"]) << g["name"];
      EXPECT_EQ(md["control_domains"], g["control_domains"]) << g["name"];
      for (const auto& q : g["queues"]) guestQueues.insert(q.get<std::string>());
    }
    if (GetParam().legacy) {
      for (const auto& [q, drv] : cfg["queues"].items())
        EXPECT_EQ(drv, guestQueues.count(q) ? "vfio_ap" : "cex4queue") << q;
    } else {
      EXPECT_EQ(cfg["apmask"], expected["host"]["apmask"]);
      EXPECT_EQ(cfg["aqmask"], expected["host"]["aqmask"]);
    }
  }

  std::string dir, plan, out, proc;
  json expected;
};

}  // namespace apc::kmod
