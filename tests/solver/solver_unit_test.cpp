// Unit tests of the solver, one group per constraint kind, plus the seed
// example's exact matrices, masks, UUIDs and the wording of its errors.
#include <gtest/gtest.h>

#include <algorithm>

#include "solver/checker/checker.h"
#include "solver/lock.h"
#include "solver/solve.h"
#include "tests/solver/plan_builder.h"

namespace apc::solver {
namespace {

using ir::CardMode;
using ir::makeIdSet;
using testing::PlanBuilder;

SolveResult run(const ir::Plan& plan, ir::DiagEngine& diags, SolveOptions opts = {}) {
  SolveResult r = solve(plan, opts, diags);
  if (r.solved) {
    auto violations = checker::verify(*r.solved);
    for (const auto& v : violations) ADD_FAILURE() << "checker: " << v.rule << ": " << v.message;
  }
  for (const ir::Diagnostic& d : diags.all()) {
    EXPECT_EQ(d.message.find("unsat"), std::string::npos) << d.message;
    EXPECT_EQ(d.message.find("UNSAT"), std::string::npos) << d.message;
  }
  return r;
}

const ir::Diagnostic* firstError(const ir::DiagEngine& diags) {
  for (const ir::Diagnostic& d : diags.all())
    if (d.severity == ir::Severity::Error) return &d;
  return nullptr;
}

const ir::GuestAllocation& allocOf(const SolveResult& r, const std::string& name) {
  return r.solved->alloc[*r.solved->plan.guestIndex(name)];
}

PlanBuilder seedPlan() {
  PlanBuilder b("lpar");
  b.adapter(0x05, CardMode::Cca, 5).adapter(0x06, CardMode::Accel, 5).domains({0x04, 0x47, 0xab, 0xff});
  b.exactGuest("Guest1", {0x05, 0x06}, {0x04, 0xab});
  b.exactGuest("Guest2", {0x05}, {0x47, 0xff});
  return b;
}

TEST(SolverSeed, GivesTheDesignDocumentsMatrices) {
  PlanBuilder b = seedPlan();
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  ASSERT_EQ(r.status, SolveStatus::Solved);
  const auto& g1 = allocOf(r, "Guest1");
  const auto& g2 = allocOf(r, "Guest2");
  EXPECT_EQ(g1.adapters, makeIdSet({5, 6}));
  EXPECT_EQ(g1.domains, makeIdSet({0x04, 0xab}));
  EXPECT_EQ(g1.controlDomains, makeIdSet({0x04, 0xab}));
  EXPECT_EQ(g2.adapters, makeIdSet({5}));
  EXPECT_EQ(g2.domains, makeIdSet({0x47, 0xff}));
  EXPECT_EQ(g1.uuid, deriveUuid("lpar", "Guest1"));
  EXPECT_FALSE(diags.hasErrors());
}

TEST(SolverSeed, HostMasksKeepTheUnusedQueues) {
  PlanBuilder b = seedPlan();
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  ASSERT_TRUE(r.solved);
  // Unused queues 06.0047 and 06.00ff: apmask keeps 6 (not 5), aqmask keeps
  // 0x47 and 0xff but not 4 or 0xab.
  EXPECT_TRUE(r.solved->apmask.test(6));
  EXPECT_FALSE(r.solved->apmask.test(5));
  EXPECT_TRUE(r.solved->aqmask.test(0x47));
  EXPECT_TRUE(r.solved->aqmask.test(0xff));
  EXPECT_FALSE(r.solved->aqmask.test(0x04));
  EXPECT_FALSE(r.solved->aqmask.test(0xab));
  EXPECT_EQ(r.solved->hostKeptQueues().size(), 2u);
}

TEST(SolverSeed, InvalidExampleNamesBothGuestsAndTheQueue) {
  PlanBuilder b("lpar");
  b.adapter(1).adapter(2).domains({5, 6, 7});
  b.exactGuest("Guest1", {1, 2}, {5, 6});
  b.exactGuest("Guest2", {1}, {6, 7});
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  EXPECT_EQ(r.status, SolveStatus::Infeasible);
  const ir::Diagnostic* d = firstError(diags);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->code, ir::DiagCode::Infeasible);
  EXPECT_EQ(d->range, b.plan().guests[1].range);
  EXPECT_NE(d->message.find("Guest1"), std::string::npos) << d->message;
  EXPECT_NE(d->message.find("01.0006"), std::string::npos) << d->message;
  ASSERT_GE(d->notes.size(), 2u);
}

TEST(SolverUuid, IsRfc4122Version5OfHostAndGuest) {
  // Reference value computed independently with Python's uuid.uuid5 over the
  // apc namespace 4023f29f-2362-5061-8775-177c27bf60e8 and "lpar/Guest1".
  EXPECT_EQ(deriveUuid("lpar", "Guest1"), "c6831b52-c105-5217-abd0-88747f255c15");
  EXPECT_NE(deriveUuid("lpar", "Guest1"), deriveUuid("lpar", "Guest2"));
  EXPECT_NE(deriveUuid("lpar", "Guest1"), deriveUuid("lpar2", "Guest1"));
}

// Found by the frontend fuzzer: a plan uuid equal to the uuid apc derives for
// another guest made the checker fail (exit 3). It is the plan's error (E117)
// at the explicit uuid, and nothing is solved.
TEST(SolverUuid, PlanUuidEqualToAnotherGuestsDerivedOneIsAPlanError) {
  PlanBuilder b = seedPlan();
  b.plan().guests[1].uuid = deriveUuid("lpar", "Guest1");
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  EXPECT_NE(r.status, SolveStatus::Solved);
  EXPECT_FALSE(r.solved);
  const ir::Diagnostic* d = firstError(diags);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->code, ir::DiagCode::DuplicateUuid);
  EXPECT_NE(d->message.find("'Guest2' and 'Guest1' would share uuid " + deriveUuid("lpar", "Guest1")), std::string::npos)
      << d->message;
  EXPECT_NE(d->message.find("the plan gives it to 'Guest2'"), std::string::npos) << d->message;
  ASSERT_EQ(d->notes.size(), 1u);
  EXPECT_NE(d->notes[0].message.find("apc derives it for 'Guest1'"), std::string::npos) << d->notes[0].message;
}

// The same with the other guest's uuid coming from the lock.
TEST(SolverUuid, PlanUuidEqualToAnotherGuestsLockedOneIsAPlanError) {
  PlanBuilder b = seedPlan();
  const std::string taken = "6c4a3f0e-1d2b-4c3a-9e8f-0123456789ab";
  b.plan().guests[1].uuid = taken;
  Lock lock;
  lock.guests.push_back({"Guest1", makeIdSet({0x05, 0x06}), makeIdSet({0x04, 0xab}), makeIdSet({0x04, 0xab}), taken});
  SolveOptions opts;
  opts.lock = &lock;
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags, opts);
  EXPECT_FALSE(r.solved);
  const ir::Diagnostic* d = firstError(diags);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->code, ir::DiagCode::DuplicateUuid);
  ASSERT_EQ(d->notes.size(), 1u);
  EXPECT_NE(d->notes[0].message.find("the lock gives it to 'Guest1'"), std::string::npos) << d->notes[0].message;
}

TEST(SolverUuid, PlanUuidWins) {
  PlanBuilder b = seedPlan();
  b.plan().guests[0].uuid = "6c4a3f0e-1d2b-4c3a-9e8f-0123456789ab";
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  ASSERT_TRUE(r.solved);
  EXPECT_EQ(r.solved->alloc[0].uuid, "6c4a3f0e-1d2b-4c3a-9e8f-0123456789ab");
}

TEST(SolverHost, NoGuestsLeavesEverythingWithTheHost) {
  PlanBuilder b;
  b.adapter(0).adapter(1).domainRange(0, 3);
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  ASSERT_EQ(r.status, SolveStatus::Solved);
  EXPECT_EQ(r.solved->hostKeptQueues().size(), 8u);
  EXPECT_EQ(r.solved->apmask.count(), 256u);
}

TEST(SolverHost, FormatZeroMasksStayWithinTheFormatsWidth) {
  PlanBuilder b;
  b.plan().host.crycbFormat = 1;
  b.adapter(0).adapter(1).domainRange(0, 3);
  b.anyGuest("g", 1, 2);
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  ASSERT_TRUE(r.solved);
  EXPECT_NO_THROW(ir::formatMask(r.solved->apmask, 64));
  EXPECT_NO_THROW(ir::formatMask(r.solved->aqmask, 16));
}

TEST(SolverAny, ModeFilterPicksOnlyThatMode) {
  PlanBuilder b;
  b.adapter(0, CardMode::Cca).adapter(1, CardMode::Cca).adapter(2, CardMode::Ep11).adapter(3, CardMode::Accel);
  b.domainRange(0, 3);
  b.anyGuest("acc", 1, 2, CardMode::Accel);
  b.anyGuest("cca", 2, 2, CardMode::Cca);
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  ASSERT_EQ(r.status, SolveStatus::Solved);
  EXPECT_EQ(allocOf(r, "acc").adapters, makeIdSet({3}));
  EXPECT_EQ(allocOf(r, "cca").adapters, makeIdSet({0, 1}));
  EXPECT_EQ(allocOf(r, "cca").domains.count(), 2u);
}

TEST(SolverAny, TooFewAdaptersOfAModeIsAnErrorAtTheGuest) {
  PlanBuilder b;
  b.adapter(0, CardMode::Cca).adapter(1, CardMode::Ep11).domainRange(0, 3);
  b.anyGuest("hsm", 2, 1, CardMode::Ep11);
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  EXPECT_EQ(r.status, SolveStatus::Infeasible);
  const ir::Diagnostic* d = firstError(diags);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->range, b.plan().guests[0].range);
  EXPECT_NE(d->message.find("hsm"), std::string::npos);
  EXPECT_NE(d->message.find("2 EP11 adapters"), std::string::npos) << d->message;
}

TEST(SolverAny, InFilterAndTypeFilter) {
  PlanBuilder b;
  b.adapter(0, CardMode::Cca, 7).adapter(1, CardMode::Cca, 8).adapter(2, CardMode::Cca, 8).domainRange(0, 15);
  ir::Guest& g = b.anyGuest("g", 1, 2);
  g.adapters.types = {ir::AdapterType{8, CardMode::Cca}};
  g.domains.in = makeIdSet({9, 12, 13});
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  ASSERT_EQ(r.status, SolveStatus::Solved);
  const auto& a = allocOf(r, "g");
  EXPECT_FALSE(a.adapters.test(0));
  EXPECT_EQ((a.domains & ~makeIdSet({9, 12, 13})).count(), 0u);
}

TEST(SolverAny, MixedExactAndAny) {
  PlanBuilder b;
  b.adapter(0).adapter(1).adapter(2).domainRange(0, 3);
  b.exactGuest("fixed", {0, 1}, {0, 1});
  ir::Guest& e = b.anyGuest("exactAdapters", 2, 2);
  e.adapters.kind = ir::IdRequirement::Kind::Exact;
  e.adapters.exact = makeIdSet({0, 1});
  ir::Guest& f = b.anyGuest("exactDomains", 1, 2);
  f.domains.kind = ir::IdRequirement::Kind::Exact;
  f.domains.exact = makeIdSet({0, 1});
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  ASSERT_EQ(r.status, SolveStatus::Solved);
  EXPECT_EQ(allocOf(r, "exactAdapters").domains, makeIdSet({2, 3}));
  EXPECT_EQ(allocOf(r, "exactDomains").adapters, makeIdSet({2}));
}

TEST(SolverHost, ReservedAndOfflineQueuesAreNeverGiven) {
  PlanBuilder b("h", ir::Interface::Legacy);
  b.adapter(0).adapter(1).domainRange(0, 1);
  b.reserve(0, 0).offline(1, 1);
  b.anyGuest("a", 1, 1);
  b.anyGuest("b", 1, 1);
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  ASSERT_EQ(r.status, SolveStatus::Solved);
  for (const auto& a : r.solved->alloc) {
    EXPECT_FALSE(a.adapters.test(0) && a.domains.test(0));
    EXPECT_FALSE(a.adapters.test(1) && a.domains.test(1));
  }
  // Legacy: masks are all ones within the format.
  EXPECT_EQ(r.solved->apmask.count(), 256u);
}

TEST(SolverHost, ModernCrossProductForbidsQueuesOfReservedRowsAndColumns) {
  PlanBuilder b;
  b.adapter(0).adapter(1).adapter(2).domainRange(0, 2);
  b.reserve(0, 0).reserve(1, 1);
  b.anyGuest("g", 2, 1);
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  ASSERT_EQ(r.status, SolveStatus::Solved);
  const auto& a = allocOf(r, "g");
  // (0,1) and (1,0) stay with the host although nobody reserved them.
  for (unsigned ad : {0u, 1u})
    for (unsigned d : {0u, 1u}) EXPECT_FALSE(a.adapters.test(ad) && a.domains.test(d));
  bool warned = false;
  for (const auto& d : diags.all())
    if (d.code == ir::DiagCode::HostKeepsExtraQueues) {
      warned = true;
      EXPECT_EQ(d.range, b.plan().host.reserve[0].range);
      EXPECT_NE(d.message.find("00.0001"), std::string::npos) << d.message;
    }
  EXPECT_TRUE(warned);
  EXPECT_TRUE(r.solved->apmask.test(0) && r.solved->apmask.test(1));
  EXPECT_TRUE(r.solved->aqmask.test(0) && r.solved->aqmask.test(1));
}

TEST(SolverHost, ExplicitQueueInTheCrossProductIsE205AtTheReserveLine) {
  PlanBuilder b;
  b.adapter(0).adapter(1).domainRange(0, 1);
  b.reserve(0, 0).reserve(1, 1);
  b.exactGuest("g", {0}, {1});
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  EXPECT_EQ(r.status, SolveStatus::Infeasible);
  const ir::Diagnostic* d = firstError(diags);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->code, ir::DiagCode::HostMasksImpossible);
  EXPECT_EQ(d->range, b.plan().host.reserve[0].range);
  EXPECT_NE(d->message.find("00.0001"), std::string::npos) << d->message;
}

TEST(SolverHost, LegacyAllowsTheCrossProductQueue) {
  PlanBuilder b("h", ir::Interface::Legacy);
  b.adapter(0).adapter(1).domainRange(0, 1);
  b.reserve(0, 0).reserve(1, 1);
  b.exactGuest("g", {0}, {1});
  ir::DiagEngine diags;
  EXPECT_EQ(run(b.plan(), diags).status, SolveStatus::Solved);
}

TEST(SolverHost, UsageDomainOutsideHostControlDomainsIsNotUsed) {
  PlanBuilder b;
  b.adapter(0).domainRange(0, 3);
  b.plan().host.controlDomains = makeIdSet({0, 1, 2});
  b.plan().host.controlDomainsExplicit = true;
  b.anyGuest("g", 1, 3);
  b.anyGuest("h", 1, 1);
  ir::DiagEngine diags;
  EXPECT_EQ(run(b.plan(), diags).status, SolveStatus::Infeasible);
}

TEST(SolverApart, ApartGuestsGetDifferentAdapters) {
  PlanBuilder b;
  b.adapter(0).adapter(1).domainRange(0, 7);
  b.anyGuest("web1", 1, 1);
  b.anyGuest("web2", 1, 1);
  b.apart({"web1", "web2"});
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  ASSERT_EQ(r.status, SolveStatus::Solved);
  EXPECT_TRUE((allocOf(r, "web1").adapters & allocOf(r, "web2").adapters).none());
}

TEST(SolverApart, ThreeApartOnTwoAdaptersNamesTheGroup) {
  PlanBuilder b;
  b.adapter(0).adapter(1).domainRange(0, 7);
  b.anyGuest("web1", 1, 1);
  b.anyGuest("web2", 1, 1);
  b.anyGuest("web3", 1, 1);
  b.anyGuest("other", 1, 1);
  b.apart({"web1", "web2", "web3"});
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  EXPECT_EQ(r.status, SolveStatus::Infeasible);
  const ir::Diagnostic* d = firstError(diags);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->code, ir::DiagCode::Infeasible);
  EXPECT_NE(d->message.find("web1, web2 and web3"), std::string::npos) << d->message;
  EXPECT_EQ(d->message.find("other"), std::string::npos) << "core not minimal: " << d->message;
  bool apartNote = std::any_of(d->notes.begin(), d->notes.end(),
                               [&](const ir::DiagNote& n) { return n.range == b.plan().apart[0].range; });
  EXPECT_TRUE(apartNote);
}

TEST(SolverPolicy, MaxGuestsPerAdapterSpreadsGuests) {
  PlanBuilder b;
  b.adapter(0).adapter(1).domainRange(0, 7);
  b.maxGuestsPerAdapter(1);
  b.anyGuest("a", 1, 1);
  b.anyGuest("b", 1, 1);
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  ASSERT_EQ(r.status, SolveStatus::Solved);
  EXPECT_TRUE((allocOf(r, "a").adapters & allocOf(r, "b").adapters).none());
}

TEST(SolverPolicy, MaxGuestsPerAdapterShortfallIsCounted) {
  PlanBuilder b;
  b.adapter(0).adapter(1).domainRange(0, 7);
  b.maxGuestsPerAdapter(1);
  b.anyGuest("a", 1, 1);
  b.anyGuest("b", 1, 1);
  b.anyGuest("c", 1, 1);
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  EXPECT_EQ(r.status, SolveStatus::Infeasible);
  const ir::Diagnostic* d = firstError(diags);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->code, ir::DiagCode::DemandExceedsSupply);
  EXPECT_NE(d->message.find("a, b and c"), std::string::npos) << d->message;
}

TEST(SolverForeignControl, DeniedByDefault) {
  PlanBuilder b;
  b.adapter(0).domainRange(1, 3);
  ir::Guest& owner = b.exactGuest("owner", {0}, {1});
  owner.extraControlDomains = makeIdSet({2});
  b.anyGuest("other", 1, 1);
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  ASSERT_EQ(r.status, SolveStatus::Solved);
  EXPECT_EQ(allocOf(r, "other").domains, makeIdSet({3}));
  EXPECT_EQ(allocOf(r, "owner").controlDomains, makeIdSet({1, 2}));
}

TEST(SolverForeignControl, NoRoomWhenDenied_FitsWhenAllowed) {
  for (bool allow : {false, true}) {
    PlanBuilder b;
    b.adapter(0).domainRange(1, 2);
    ir::Guest& owner = b.exactGuest("owner", {0}, {1});
    owner.extraControlDomains = makeIdSet({2});
    b.anyGuest("other", 1, 1);
    if (allow) b.allowForeignControl();
    ir::DiagEngine diags;
    SolveResult r = run(b.plan(), diags);
    EXPECT_EQ(r.status, allow ? SolveStatus::Solved : SolveStatus::Infeasible) << allow;
  }
}

TEST(SolverInfeasible, DemandExceedsSupplyIsE202WithNotesAtEachRequirement) {
  PlanBuilder b;
  b.adapter(0).adapter(1).domainRange(0, 3);
  b.anyGuest("a", 2, 2);
  b.anyGuest("b", 2, 2);
  b.anyGuest("c", 1, 1);
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  EXPECT_EQ(r.status, SolveStatus::Infeasible);
  const ir::Diagnostic* d = firstError(diags);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->code, ir::DiagCode::DemandExceedsSupply);
  EXPECT_NE(d->message.find("9 queues"), std::string::npos) << d->message;
  EXPECT_NE(d->message.find("only 8"), std::string::npos) << d->message;
  ASSERT_EQ(d->notes.size(), 3u);
  EXPECT_EQ(d->notes[0].range, b.plan().guests[0].adapters.range);
}

TEST(SolverInfeasible, IdenticalGuestsThatCountsAllowAreProvedWithAllSixNamed) {
  PlanBuilder b;
  for (unsigned a = 0; a < 7; ++a) b.adapter(a);
  b.domainRange(0, 15);
  for (int i = 1; i <= 6; ++i) b.anyGuest("hsm" + std::to_string(i), 4, 3).templateName = "hsm";
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags);
  EXPECT_EQ(r.status, SolveStatus::Infeasible);
  const ir::Diagnostic* d = firstError(diags);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->code, ir::DiagCode::Infeasible);
  EXPECT_NE(d->message.find("hsm1, hsm2, hsm3, hsm4, hsm5 and hsm6"), std::string::npos) << d->message;
}

TEST(SolverInfeasible, FiveIdenticalGuestsFit) {
  PlanBuilder b;
  for (unsigned a = 0; a < 7; ++a) b.adapter(a);
  b.domainRange(0, 15);
  for (int i = 1; i <= 5; ++i) b.anyGuest("hsm" + std::to_string(i), 4, 3);
  ir::DiagEngine diags;
  EXPECT_EQ(run(b.plan(), diags).status, SolveStatus::Solved);
}

TEST(SolverPinned, PinnedGuestKeepsItsAllocation) {
  PlanBuilder b;
  b.adapter(0).adapter(1).domainRange(0, 3);
  b.anyGuest("a", 1, 2);
  b.anyGuest("b", 1, 2);
  SolveOptions opts;
  opts.pinned.resize(2);
  ir::GuestAllocation pin;
  pin.adapters = makeIdSet({1});
  pin.domains = makeIdSet({2, 3});
  opts.pinned[0] = pin;
  ir::DiagEngine diags;
  SolveResult r = run(b.plan(), diags, opts);
  ASSERT_EQ(r.status, SolveStatus::Solved);
  EXPECT_EQ(allocOf(r, "a").adapters, makeIdSet({1}));
  EXPECT_EQ(allocOf(r, "a").domains, makeIdSet({2, 3}));
}

TEST(SolverDeterminism, DeclarationOrderDoesNotChangeTheAnswer) {
  auto build = [](bool reversed) {
    PlanBuilder b;
    b.adapter(0).adapter(1).adapter(2).domainRange(0, 9);
    std::vector<std::string> names = {"alpha", "beta", "gamma", "delta"};
    if (reversed) std::reverse(names.begin(), names.end());
    for (const auto& n : names) b.anyGuest(n, 2, 2);
    return b;
  };
  PlanBuilder b1 = build(false), b2 = build(true);
  ir::DiagEngine d1, d2;
  SolveResult r1 = run(b1.plan(), d1), r2 = run(b2.plan(), d2);
  ASSERT_TRUE(r1.solved && r2.solved);
  for (const std::string n : {"alpha", "beta", "gamma", "delta"}) {
    EXPECT_EQ(allocOf(r1, n).adapters, allocOf(r2, n).adapters) << n;
    EXPECT_EQ(allocOf(r1, n).domains, allocOf(r2, n).domains) << n;
  }
  EXPECT_EQ(r1.solved->apmask, r2.solved->apmask);
}

}  // namespace
}  // namespace apc::solver
