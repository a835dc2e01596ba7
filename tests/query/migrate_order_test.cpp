// migrate.sh's move order (backends/migrate/migrate_order.h): a guest moves
// after every guest whose old queues it gains, a genuine cycle costs exactly
// one intermediate drop (its first guest's), independent guests keep the
// change-list order, and the same input gives the same steps.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "backends/migrate/migrate_order.h"

namespace apc::migrate {
namespace {

using ir::makeIdSet;

MovingGuest guest(std::initializer_list<unsigned> ba, std::initializer_list<unsigned> bd,
                  std::initializer_list<unsigned> aa, std::initializer_list<unsigned> ad) {
  return {makeIdSet(ba), makeIdSet(bd), makeIdSet(aa), makeIdSet(ad)};
}

// "M0 D1 M2": Move or Drop, then the guest's index.
std::string text(const std::vector<OrderStep>& steps) {
  std::string out;
  for (const OrderStep& s : steps)
    out += (out.empty() ? "" : " ") + std::string(s.kind == StepKind::Move ? "M" : "D") + std::to_string(s.guest);
  return out;
}

TEST(MigrateOrder, IndependentGuestsKeepTheirOrder) {
  std::vector<MovingGuest> g = {guest({1}, {1}, {1}, {1, 2}), guest({2}, {3}, {2}, {3, 4}), guest({}, {}, {3}, {5})};
  EXPECT_EQ(text(orderMoves(g)), "M0 M1 M2");
}

TEST(MigrateOrder, ChainMovesTheGiverFirst) {
  // 0 takes domain 2 that 1 gives up; 1 takes domain 3 that 2 gives up.
  std::vector<MovingGuest> g = {guest({1}, {1}, {1}, {1, 2}), guest({1}, {2, 3}, {1}, {3}),
                                guest({1}, {3, 4}, {1}, {4})};
  EXPECT_EQ(text(orderMoves(g)), "M2 M1 M0");
}

TEST(MigrateOrder, AddedGuestGoesAfterTheGuestItTakesFrom) {
  // 0 is added on domain 5, which 1 gives up.
  std::vector<MovingGuest> g = {guest({}, {}, {2}, {5}), guest({2}, {4, 5}, {2}, {4})};
  EXPECT_EQ(text(orderMoves(g)), "M1 M0");
}

TEST(MigrateOrder, SwapCostsOneDropOfTheFirstGuest) {
  // 0 and 1 trade domains 1 and 2: 0 drops first, 1 moves, then 0.
  std::vector<MovingGuest> g = {guest({1}, {1}, {1}, {2}), guest({1}, {2}, {1}, {1})};
  auto steps = orderMoves(g);
  EXPECT_EQ(text(steps), "D0 M1 M0");
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].cycle, (std::vector<std::size_t>{0, 1}));
}

TEST(MigrateOrder, ThreeCycleAndAChainBehindItCostOneDrop) {
  // 1 -> 2 -> 3 -> 1 trade domains in a circle; 0 waits on 1 (takes its
  // adapter 9's domain 7); 4 is independent.
  std::vector<MovingGuest> g = {
      guest({}, {}, {9}, {7}),             // 0: added on 09.0007, which 1 gives up
      guest({1, 9}, {1, 7}, {1}, {2}),     // 1
      guest({1}, {2}, {1}, {3}),           // 2
      guest({1}, {3}, {1}, {1}),           // 3
      guest({4}, {4}, {4}, {4, 8}),        // 4
  };
  auto steps = orderMoves(g);
  EXPECT_EQ(text(steps), "M4 D1 M0 M3 M2 M1");
  std::size_t drops = 0;
  for (const OrderStep& s : steps) drops += s.kind == StepKind::Drop;
  EXPECT_EQ(drops, 1u);
  EXPECT_EQ(steps[1].cycle, (std::vector<std::size_t>{1, 2, 3}));
}

TEST(MigrateOrder, TwoSeparateSwapsCostOneDropEach) {
  std::vector<MovingGuest> g = {guest({1}, {1}, {1}, {2}), guest({2}, {5}, {2}, {6}), guest({1}, {2}, {1}, {1}),
                                guest({2}, {6}, {2}, {5})};
  EXPECT_EQ(text(orderMoves(g)), "D0 M2 M0 D1 M3 M1");
}

TEST(MigrateOrder, EveryGuestMovesOnceAndOnlyAfterWhatItGains) {
  // A ring of 12 guests each taking the next one's old domain, plus a chain
  // feeding into it: replay the steps on the matrices and check no step ever
  // gives two guests the same queue; the same input gives the same steps.
  std::vector<MovingGuest> g;
  const unsigned n = 12;
  for (unsigned i = 0; i < n; ++i) g.push_back(guest({3}, {10 + i}, {3}, {10 + (i + 1) % n}));
  g.push_back(guest({}, {}, {3}, {40}));
  g.push_back(guest({3}, {40, 41}, {3}, {41}));
  auto steps = orderMoves(g);
  EXPECT_EQ(text(steps), text(orderMoves(g)));
  std::vector<ir::IdSet> a, d;
  for (const MovingGuest& m : g) a.push_back(m.beforeAdapters), d.push_back(m.beforeDomains);
  std::vector<int> moves(g.size(), 0);
  std::size_t drops = 0;
  for (const OrderStep& s : steps) {
    const MovingGuest& m = g[s.guest];
    if (s.kind == StepKind::Drop) {
      ++drops;
      a[s.guest] &= m.afterAdapters;
      d[s.guest] &= m.afterDomains;
    } else {
      ++moves[s.guest];
      a[s.guest] = m.afterAdapters;
      d[s.guest] = m.afterDomains;
    }
    for (std::size_t j = 0; j < g.size(); ++j) {
      if (j == s.guest) continue;
      EXPECT_FALSE((a[j] & a[s.guest]).any() && (d[j] & d[s.guest]).any())
          << "guests " << s.guest << " and " << j << " share a queue after " << text(steps);
    }
  }
  for (int m : moves) EXPECT_EQ(m, 1);
  EXPECT_EQ(drops, 1u);
}

}  // namespace
}  // namespace apc::migrate
