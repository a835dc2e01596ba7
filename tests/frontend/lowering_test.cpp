// Lowering to the plan IR: every field and range, templates and overrides,
// families, includes (relative paths, include-once), apart, policy, the
// --policy merge, determinism, and E116 at 10,000 guests.
#include <gtest/gtest.h>

#include <cstdio>
#include <unistd.h>

#include <filesystem>

#include "tests/frontend/test_util.h"

namespace apc::compiler::testing {
namespace {

namespace fs = std::filesystem;

std::string textAt(const Checked& c, ir::SourceRange r) {
  return c.sm.text(r.file).substr(r.begin, r.end - r.begin);
}

TEST(Lowering, TemplateOverrideReplacesSettingsOfTheSameKind) {
  auto c = check(std::string(kHost) +
                 "template web { adapters any 2 mode cca; domains any 1; tags prod; start manual; }\n"
                 "guest db : web { domains any 2 in 0x04..0x0f; tags db; }\n");
  ASSERT_TRUE(c->plan) << c->text();
  const ir::Guest& g = c->plan->guests.at(0);
  EXPECT_EQ(g.templateName, "web");
  EXPECT_EQ(g.adapters.kind, ir::IdRequirement::Kind::Any);  // from the template
  EXPECT_EQ(g.adapters.count, 2u);
  EXPECT_EQ(g.adapters.mode, ir::CardMode::Cca);
  EXPECT_EQ(g.domains.count, 2u);  // the override
  ASSERT_TRUE(g.domains.in);
  EXPECT_EQ(ir::formatIdList(*g.domains.in), "0x04..0x0f");
  EXPECT_EQ(g.tags, std::vector<std::string>{"db"});  // replaced, not merged
  EXPECT_EQ(g.start, ir::StartPolicy::Manual);
}

TEST(Lowering, FamilyExpandsInIndexOrderKeepingDeclarationOrder) {
  auto c = check(std::string(kHost) +
                 "guest first { adapters 1; domains 1; }\n"
                 "template t { adapters any 1; domains any 1; }\n"
                 "guest web[3..5] : t;\n"
                 "guest last { adapters 2; domains 1; }\n");
  ASSERT_TRUE(c->plan) << c->text();
  std::vector<std::string> names;
  for (const auto& g : c->plan->guests) names.push_back(g.name);
  EXPECT_EQ(names, (std::vector<std::string>{"first", "web3", "web4", "web5", "last"}));
  const ir::Guest& w4 = c->plan->guests[2];
  EXPECT_EQ(w4.family, "web");
  EXPECT_EQ(w4.familyIndex, 4u);
  EXPECT_EQ(textAt(*c, w4.range), "web");
  EXPECT_EQ(textAt(*c, w4.declRange), "guest web[3..5] : t;");
}

TEST(Lowering, HostInventory) {
  auto c = check(
      "host lpar1 {\n"
      "    interface legacy;\n"
      "    crycb format 1;\n"
      "    adapter 0x07 CEX6P;\n"
      "    adapter 0x02..0x03 CEX5A;\n"
      "    domains 1..3;\n"
      "    offline 03.0002, 09.0001;\n"
      "    reserve *.0002, 02.0001;\n"
      "}\n");
  EXPECT_EQ(c->count(ir::DiagCode::UnknownQueueInHostList), 1u) << c->text();  // 09.0001
  c = check(
      "host lpar1 {\n    interface legacy;\n    crycb format 1;\n    adapter 0x07 CEX6P;\n"
      "    adapter 0x02..0x03 CEX5A;\n    domains 1..3;\n    offline 03.0002;\n    reserve *.0002, 02.0001;\n}\n");
  ASSERT_TRUE(c->plan) << c->text();
  const ir::Inventory& h = c->plan->host;
  EXPECT_EQ(h.name, "lpar1");
  EXPECT_EQ(textAt(*c, h.range), "lpar1");
  EXPECT_EQ(h.interface, ir::Interface::Legacy);
  EXPECT_EQ(h.crycbFormat, 1u);
  EXPECT_EQ(h.maxAdapterId(), 63u);
  ASSERT_EQ(h.adapters.size(), 3u);  // sorted by id
  EXPECT_EQ(h.adapters[0].id, 2u);
  EXPECT_EQ(h.adapters[2].id, 7u);
  EXPECT_EQ(h.adapters[2].type.str(), "CEX6P");
  EXPECT_EQ(h.adapters[2].type.hwtype(), 12u);
  EXPECT_EQ(textAt(*c, h.adapters[0].range), "0x02..0x03");
  EXPECT_EQ(h.controlDomains, h.usageDomains);
  EXPECT_FALSE(h.controlDomainsExplicit);
  EXPECT_EQ(textAt(*c, h.usageDomainsRange), "domains 1..3;");
  EXPECT_TRUE(h.offlineQueues.contains(3, 2));
  EXPECT_EQ(h.offlineQueues.size(), 1u);
  // reserve *.0002 covers 02.0002 and 07.0002 but not the offline 03.0002.
  EXPECT_TRUE(h.reservedQueues.contains(2, 2));
  EXPECT_TRUE(h.reservedQueues.contains(7, 2));
  EXPECT_FALSE(h.reservedQueues.contains(3, 2));
  EXPECT_TRUE(h.reservedQueues.contains(2, 1));
  EXPECT_EQ(h.reservedQueues.size(), 3u);
  EXPECT_FALSE(h.queueExists(3, 2));
  EXPECT_FALSE(h.queueUsable(7, 2));
  EXPECT_TRUE(h.queueUsable(7, 3));
}

TEST(Lowering, ExactListsKeepWhereEachIdWasWritten) {
  auto c = check(std::string(kHost) + "guest g {\n    adapters 0x01, 3..4;\n    domains 0x05;\n}\n");
  ASSERT_TRUE(c->plan) << c->text();
  const ir::Guest& g = c->plan->guests[0];
  EXPECT_EQ(g.adapters.kind, ir::IdRequirement::Kind::Exact);
  EXPECT_EQ(ir::formatIdList(g.adapters.exact), "0x01, 0x03, 0x04");
  EXPECT_EQ(textAt(*c, g.adapters.idRanges.at(1)), "0x01");
  EXPECT_EQ(textAt(*c, g.adapters.idRanges.at(4)), "3..4");
  EXPECT_EQ(textAt(*c, g.adapters.range), "adapters 0x01, 3..4;");
  EXPECT_EQ(g.domains.size(), 1u);
}

TEST(Lowering, AnyFiltersCombineWithAnd) {
  auto c = check(std::string(kHost) +
                 "guest g { adapters any 1 in 0x01..0x05 mode cca type CEX7C, CEX8C; domains any 1; }\n");
  ASSERT_TRUE(c->plan) << c->text();
  const ir::IdRequirement& r = c->plan->guests[0].adapters;
  ASSERT_TRUE(r.in);
  EXPECT_EQ(r.types.size(), 2u);
  const ir::Inventory& h = c->plan->host;
  EXPECT_TRUE(r.admitsAdapter(*h.adapter(1)));
  EXPECT_FALSE(r.admitsAdapter(*h.adapter(5)));  // CEX7A: in range, wrong mode
  EXPECT_FALSE(r.admitsAdapter(*h.adapter(6)));  // out of `in`
  EXPECT_EQ(textAt(*c, r.modeRange), "mode cca");
}

TEST(Lowering, GuestSettings) {
  auto c = check(std::string(kHost) +
                 "guest g { adapters 1; domains 1; control domains 2, 3; uuid \"6C4A3F0E-1D2B-4C3A-9E8F-0123456789AB\";"
                 " start manual; tags a, \"b c\", a; }\n");
  ASSERT_TRUE(c->plan) << c->text();
  const ir::Guest& g = c->plan->guests[0];
  EXPECT_EQ(ir::formatIdList(g.extraControlDomains), "0x02, 0x03");
  EXPECT_EQ(textAt(*c, g.controlDomainRanges.at(3)), "3");
  EXPECT_EQ(g.uuid, "6c4a3f0e-1d2b-4c3a-9e8f-0123456789ab");
  EXPECT_EQ(g.start, ir::StartPolicy::Manual);
  EXPECT_EQ(g.tags, (std::vector<std::string>{"a", "b c"}));
}

TEST(Lowering, ApartAndPolicy) {
  auto c = check(std::string(kHost) +
                 "guest web[1..3] { adapters any 1; domains any 1; }\nguest db { adapters 1; domains 1; }\n"
                 "apart web, db;\n"
                 "policy { min adapters 2 for tag prod; min domains 1; }\n"
                 "policy { max guests per adapter 4; headroom 15%; allow foreign control; }\n");
  ASSERT_TRUE(c->plan) << c->text();
  ASSERT_EQ(c->plan->apart.size(), 1u);
  EXPECT_EQ(c->plan->apart[0].guests, (std::vector<std::size_t>{0, 1, 2, 3}));
  const ir::Policy& p = c->plan->policy;
  ASSERT_EQ(p.minAdapters.size(), 1u);
  EXPECT_EQ(p.minAdapters[0].count, 2u);
  EXPECT_EQ(p.minAdapters[0].tag, "prod");
  ASSERT_EQ(p.minDomains.size(), 1u);
  EXPECT_FALSE(p.minDomains[0].tag);
  EXPECT_EQ(p.maxGuestsPerAdapter, 4u);
  EXPECT_EQ(p.headroomPercent, 15u);
  EXPECT_TRUE(p.allowForeignControl);
  EXPECT_EQ(textAt(*c, p.headroomRange), "headroom 15%;");
}

TEST(Lowering, PlacementGoal) {
  const std::string host = "host h { adapter 0..3 CEX8C; domains 1..4; }\nguest g { adapters any 1; domains any 1; }\n";
  auto byDefault = check(host);
  ASSERT_TRUE(byDefault->plan) << byDefault->text();
  EXPECT_EQ(byDefault->plan->policy.placement, ir::PlacementGoal::Spread);
  EXPECT_FALSE(byDefault->plan->policy.placementRange.valid());
  auto pack = check(host + "policy { placement pack; }\n");
  ASSERT_TRUE(pack->plan) << pack->text();
  EXPECT_EQ(pack->plan->policy.placement, ir::PlacementGoal::Pack);
  EXPECT_EQ(textAt(*pack, pack->plan->policy.placementRange), "placement pack;");
  EXPECT_NE(ir::dumpPlan(*pack->plan), ir::dumpPlan(*byDefault->plan));
  auto spread = check(host + "policy { placement spread; }\n");
  ASSERT_TRUE(spread->plan) << spread->text();
  EXPECT_EQ(ir::dumpPlan(*spread->plan), ir::dumpPlan(*byDefault->plan));
  // A word other than spread or pack, and the rule twice.
  auto bad = check(host + "policy { placement sprad; }\n");
  EXPECT_EQ(bad->count(ir::DiagCode::UnknownKeyword), 1u) << bad->text();
  EXPECT_NE(bad->text().find("spread"), std::string::npos) << bad->text();
  auto twice = check(host + "policy { placement pack; }\npolicy { placement spread; }\n");
  EXPECT_EQ(twice->count(ir::DiagCode::DuplicateSetting), 1u) << twice->text();
  // `placement` stays usable as a name.
  auto name = check("host h { adapter 0 CEX8C; domains 1; }\nguest placement { adapters any 1; domains any 1; }\n");
  EXPECT_TRUE(name->plan) << name->text();
}

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("apc_fe_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++))) {
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories((path_ / rel).parent_path());
    std::ofstream(path_ / rel, std::ios::binary) << text;
  }
  std::string operator/(const std::string& rel) const { return (path_ / rel).string(); }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

TEST(Lowering, IncludesResolveRelativeToTheIncludingFileAndOnce) {
  TempDir dir;
  dir.write("plan.ap", "guest a { adapters 1; domains 1; }\ninclude \"inv/host.ap\";\ninclude \"inv/host.ap\";\n"
                       "guest z { adapters 2; domains 1; }\n");
  dir.write("inv/host.ap", std::string(kHost) + "include \"../more/mid.ap\";\n");
  dir.write("more/mid.ap", "guest m { adapters 3; domains 1; }\n");
  Checked c;
  c.plan = loadPlan(dir / "plan.ap", c.sm, c.diags);
  ASSERT_TRUE(c.plan) << c.text();
  std::vector<std::string> names;
  for (const auto& g : c.plan->guests) names.push_back(g.name);
  EXPECT_EQ(names, (std::vector<std::string>{"a", "m", "z"}));  // include expands in place
  EXPECT_EQ(c.sm.path(c.plan->guests[1].range.file), dir / "more/mid.ap");
}

TEST(Lowering, MergePolicyFile) {
  TempDir dir;
  dir.write("p.ap", "policy { headroom 20%; }\n");
  dir.write("bad.ap", "policy { min domains 1; }\nguest x { adapters 1; domains 1; }\n");
  auto c = check(std::string(kHost));
  ASSERT_TRUE(c->plan);
  EXPECT_TRUE(mergePolicyFile(dir / "p.ap", *c->plan, c->sm, c->diags)) << c->text();
  EXPECT_EQ(c->plan->policy.headroomPercent, 20u);
  EXPECT_FALSE(mergePolicyFile(dir / "bad.ap", *c->plan, c->sm, c->diags));
  EXPECT_EQ(c->count(ir::DiagCode::PolicyFileContent), 1u) << c->text();
  EXPECT_EQ(c->plan->policy.minDomains.size(), 1u);
}

TEST(Lowering, SameInputSameOutput) {
  const std::string text = readAll(std::string(APC_SOURCE_DIR) + "/tests/frontend/good/messy_layout.ap") +
                           "guest bad { adapters 9; domains 1; }\n";
  auto a = check(text), b = check(text);
  EXPECT_EQ(a->text(), b->text());
  auto ga = check(std::string(kHost) + "guest g { adapters any 1; domains 1; }\n");
  auto gb = check(std::string(kHost) + "guest g { adapters any 1; domains 1; }\n");
  ASSERT_TRUE(ga->plan && gb->plan);
  EXPECT_EQ(ir::dumpPlan(*ga->plan), ir::dumpPlan(*gb->plan));
}

TEST(Lowering, OverlapCheckScalesTo10000Guests) {
  std::string text = "host h { adapter 0x00..0xff CEX7C; domains 0x00..0xff; }\n";
  auto hex = [](unsigned v) {  // IDs in hex: decimal ones of two digits draw W128
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02x", v);
    return std::string(buf);
  };
  for (unsigned i = 0; i < 10000; ++i)
    text += "guest g" + std::to_string(i) + " { adapters " + hex(i % 256) + "; domains " + hex(i / 256) + "; }\n";
  text += "guest late { adapters 5, 6; domains 1; }\n";  // 05.0001 belongs to g261, 06.0001 to g262
  auto c = check(text);
  ASSERT_EQ(c->errors(), 2u) << c->text().substr(0, 3000);
  EXPECT_EQ(c->count(ir::DiagCode::ExplicitOverlap), 2u);
  EXPECT_NE(c->diags.all()[0].message.find("'g261' and 'late'"), std::string::npos) << c->diags.all()[0].message;
  EXPECT_NE(c->diags.all()[0].message.find("queue 05.0001"), std::string::npos);
}

}  // namespace
}  // namespace apc::compiler::testing
