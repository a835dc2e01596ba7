// The spec's example plans: seed.ap and flexible.ap are clean, seed-invalid.ap
// gives exactly the one overlap error of the design document's Example 2.
#include <gtest/gtest.h>

#include "tests/frontend/test_util.h"

namespace apc::compiler::testing {
namespace {

std::unique_ptr<Checked> loadExample(const std::string& name) {
  auto c = std::make_unique<Checked>();
  c->plan = loadPlan(std::string(APC_SPEC_DIR) + "/examples/" + name, c->sm, c->diags);
  return c;
}

TEST(Examples, SeedIsClean) {
  auto c = loadExample("seed.ap");
  ASSERT_TRUE(c->plan) << c->text();
  EXPECT_TRUE(c->diags.all().empty()) << c->text();
  const ir::Plan& p = *c->plan;
  EXPECT_EQ(p.host.name, "lpar");
  ASSERT_EQ(p.host.adapters.size(), 2u);
  EXPECT_EQ(p.host.adapters[0].id, 5u);
  EXPECT_EQ(p.host.adapters[0].type.str(), "CEX5C");
  EXPECT_EQ(p.host.adapters[1].type.mode, ir::CardMode::Accel);
  EXPECT_EQ(ir::formatIdList(p.host.usageDomains), "0x04, 0x47, 0xab, 0xff");
  EXPECT_EQ(p.host.controlDomains, p.host.usageDomains);  // default
  ASSERT_EQ(p.guests.size(), 2u);
  EXPECT_EQ(p.guests[0].name, "Guest1");
  EXPECT_EQ(ir::formatIdList(p.guests[0].adapters.exact), "0x05, 0x06");
  EXPECT_EQ(ir::formatIdList(p.guests[0].domains.exact), "0x04, 0xab");
  EXPECT_EQ(p.guests[1].name, "Guest2");
  EXPECT_EQ(ir::formatIdList(p.guests[1].domains.exact), "0x47, 0xff");
  // Ranges point at the literals as written.
  auto lc = c->sm.begin(p.guests[0].domains.idRanges.at(0xab));
  EXPECT_EQ(lc.line, 15u);
  EXPECT_EQ(lc.column, 19u);
}

TEST(Examples, FlexibleIsClean) {
  auto c = loadExample("flexible.ap");
  ASSERT_TRUE(c->plan) << c->text();
  EXPECT_TRUE(c->diags.all().empty()) << c->text();
  const ir::Plan& p = *c->plan;
  EXPECT_EQ(p.host.adapters.size(), 8u);
  ASSERT_EQ(p.guests.size(), 8u);
  EXPECT_EQ(p.guests[0].name, "web1");
  EXPECT_EQ(p.guests[5].name, "web6");
  EXPECT_EQ(p.guests[5].family, "web");
  EXPECT_EQ(p.guests[5].familyIndex, 6u);
  EXPECT_EQ(p.guests[0].adapters.kind, ir::IdRequirement::Kind::Any);
  EXPECT_EQ(p.guests[0].adapters.count, 2u);
  EXPECT_EQ(p.guests[0].adapters.mode, ir::CardMode::Cca);
  EXPECT_TRUE(p.guests[0].hasTag("prod"));
  EXPECT_EQ(p.guests[6].name, "hsm-signer");
  EXPECT_EQ(p.guests[7].name, "batch");
  EXPECT_FALSE(p.guests[7].hasTag("prod"));
  // reserve *.0000 expands to domain 0 on every adapter.
  EXPECT_EQ(p.host.reservedQueues.size(), 8u);
  EXPECT_TRUE(p.host.reservedQueues.contains(7, 0));
  ASSERT_EQ(p.apart.size(), 1u);
  EXPECT_EQ(p.apart[0].guests, (std::vector<std::size_t>{0, 1}));
  ASSERT_EQ(p.policy.minAdapters.size(), 1u);
  EXPECT_EQ(p.policy.minAdapters[0].tag, "prod");
  EXPECT_EQ(p.policy.headroomPercent, 10u);
  EXPECT_FALSE(p.policy.allowForeignControl);
}

TEST(Examples, SeedInvalidHasExactlyTheOverlap) {
  auto c = loadExample("seed-invalid.ap");
  EXPECT_FALSE(c->plan);
  ASSERT_EQ(c->diags.all().size(), 1u) << c->text();
  const ir::Diagnostic& d = c->diags.all()[0];
  EXPECT_EQ(d.code, ir::DiagCode::ExplicitOverlap);
  EXPECT_NE(d.message.find("Guest1"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("Guest2"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("queue 01.0006"), std::string::npos) << d.message;
  EXPECT_EQ(c->where(d), "14:7");  // guest Guest2
  ASSERT_EQ(d.notes.size(), 2u);
  EXPECT_EQ(c->sm.begin(d.notes[0].range).line, 9u);  // guest Guest1
  EXPECT_EQ(c->sm.begin(d.notes[1].range).line, 14u);
}

}  // namespace
}  // namespace apc::compiler::testing
