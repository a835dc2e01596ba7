// The independent checker must reject each kind of broken allocation and
// accept the design document's own example.
#include <gtest/gtest.h>

#include "solver/checker/checker.h"

namespace apc::checker {
namespace {

using ir::makeIdSet;

ir::IdRequirement exact(std::initializer_list<unsigned> ids) {
  ir::IdRequirement r;
  r.present = true;
  r.kind = ir::IdRequirement::Kind::Exact;
  r.exact = makeIdSet(ids);
  return r;
}

ir::IdRequirement any(unsigned n) {
  ir::IdRequirement r;
  r.present = true;
  r.kind = ir::IdRequirement::Kind::Any;
  r.count = n;
  return r;
}

// The seed: adapters 5 (CEX5C) and 6 (CEX5A), domains 4, 0x47, 0xab, 0xff.
ir::SolvedPlan seed() {
  ir::SolvedPlan s;
  ir::Inventory& h = s.plan.host;
  h.name = "lpar";
  h.adapters = {{5, {5, ir::CardMode::Cca}, {}}, {6, {5, ir::CardMode::Accel}, {}}};
  h.usageDomains = makeIdSet({4, 0x47, 0xab, 0xff});
  h.controlDomains = h.usageDomains;
  ir::Guest g1, g2;
  g1.name = "Guest1";
  g1.adapters = exact({5, 6});
  g1.domains = exact({4, 0xab});
  g2.name = "Guest2";
  g2.adapters = exact({5});
  g2.domains = exact({0x47, 0xff});
  s.plan.guests = {g1, g2};
  s.alloc = {{makeIdSet({5, 6}), makeIdSet({4, 0xab}), makeIdSet({4, 0xab}),
              "11111111-1111-5111-8111-111111111111"},
             {makeIdSet({5}), makeIdSet({0x47, 0xff}), makeIdSet({0x47, 0xff}),
              "22222222-2222-5222-8222-222222222222"}};
  s.apmask.set();
  s.aqmask.set();
  s.apmask.reset(5);
  s.apmask.reset(6);
  return s;
}

bool hasRule(const std::vector<Violation>& v, const std::string& rule) {
  for (const auto& x : v)
    if (x.rule == rule) return true;
  return false;
}

TEST(Checker, SeedIsSound) { EXPECT_TRUE(verify(seed()).empty()); }

TEST(Checker, SharedQueueIsAnOverlap) {
  ir::SolvedPlan s = seed();
  s.plan.guests[1].domains = exact({0x47, 0xab});
  s.alloc[1].domains = s.alloc[1].controlDomains = makeIdSet({0x47, 0xab});
  auto v = verify(s);
  ASSERT_TRUE(hasRule(v, "overlap"));
  EXPECT_NE(v[0].message.find("05.00ab"), std::string::npos);
}

TEST(Checker, ExactRequirementMustMatch) {
  ir::SolvedPlan s = seed();
  s.alloc[0].adapters = makeIdSet({5});
  EXPECT_TRUE(hasRule(verify(s), "requirement"));
}

TEST(Checker, AnyRequirementCountsAndFilters) {
  ir::SolvedPlan s = seed();
  s.plan.guests[1].adapters = any(1);
  s.plan.guests[1].adapters.mode = ir::CardMode::Accel;
  EXPECT_TRUE(hasRule(verify(s), "requirement"));  // adapter 5 is CCA
  s.plan.guests[1].adapters.mode = ir::CardMode::Cca;
  EXPECT_TRUE(verify(s).empty());
  s.plan.guests[1].adapters.count = 2;
  EXPECT_TRUE(hasRule(verify(s), "requirement"));
}

TEST(Checker, ReservedOfflineAndMissingQueues) {
  ir::SolvedPlan s = seed();
  s.plan.host.reservedQueues.insert(5, 0x47);
  s.apmask.set(5);
  s.aqmask.reset(4);
  s.aqmask.reset(0xab);
  s.aqmask.reset(0xff);
  EXPECT_TRUE(hasRule(verify(s), "reserved"));
  ir::SolvedPlan o = seed();
  o.plan.host.offlineQueues.insert(6, 4);
  EXPECT_TRUE(hasRule(verify(o), "exists"));
  ir::SolvedPlan m = seed();
  m.plan.host.usageDomains.reset(0xff);
  EXPECT_TRUE(hasRule(verify(m), "exists"));
}

TEST(Checker, ControlDomainsAreUsagePlusExtraInsideTheHost) {
  ir::SolvedPlan s = seed();
  s.alloc[0].controlDomains = makeIdSet({4});
  EXPECT_TRUE(hasRule(verify(s), "control"));
  ir::SolvedPlan t = seed();
  t.plan.guests[0].extraControlDomains = makeIdSet({0x10});
  t.alloc[0].controlDomains |= makeIdSet({0x10});
  EXPECT_TRUE(hasRule(verify(t), "control"));  // 0x10 is not a host control domain
}

TEST(Checker, ForeignControlUnlessAllowed) {
  ir::SolvedPlan s = seed();
  // Guest1 controls 0x47 on adapter 5, where queue 05.0047 is Guest2's.
  s.plan.host.controlDomains.set(0x47);
  s.plan.guests[0].extraControlDomains = makeIdSet({0x47});
  s.alloc[0].controlDomains |= makeIdSet({0x47});
  EXPECT_TRUE(hasRule(verify(s), "foreign-control"));
  s.plan.policy.allowForeignControl = true;
  EXPECT_TRUE(verify(s).empty());
}

TEST(Checker, ApartAndMaxGuestsPerAdapter) {
  ir::SolvedPlan s = seed();
  s.plan.apart.push_back({{0, 1}, {}, {}});
  EXPECT_TRUE(hasRule(verify(s), "apart"));
  ir::SolvedPlan m = seed();
  m.plan.policy.maxGuestsPerAdapter = 1;
  EXPECT_TRUE(hasRule(verify(m), "max-guests"));
}

TEST(Checker, ModernMasksMustReleaseGuestQueues) {
  ir::SolvedPlan s = seed();
  s.apmask.set(6);
  EXPECT_TRUE(hasRule(verify(s), "masks"));
  s.plan.host.interface = ir::Interface::Legacy;
  EXPECT_TRUE(verify(s).empty());
}

TEST(Checker, UuidsWellFormedUniqueAndAsWritten) {
  ir::SolvedPlan s = seed();
  s.alloc[1].uuid = s.alloc[0].uuid;
  EXPECT_TRUE(hasRule(verify(s), "uuid"));
  ir::SolvedPlan u = seed();
  u.alloc[0].uuid = "11111111-1111-5111-8111-11111111111G";
  EXPECT_TRUE(hasRule(verify(u), "uuid"));
  ir::SolvedPlan w = seed();
  w.plan.guests[0].uuid = "33333333-3333-5333-8333-333333333333";
  EXPECT_TRUE(hasRule(verify(w), "uuid"));
}

TEST(Checker, FormatLimits) {
  ir::SolvedPlan s = seed();
  s.plan.host.crycbFormat = 1;  // domains 0..15 only
  EXPECT_TRUE(hasRule(verify(s), "limit"));
}

}  // namespace
}  // namespace apc::checker
