// usage (counting), fail and resilience (re-plans through the solver) on
// small plans whose answers can be worked out by hand.
#include <gtest/gtest.h>

#include "solver/query/fail.h"
#include "solver/query/render.h"
#include "solver/query/usage.h"
#include "tests/query/query_test_util.h"

namespace apc {
namespace {

using testing::Loaded;

const char* kSeed = R"(host lpar {
    adapter 0x05 CEX5C;
    adapter 0x06 CEX5A;
    domains 0x04, 0x47, 0xab, 0xff;
    reserve 06.00ff;
}
guest Guest1 { adapters 0x05, 0x06; domains 0x04, 0xab; }
guest Guest2 { adapters 0x05; domains 0x47; }
)";

TEST(Usage, CountsPerAdapterAndDomain) {
  Loaded l;
  testing::loadText(l, kSeed);
  ir::SolvedPlan sp = testing::solvedFromExact(*l.plan);
  sp.aqmask = ir::makeIdSet({0xff});  // the host keeps *.00ff: 05.00ff and the reserved 06.00ff
  query::UsageReport r = query::computeUsage(sp);
  ASSERT_EQ(r.adapters.size(), 2u);
  EXPECT_EQ(r.adapters[0].id, 5u);
  EXPECT_EQ(r.adapters[0].type, "CEX5C");
  EXPECT_EQ(r.adapters[0].existing, 4u);
  EXPECT_EQ(r.adapters[0].used, 3u);
  EXPECT_EQ(r.adapters[0].hostKept, 1u);
  // 05.00ff is usable and unheld but the masks keep it: host, not free
  // (free means released to vfio_ap and unused, so used + host + free = queues).
  EXPECT_EQ(r.adapters[0].free, 0u);
  EXPECT_EQ(r.adapters[0].used + r.adapters[0].hostKept + r.adapters[0].free, r.adapters[0].existing);
  EXPECT_EQ(r.adapters[0].guests, 2u);
  EXPECT_EQ(r.adapters[1].used, 2u);
  EXPECT_EQ(r.adapters[1].reserved, 1u);
  EXPECT_EQ(r.adapters[1].free, 1u);  // 06.0047
  ASSERT_EQ(r.domains.size(), 4u);
  EXPECT_EQ(r.domains[1].id, 0x47u);
  EXPECT_EQ(r.domains[1].used, 1u);
  EXPECT_EQ(r.domains[1].free, 1u);
  EXPECT_EQ(r.total.existing, 8u);
  EXPECT_EQ(r.usable, 7u);
  EXPECT_EQ(r.total.used, 5u);
  std::string text = query::usageText(r);
  EXPECT_NE(text.find("utilisation 71.4%"), std::string::npos) << text;
  EXPECT_NE(query::usageJson(r).find("\"utilisation_percent\": \"71.4\""), std::string::npos);
}

TEST(Fail, ExplicitAdapterCannotBeRecovered) {
  Loaded l;
  testing::loadText(l, kSeed);
  ir::SolvedPlan sp = testing::solvedFromExact(*l.plan);
  query::FailReport r = query::simulateFailure(sp, ir::makeIdSet({6}), {});
  ASSERT_EQ(r.hit.size(), 1u);
  EXPECT_EQ(r.hit[0].name, "Guest1");
  ASSERT_EQ(r.hit[0].lost.size(), 2u);
  EXPECT_EQ(ir::formatQueue(r.hit[0].lost[0]), "06.0004");
  EXPECT_EQ(r.recovery, query::Recovery::Impossible);
  EXPECT_NE(r.reason.find("Guest1"), std::string::npos) << r.reason;
}

TEST(Fail, NoGuestHitNeedsNothing) {
  Loaded l;
  testing::loadText(l, kSeed);
  ir::SolvedPlan sp = testing::solvedFromExact(*l.plan);
  query::FailReport r = query::simulateFailure(sp, {}, ir::makeIdSet({0xff}));
  EXPECT_TRUE(r.hit.empty());
  EXPECT_EQ(r.recovery, query::Recovery::NotNeeded);
}

const char* kFlexible = R"(host h {
    adapter 1..3 CEX7C;
    domains 1..4;
}
guest a { adapters 1; domains 1, 2; }
guest b { adapters any 1; domains any 2; }
guest c { adapters any 2; domains any 2; }
)";

TEST(Fail, RecoverableWithMovesAndUntouchedGuestsKept) {
  Loaded l;
  testing::loadText(l, kFlexible);
  // a at 1 x {1,2}; b at 2 x {1,2}; c at {2,3} x {3,4}: losing adapter 2 hits b and c.
  ir::SolvedPlan sp = testing::solvedFromExact(*l.plan);
  sp.alloc[1].adapters = ir::makeIdSet({2});
  sp.alloc[1].domains = sp.alloc[1].controlDomains = ir::makeIdSet({1, 2});
  sp.alloc[2].adapters = ir::makeIdSet({2, 3});
  sp.alloc[2].domains = sp.alloc[2].controlDomains = ir::makeIdSet({3, 4});
  sp.aqmask.reset();
  query::FailReport r = query::simulateFailure(sp, ir::makeIdSet({2}), {});
  ASSERT_EQ(r.hit.size(), 2u);
  // 2 adapters x 4 domains = 8 queues left; a needs 2, b 2, c 4 (adapters 1 and 3 both):
  // c cannot fit beside a on adapter 1 (a takes 2 of 4 domains, c needs 2 more + b 2 on adapter 3 ...).
  // a: 01.{1,2}; c must use adapters 1 and 3 with domains {3,4}; b: 03.{1,2}. Feasible.
  EXPECT_EQ(r.recovery, query::Recovery::Recoverable) << r.reason;
  EXPECT_TRUE(r.untouchedKept);
  ASSERT_EQ(r.moves.size(), 2u);
  EXPECT_EQ(r.moves[0].name, "b");
  EXPECT_EQ(r.moves[0].after.adapters, ir::makeIdSet({3}));
  EXPECT_EQ(r.moves[1].name, "c");
  EXPECT_EQ(r.moves[1].after.adapters, ir::makeIdSet({1, 3}));
  EXPECT_NE(query::failText(r).find("recovery: recoverable"), std::string::npos);
}

TEST(Resilience, OneLinePerAdapter) {
  Loaded l;
  testing::loadText(l, kFlexible);
  ir::SolvedPlan sp = testing::solvedFromExact(*l.plan);
  sp.alloc[1].adapters = ir::makeIdSet({2});
  sp.alloc[1].domains = sp.alloc[1].controlDomains = ir::makeIdSet({1, 2});
  sp.alloc[2].adapters = ir::makeIdSet({2, 3});
  sp.alloc[2].domains = sp.alloc[2].controlDomains = ir::makeIdSet({3, 4});
  auto lines = query::resilience(sp);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].adapter, 1u);
  EXPECT_EQ(lines[0].report.recovery, query::Recovery::Impossible);  // a names adapter 1
  EXPECT_EQ(lines[1].report.recovery, query::Recovery::Recoverable);
  // Losing adapter 3: c needs two adapters, and 1 and 2 have 2 + 2 free domains: c at {1,2} x {3,4}.
  EXPECT_EQ(lines[2].report.recovery, query::Recovery::Recoverable);
  std::string text = query::resilienceText(sp, lines);
  EXPECT_NE(text.find("1 of 3 single-adapter failures cannot be recovered"), std::string::npos) << text;
}

}  // namespace
}  // namespace apc
