// checkPolicies: every policy kind as a diagnostic with its stable code, at
// the right line and column, with notes; and silence when policies hold.
#include "solver/checker/policy_check.h"

#include <gtest/gtest.h>

#include "tests/query/query_test_util.h"

namespace apc {
namespace {

using testing::Loaded;

const std::string kPlan = R"(host h {
  adapter 1..4 CEX7C;
  domains 1..8;
}
guest a { adapters 1; domains 1, 2; tags prod; }
guest b { adapters 1, 2; domains 3; control domains 4; }
guest c { adapters 2; domains 4; }
apart a, b;
policy {
  min adapters 2 for tag prod;
  min domains 2;
  max guests per adapter 1;
  headroom 90%;
}
)";

std::vector<const ir::Diagnostic*> withCode(const ir::DiagEngine& d, ir::DiagCode code) {
  std::vector<const ir::Diagnostic*> out;
  for (const ir::Diagnostic& x : d.all())
    if (x.code == code) out.push_back(&x);
  return out;
}

TEST(PolicyCheck, EveryKindWithLocationAndNotes) {
  Loaded l;
  testing::loadText(l, kPlan);
  ir::SolvedPlan sp = testing::solvedFromExact(*l.plan);
  ir::DiagEngine diags;
  checker::checkPolicies(sp, diags);

  auto e301 = withCode(diags, ir::DiagCode::PolicyMinAdapters);
  ASSERT_EQ(e301.size(), 1u);
  EXPECT_EQ(l.sm.describe(e301[0]->range), testing::where(l, kPlan, "guest a", 6));
  EXPECT_NE(e301[0]->message.find("guest 'a' has 1 adapter"), std::string::npos) << e301[0]->message;
  ASSERT_GE(e301[0]->notes.size(), 1u);
  EXPECT_EQ(l.sm.describe(e301[0]->notes[0].range), testing::where(l, kPlan, "min adapters"));

  auto e302 = withCode(diags, ir::DiagCode::PolicyMinDomains);
  ASSERT_EQ(e302.size(), 2u);  // b and c hold one domain each
  EXPECT_EQ(l.sm.describe(e302[0]->range), testing::where(l, kPlan, "guest b", 6));
  EXPECT_EQ(l.sm.describe(e302[1]->range), testing::where(l, kPlan, "guest c", 6));

  auto e303 = withCode(diags, ir::DiagCode::PolicyMaxGuestsPerAdapter);
  ASSERT_EQ(e303.size(), 2u);  // adapter 01 (a, b) and 02 (b, c)
  EXPECT_NE(e303[0]->message.find("adapter 01 serves 2 guests"), std::string::npos) << e303[0]->message;
  EXPECT_EQ(l.sm.describe(e303[0]->range), testing::where(l, kPlan, "max guests"));
  EXPECT_EQ(e303[0]->notes.size(), 2u);

  auto e304 = withCode(diags, ir::DiagCode::PolicyHeadroom);
  ASSERT_EQ(e304.size(), 1u);
  EXPECT_NE(e304[0]->message.find("27 of 32 guest-usable queues"), std::string::npos) << e304[0]->message;
  EXPECT_NE(e304[0]->message.find("at least 29"), std::string::npos) << e304[0]->message;

  auto e305 = withCode(diags, ir::DiagCode::ForeignControl);
  ASSERT_EQ(e305.size(), 1u);  // b controls domain 4 on adapter 2, which is c's queue
  EXPECT_NE(e305[0]->message.find("02.0004 of guest 'c'"), std::string::npos) << e305[0]->message;
  EXPECT_EQ(l.sm.describe(e305[0]->range), testing::where(l, kPlan, "control domains 4", 16));
  ASSERT_GE(e305[0]->notes.size(), 1u);
  EXPECT_EQ(l.sm.describe(e305[0]->notes[0].range), testing::where(l, kPlan, "guest c", 6));

  auto e306 = withCode(diags, ir::DiagCode::ApartViolated);
  ASSERT_EQ(e306.size(), 1u);
  EXPECT_EQ(l.sm.describe(e306[0]->range), testing::where(l, kPlan, "apart a, b", 9));
  ASSERT_EQ(e306[0]->notes.size(), 1u);
  EXPECT_EQ(l.sm.describe(e306[0]->notes[0].range), testing::where(l, kPlan, "apart a, b", 6));

  EXPECT_EQ(diags.errorCount(), 8u);
}

TEST(PolicyCheck, SilentWhenEveryPolicyHolds) {
  const std::string plan = R"(host h {
  adapter 1..4 CEX7C;
  domains 1..8;
}
guest a { adapters 1, 2; domains 1, 2; tags prod; }
guest b { adapters 3, 4; domains 3, 4; control domains 5; tags prod; }
apart a, b;
policy { min adapters 2 for tag prod; min domains 2; max guests per adapter 1; headroom 50%; }
)";
  Loaded l;
  testing::loadText(l, plan);
  ir::DiagEngine diags;
  checker::checkPolicies(testing::solvedFromExact(*l.plan), diags);
  EXPECT_TRUE(diags.all().empty()) << ir::renderTextAll(diags.all(), l.sm);
}

TEST(PolicyCheck, AllowForeignControlSilencesE305) {
  std::string plan = R"(host h { adapter 1..2 CEX7C; domains 1..4; }
guest b { adapters 1, 2; domains 3; control domains 4; }
guest c { adapters 2; domains 4; }
policy { allow foreign control; }
)";
  Loaded l;
  testing::loadText(l, plan);
  ir::DiagEngine diags;
  checker::checkPolicies(testing::solvedFromExact(*l.plan), diags);
  EXPECT_TRUE(withCode(diags, ir::DiagCode::ForeignControl).empty());
}

TEST(PolicyCheck, HeadroomBoundaryIsInclusive) {
  // 8 usable queues, 2 used: 75% free. headroom 75% holds, 76% does not.
  for (unsigned pct : {75u, 76u}) {
    std::string plan = "host h { adapter 1..2 CEX7C; domains 1..4; }\nguest a { adapters 1; domains 1, 2; }\n"
                       "policy { headroom " + std::to_string(pct) + "%; }\n";
    Loaded l;
    testing::loadText(l, plan);
    ir::DiagEngine diags;
    checker::checkPolicies(testing::solvedFromExact(*l.plan), diags);
    EXPECT_EQ(withCode(diags, ir::DiagCode::PolicyHeadroom).size(), pct == 75 ? 0u : 1u) << pct;
  }
}

}  // namespace
}  // namespace apc
