// Lock file: JSON round trip and errors, and the stability promise: guests
// whose locked matrix is still valid keep it when others are added, removed
// or changed; --locked reports each guest that would move.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "solver/checker/checker.h"
#include "solver/lock.h"
#include "solver/solve.h"
#include "tests/solver/plan_builder.h"

namespace apc::solver {
namespace {

using ir::makeIdSet;
using testing::PlanBuilder;

PlanBuilder basePlan() {
  PlanBuilder b;
  for (unsigned a = 0; a < 4; ++a) b.adapter(a);
  b.domainRange(0, 15);
  b.anyGuest("web1", 2, 2);
  b.anyGuest("web2", 2, 2);
  b.anyGuest("db", 1, 4);
  b.anyGuest("batch", 2, 3);
  return b;
}

SolveResult solveOk(const ir::Plan& plan, const Lock* lock = nullptr, bool locked = false) {
  SolveOptions opts;
  opts.lock = lock;
  opts.locked = locked;
  ir::DiagEngine diags;
  SolveResult r = solve(plan, opts, diags);
  if (r.solved) {
    EXPECT_TRUE(checker::verify(*r.solved).empty());
  }
  return r;
}

Lock lockOf(const SolveResult& r) {
  std::string err;
  auto lock = parseLock(serializeLock(*r.solved, "hash-1"), err);
  EXPECT_TRUE(lock) << err;
  return *lock;
}

void expectKept(const SolveResult& before, const SolveResult& after, const std::string& name) {
  const auto& p = before.solved->plan;
  const auto& q = after.solved->plan;
  const auto& a = before.solved->alloc[*p.guestIndex(name)];
  const auto& b = after.solved->alloc[*q.guestIndex(name)];
  EXPECT_EQ(a.adapters, b.adapters) << name;
  EXPECT_EQ(a.domains, b.domains) << name;
  EXPECT_EQ(a.uuid, b.uuid) << name;
}

TEST(SolverLock, RoundTripIsSortedAndStable) {
  PlanBuilder b = basePlan();
  SolveResult r = solveOk(b.plan());
  ASSERT_TRUE(r.solved);
  std::string text = serializeLock(*r.solved, "abc123");
  EXPECT_EQ(text, serializeLock(*r.solved, "abc123"));
  std::string err;
  auto lock = parseLock(text, err);
  ASSERT_TRUE(lock) << err;
  EXPECT_EQ(lock->inputHash, "abc123");
  ASSERT_EQ(lock->guests.size(), 4u);
  EXPECT_EQ(lock->guests[0].name, "batch");  // sorted by name
  ASSERT_TRUE(lock->find("web2"));
  EXPECT_EQ(lock->find("web2")->adapters, r.solved->alloc[1].adapters);
  EXPECT_EQ(lock->find("web2")->uuid, r.solved->alloc[1].uuid);
  EXPECT_EQ(lock->find("nobody"), nullptr);
  // Keys come out sorted: "batch" before "db" before "web1".
  EXPECT_LT(text.find("\"batch\""), text.find("\"db\""));
  EXPECT_LT(text.find("\"db\""), text.find("\"web1\""));
}

TEST(SolverLock, ParseErrorsAreText) {
  std::string err;
  EXPECT_FALSE(parseLock("{not json", err));
  EXPECT_NE(err.find("JSON"), std::string::npos);
  EXPECT_FALSE(parseLock("{\"format\": 99, \"input_hash\": \"x\", \"guests\": {}}", err));
  EXPECT_NE(err.find("99"), std::string::npos);
  EXPECT_FALSE(parseLock("{\"format\": 1, \"input_hash\": \"x\", \"guests\": {\"g\": {\"adapters\": [300], "
                         "\"domains\": [], \"control_domains\": [], \"uuid\": \"u\"}}}",
                         err));
  EXPECT_NE(err.find("300"), std::string::npos);
  EXPECT_FALSE(parseLock("[]", err));
}

TEST(SolverLock, AddingAGuestKeepsTheOthers) {
  PlanBuilder b = basePlan();
  SolveResult first = solveOk(b.plan());
  ASSERT_TRUE(first.solved);
  Lock lock = lockOf(first);
  PlanBuilder b2 = basePlan();
  b2.anyGuest("aaa-new", 2, 2);  // sorts first by name: would go first without the lock
  SolveResult second = solveOk(b2.plan(), &lock);
  ASSERT_EQ(second.status, SolveStatus::Solved);
  for (const std::string n : {"web1", "web2", "db", "batch"}) expectKept(first, second, n);
  EXPECT_EQ(second.stats.keptFromLock, 4u);
  EXPECT_TRUE(second.moved.empty());
}

TEST(SolverLock, RemovingAGuestKeepsTheOthers) {
  PlanBuilder b = basePlan();
  SolveResult first = solveOk(b.plan());
  Lock lock = lockOf(first);
  PlanBuilder b2;
  for (unsigned a = 0; a < 4; ++a) b2.adapter(a);
  b2.domainRange(0, 15);
  b2.anyGuest("web2", 2, 2);
  b2.anyGuest("db", 1, 4);
  b2.anyGuest("batch", 2, 3);
  SolveResult second = solveOk(b2.plan(), &lock);
  ASSERT_EQ(second.status, SolveStatus::Solved);
  for (const std::string n : {"web2", "db", "batch"}) expectKept(first, second, n);
}

TEST(SolverLock, ChangingARequirementMovesOnlyThatGuest) {
  PlanBuilder b = basePlan();
  SolveResult first = solveOk(b.plan());
  Lock lock = lockOf(first);
  PlanBuilder b2 = basePlan();
  b2.plan().guests[2].domains.count = 2;  // db: any 1 x any 2 now (it gives up queues: a move)
  SolveOptions opts;
  opts.lock = &lock;
  ir::DiagEngine diags;
  SolveResult second = solve(b2.plan(), opts, diags);
  ASSERT_EQ(second.status, SolveStatus::Solved);
  for (const std::string n : {"web1", "web2", "batch"}) expectKept(first, second, n);
  ASSERT_EQ(second.moved, std::vector<std::string>{"db"});
  EXPECT_EQ(second.solved->alloc[2].uuid, first.solved->alloc[2].uuid);  // the lock's UUID stays
  bool warned = false;
  for (const auto& d : diags.all())
    if (d.code == ir::DiagCode::GuestMoved) warned = d.range == b2.plan().guests[2].range;
  EXPECT_TRUE(warned);
}

TEST(SolverLock, LockedModeReportsEachGuestThatWouldMove) {
  PlanBuilder b = basePlan();
  SolveResult first = solveOk(b.plan());
  Lock lock = lockOf(first);
  PlanBuilder b2 = basePlan();
  b2.plan().guests[2].domains.count = 2;
  SolveOptions opts;
  opts.lock = &lock;
  opts.locked = true;
  ir::DiagEngine diags;
  SolveResult second = solve(b2.plan(), opts, diags);
  EXPECT_EQ(second.status, SolveStatus::LockedMoves);
  EXPECT_EQ(second.moved, std::vector<std::string>{"db"});
  ASSERT_EQ(diags.errorCount(), 1u);
  const ir::Diagnostic& d = diags.all().back();
  EXPECT_EQ(d.code, ir::DiagCode::LockedWouldMove);
  EXPECT_EQ(d.range, b2.plan().guests[2].range);
  EXPECT_NE(d.message.find("db"), std::string::npos);
  // Unchanged plan under --locked: solved, nothing moves.
  ir::DiagEngine diags2;
  SolveOptions same = opts;
  SolveResult third = solve(b.plan(), same, diags2);
  EXPECT_EQ(third.status, SolveStatus::Solved);
  EXPECT_FALSE(diags2.hasErrors());
}

// Issue 11: a guest that only grows keeps every locked queue, so nobody
// loses one: --locked lets it pass, and the warning says "grows".
TEST(SolverLock, PureGrowthIsNotAMoveEvenWhenLocked) {
  PlanBuilder b = basePlan();
  SolveResult first = solveOk(b.plan());
  Lock lock = lockOf(first);
  PlanBuilder b2 = basePlan();
  b2.plan().guests[2].domains.count = 5;  // db: any 1 x any 5, a superset fits
  SolveOptions opts;
  opts.lock = &lock;
  opts.locked = true;
  ir::DiagEngine diags;
  SolveResult second = solve(b2.plan(), opts, diags);
  ASSERT_EQ(second.status, SolveStatus::Solved);
  EXPECT_TRUE(second.moved.empty());
  EXPECT_EQ(diags.errorCount(), 0u);
  const ir::GuestAllocation& db = second.solved->alloc[2];
  const LockedGuest* was = lock.find("db");
  ASSERT_NE(was, nullptr);
  EXPECT_TRUE((was->domains & ~db.domains).none() && (was->adapters & ~db.adapters).none());
  bool grew = false;
  for (const auto& d : diags.all())
    grew |= d.code == ir::DiagCode::GuestMoved && d.message.find("db grows") != std::string::npos;
  EXPECT_TRUE(grew);
}

TEST(SolverLock, AnExplicitNewcomerDisplacesOnlyTheGuestInItsWay) {
  PlanBuilder b = basePlan();
  SolveResult first = solveOk(b.plan());
  Lock lock = lockOf(first);
  const auto& web1 = first.solved->alloc[0];
  unsigned a = ir::toVector(web1.adapters)[0], d = ir::toVector(web1.domains)[0];
  PlanBuilder b2 = basePlan();
  b2.exactGuest("pinned", {a}, {d});
  SolveResult second = solveOk(b2.plan(), &lock);
  ASSERT_EQ(second.status, SolveStatus::Solved);
  EXPECT_EQ(second.moved, std::vector<std::string>{"web1"});
  for (const std::string n : {"web2", "db", "batch"}) expectKept(first, second, n);
}

TEST(SolverLock, ALockedGuestGivesWayWhenANewcomerCannotFitOtherwise) {
  PlanBuilder b;
  b.adapter(0).domainRange(0, 1);
  b.anyGuest("a", 1, 1);
  SolveResult first = solveOk(b.plan());
  ASSERT_TRUE(first.solved);
  Lock lock = lockOf(first);
  unsigned d = ir::toVector(first.solved->alloc[0].domains)[0];
  PlanBuilder b2;
  b2.adapter(0).domainRange(0, 1);
  b2.anyGuest("a", 1, 1);
  ir::Guest& n = b2.anyGuest("newcomer", 1, 1);
  n.domains.kind = ir::IdRequirement::Kind::Exact;
  n.domains.exact = makeIdSet({d});
  SolveResult second = solveOk(b2.plan(), &lock);
  ASSERT_EQ(second.status, SolveStatus::Solved);
  EXPECT_EQ(second.moved, std::vector<std::string>{"a"});
  EXPECT_EQ(second.solved->alloc[0].domains, makeIdSet({1 - d}));
  EXPECT_EQ(second.solved->alloc[0].uuid, first.solved->alloc[0].uuid);
}

TEST(SolverLock, LockUuidIsKeptWhenThePlanHasNone) {
  PlanBuilder b = basePlan();
  SolveResult first = solveOk(b.plan());
  Lock lock = lockOf(first);
  for (auto& g : lock.guests)
    if (g.name == "db") g.uuid = "0d5c9e3a-7e55-4bd1-9d4b-0a6c1f2e3d4c";
  SolveResult second = solveOk(b.plan(), &lock);
  ASSERT_TRUE(second.solved);
  EXPECT_EQ(second.solved->alloc[2].uuid, "0d5c9e3a-7e55-4bd1-9d4b-0a6c1f2e3d4c");
}

}  // namespace
}  // namespace apc::solver
