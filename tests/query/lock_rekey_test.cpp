// A lock re-keyed to a plan's names by UUID: a renamed guest that states its
// UUID finds its locked matrix under the new name; the entry its new name
// displaces goes; guests without a UUID keep matching by name.
#include <gtest/gtest.h>

#include "solver/query/lock_of.h"
#include "solver/solve.h"
#include "tests/query/query_test_util.h"

namespace apc {
namespace {

const char* kPlan = R"(host lpar {
    adapter 0x05 CEX5C;
    domains 0x04, 0x47;
}
guest Payroll { adapters any 1; domains any 1; uuid 22222222-2222-4222-8222-222222222222; }
guest Plain { adapters any 1; domains any 1; }
)";

solver::LockedGuest entry(const std::string& name, unsigned domain, const std::string& uuid) {
  return {name, ir::makeIdSet({5}), ir::makeIdSet({domain}), ir::makeIdSet({domain}), uuid};
}

TEST(LockRekey, RenamedGuestKeepsItsEntry) {
  testing::Loaded l;
  testing::loadText(l, kPlan);
  ASSERT_TRUE(l.plan);
  solver::Lock lock;
  lock.guests = {entry("Guest2", 0x47, "22222222-2222-4222-8222-222222222222"),
                 entry("Payroll", 0x04, "99999999-9999-4999-8999-999999999999"),
                 entry("Plain", 0x04, "33333333-3333-4333-8333-333333333333")};
  query::rekeyByUuid(*l.plan, lock);
  ASSERT_EQ(lock.guests.size(), 2u);
  const solver::LockedGuest* p = lock.find("Payroll");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->uuid, "22222222-2222-4222-8222-222222222222");
  EXPECT_EQ(p->domains, ir::makeIdSet({0x47}));
  EXPECT_EQ(lock.find("Guest2"), nullptr);
  ASSERT_NE(lock.find("Plain"), nullptr);
  EXPECT_EQ(lock.find("Plain")->uuid, "33333333-3333-4333-8333-333333333333");
}

TEST(LockRekey, NothingToRenameLeavesTheLockAlone) {
  testing::Loaded l;
  testing::loadText(l, kPlan);
  ASSERT_TRUE(l.plan);
  solver::Lock lock;
  lock.guests = {entry("Other", 0x47, "44444444-4444-4444-8444-444444444444"),
                 entry("Plain", 0x04, "33333333-3333-4333-8333-333333333333")};
  query::rekeyByUuid(*l.plan, lock);
  ASSERT_EQ(lock.guests.size(), 2u);
  EXPECT_NE(lock.find("Other"), nullptr);
}

// A lock from a discovered host names guests mdev_<uuid8>; the plan's guest
// whose derived UUID that entry holds finds it.
TEST(LockRekey, DerivedUuidFindsADiscoveredEntry) {
  testing::Loaded l;
  testing::loadText(l, kPlan);
  ASSERT_TRUE(l.plan);
  const std::string derived = solver::deriveUuid("lpar", "Plain");
  solver::Lock lock;
  lock.guests = {entry("mdev_1234abcd", 0x47, derived), entry("Payroll", 0x04, "99999999-9999-4999-8999-999999999999")};
  query::rekeyByUuid(*l.plan, lock);
  ASSERT_NE(lock.find("Plain"), nullptr);
  EXPECT_EQ(lock.find("Plain")->domains, ir::makeIdSet({0x47}));
  EXPECT_EQ(lock.find("mdev_1234abcd"), nullptr);
  // Payroll states another UUID and no entry holds it: its old entry stays by name.
  EXPECT_NE(lock.find("Payroll"), nullptr);
}

}  // namespace
}  // namespace apc
