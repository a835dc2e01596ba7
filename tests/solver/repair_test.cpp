// The repair around the greedy's failure (solver/local_search.h): K_m edge
// colourings with m - 1 colours where a few guests may take any 2 adapters
// (so no axis is fixed for all and the colouring search does not apply),
// too big for one Z3 model and beyond every greedy order tried; the local
// search finds them and the independent checker accepts the answer. With
// m - 2 colours the same plans are proved infeasible, never E204.
#include <gtest/gtest.h>

#include <string>

#include "bench/family_plans.h"
#include "solver/checker/checker.h"
#include "solver/solve.h"

namespace apc::solver {
namespace {

ir::Plan looseCompleteGraph(unsigned m, unsigned colours, unsigned loose) {
  ir::Plan plan = bench::completeGraphPlan(m, colours, bench::Side::Adapters);
  for (unsigned k = 0; k < loose; ++k) {
    ir::Guest& g = plan.guests[k * 7];
    g.adapters.kind = ir::IdRequirement::Kind::Any;
    g.adapters.count = 2;
  }
  return plan;
}

TEST(Repair, LocalSearchPlacesWhatTheGreedyCannot) {
  for (unsigned m : {16u, 18u})
    for (unsigned loose : {1u, 3u}) {
      ir::Plan plan = looseCompleteGraph(m, m - 1, loose);
      ir::DiagEngine diags;
      SolveResult r = solve(plan, SolveOptions{}, diags);
      std::string what = "K" + std::to_string(m) + " loose " + std::to_string(loose);
      ASSERT_EQ(r.status, SolveStatus::Solved) << what << ": " << (diags.all().empty() ? "" : diags.all()[0].message);
      EXPECT_EQ(r.stats.solvedByGreedy, 0u) << what << ": the family must defeat the greedy";
      EXPECT_EQ(r.stats.solvedByRepair, 1u) << what;
      auto v = checker::verify(*r.solved);
      EXPECT_TRUE(v.empty()) << what << ": " << (v.empty() ? "" : v.front().message);
      // Deterministic: the same answer twice.
      ir::DiagEngine again;
      SolveResult r2 = solve(plan, SolveOptions{}, again);
      ASSERT_EQ(r2.status, SolveStatus::Solved);
      for (std::size_t i = 0; i < plan.guests.size(); ++i) {
        EXPECT_EQ(r2.solved->alloc[i].adapters, r.solved->alloc[i].adapters) << what;
        EXPECT_EQ(r2.solved->alloc[i].domains, r.solved->alloc[i].domains) << what;
      }
    }
}

TEST(Repair, TooFewColoursBeyond48GuestsIsProved) {
  for (unsigned m : {16u, 18u}) {
    ir::Plan plan = looseCompleteGraph(m, m - 2, 3);
    ir::DiagEngine diags;
    SolveResult r = solve(plan, SolveOptions{}, diags);
    ASSERT_EQ(r.status, SolveStatus::Infeasible) << "K" << m;
    for (const ir::Diagnostic& d : diags.all()) EXPECT_NE(d.code, ir::DiagCode::SolverLimit) << "K" << m;
  }
}

}  // namespace
}  // namespace apc::solver
