// The solve's shared budgets (solver/budget.h): every component and every
// lock re-attempt draws from one pool per phase, so a plan of many hard
// components ends in a bounded, worded E204, never in a multiple of one
// component's time; what Z3 spends is charged from its own statistics.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "bench/family_plans.h"
#include "solver/budget.h"
#include "solver/checker/checker.h"
#include "solver/local_search.h"
#include "solver/model.h"
#include "solver/solve.h"

namespace apc::solver {
namespace {

// Local-search work units: enough to place most of K_16, not all of it.
constexpr std::uint64_t kCutShort = 40'000;

TEST(Budget, PoolsGrantWhatIsLeftAndPortionsAddUp) {
  WorkBudget b(100);
  EXPECT_EQ(b.grant(30), 30u);
  b.charge(80);
  EXPECT_EQ(b.grant(30), 20u);
  b.charge(50);  // an overshoot is counted, and nothing is left
  EXPECT_TRUE(b.exhausted());
  EXPECT_EQ(b.grant(30), 0u);
  EXPECT_EQ(b.spent(), 130u);

  BudgetTotals t;
  t.decide = 1000;
  SolveBudgets whole(t);
  SolveBudgets half = whole.portion(1, 2);
  EXPECT_EQ(half.decide.total(), 500u);
  half.decide.charge(400);
  whole.absorb(half);
  EXPECT_EQ(whole.decide.left(), 600u);
  EXPECT_EQ(whole.portion(1, 1).decide.total(), 600u);
}

// Three copies of Mycielski M_7 on 6 adapters (chromatic number 7, no
// counting argument): each copy alone is beyond the search. With small
// pools the whole solve spends at most them, every copy gets E204, and the
// copies after the pools ran dry say so, with the guests each could not place.
TEST(Budget, ManyHardComponentsShareOnePoolAndEndInWordedE204) {
  ir::Plan plan = bench::replicatedMycielskiPlan(7, 6, 3);
  SolveOptions opts;
  opts.budget.greedy = 20'000'000;
  opts.budget.decide = 30'000'000;
  opts.budget.localSearch = 3'000'000;
  opts.budget.z3 = 1'000'000;
  ir::DiagEngine diags;
  SolveResult r = solve(plan, opts, diags);
  ASSERT_EQ(r.status, SolveStatus::LimitReached);
  EXPECT_EQ(r.stats.components, 3u);
  // Within the pools, give or take one step's overshoot per call.
  EXPECT_LE(r.stats.decideWork, opts.budget.decide + 3'000'000);
  EXPECT_LE(r.stats.localSearchWork, opts.budget.localSearch + 300'000);
  EXPECT_LE(r.stats.greedyWork, opts.budget.greedy + 3 * 100'000);
  EXPECT_TRUE(r.stats.budgetExhausted);
  ASSERT_EQ(diags.all().size(), 3u);
  for (const ir::Diagnostic& d : diags.all()) {
    EXPECT_EQ(d.code, ir::DiagCode::SolverLimit);
    EXPECT_NE(d.message.find("could not prove that none exists"), std::string::npos) << d.message;
  }
  const std::string& last = diags.all().back().message;
  EXPECT_NE(last.find("y02_"), std::string::npos) << last;
  EXPECT_NE(last.find("the whole solve's work budget for "), std::string::npos) << last;
  EXPECT_NE(last.find(" is spent, over all its components"), std::string::npos) << last;
}

// The pool is shared by the lock's re-attempts too: five guests of a hard
// copy keep their (valid) locked matrices, the component ends in E204, the
// locked guests in its way are released and it is tried again. Both
// attempts together spend one pool, not one each.
TEST(Budget, LockReattemptsDrawFromTheSamePool) {
  ir::Plan plan = bench::replicatedMycielskiPlan(7, 6, 1);
  Lock lock;
  for (unsigned v = 0; v < 5; ++v) {
    char name[16];
    std::snprintf(name, sizeof name, "y00_%03u", v);
    lock.guests.push_back({name, ir::makeIdSet({v}), ir::makeIdSet({v}), ir::makeIdSet({v}), ""});
  }
  SolveOptions opts;
  opts.lock = &lock;
  opts.budget.greedy = 20'000'000;
  opts.budget.decide = 30'000'000;
  opts.budget.localSearch = 3'000'000;
  opts.budget.z3 = 1'000'000;
  ir::DiagEngine diags;
  SolveResult r = solve(plan, opts, diags);
  ASSERT_EQ(r.status, SolveStatus::LimitReached);
  EXPECT_GT(r.stats.decideWork, opts.budget.decide / 2 + 3'000'000) << "the re-attempt searched too";
  EXPECT_LE(r.stats.decideWork, opts.budget.decide + 3'000'000);
}

// Z3 on a subproblem completes what the local search leaves: K_16 with 15
// colours where 3 guests take any 2 adapters (too big for one Z3 model, no
// axis fixed for all), a local search cut short so some guests stay
// unplaced; Z3 on them and their neighbours finishes it, and its rlimit
// spend is charged to the solve's Z3 pool.
TEST(Budget, Z3SubproblemCompletesWhatTheLocalSearchLeaves) {
  ir::Plan plan = bench::completeGraphPlan(16, 15, bench::Side::Adapters);
  for (unsigned k = 0; k < 3; ++k) {
    plan.guests[k * 7].adapters.kind = ir::IdRequirement::Kind::Any;
    plan.guests[k * 7].adapters.count = 2;
  }
  detail::Model m = detail::buildModel(plan);
  std::vector<detail::GuestSpec> specs = m.guests;
  detail::State state;
  state.placed.resize(plan.guests.size());
  std::vector<std::size_t> comp;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    ASSERT_TRUE(detail::pruneCandidates(m, state, specs[i]));
    comp.push_back(i);
  }
  SolveBudgets budgets{BudgetTotals{}};
  detail::RepairOutcome out = detail::repairComponent(m, specs, comp, state, kCutShort, budgets, 1, true);
  ASSERT_TRUE(out.solved);
  EXPECT_TRUE(out.solvedBySubproblem);
  EXPECT_GE(out.subproblems, 1u);
  EXPECT_GT(out.z3Spent, 0u);
  EXPECT_EQ(budgets.z3.spent(), out.z3Spent);
  EXPECT_EQ(budgets.localSearch.spent(), out.work);
  ir::SolvedPlan solved;
  solved.plan = plan;
  solved.alloc.resize(plan.guests.size());
  for (std::size_t i = 0; i < plan.guests.size(); ++i) {
    ASSERT_TRUE(state.placed[i]);
    solved.alloc[i].adapters = state.placed[i]->adapters;
    solved.alloc[i].domains = state.placed[i]->domains;
    solved.alloc[i].controlDomains = state.placed[i]->domains;
  }
  // The rules on the allocation; host masks and UUIDs are solve()'s later steps.
  for (const checker::Violation& v : checker::verify(solved))
    if (v.rule != "masks" && v.rule != "uuid") ADD_FAILURE() << v.rule << ": " << v.message;
}

}  // namespace
}  // namespace apc::solver
