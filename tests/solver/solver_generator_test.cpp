// The shared plan generator: presets have the promised shape, the feasible
// ones solve and pass the checker, the infeasible ones are proved infeasible
// with the expected kind of error, and the output is deterministic.
#include <gtest/gtest.h>

#include "bench/plan_generator.h"
#include "solver/checker/checker.h"
#include "solver/solve.h"

namespace apc::solver {
namespace {

using bench::Preset;

SolveResult solvePreset(Preset p, ir::DiagEngine& diags) {
  ir::Plan plan = bench::generatePlan(p);
  return solve(plan, {}, diags);
}

class FeasiblePreset : public ::testing::TestWithParam<Preset> {};

TEST_P(FeasiblePreset, SolvesAndPassesTheChecker) {
  ir::DiagEngine diags;
  SolveResult r = solvePreset(GetParam(), diags);
  ASSERT_EQ(r.status, SolveStatus::Solved) << bench::presetName(GetParam())
                                           << (diags.all().empty() ? "" : ": " + diags.all().front().message);
  auto v = checker::verify(*r.solved);
  EXPECT_TRUE(v.empty()) << (v.empty() ? "" : v.front().message);
}

INSTANTIATE_TEST_SUITE_P(Presets, FeasiblePreset,
                         ::testing::Values(Preset::Small, Preset::Medium, Preset::Large, Preset::Tight),
                         [](const ::testing::TestParamInfo<Preset>& p) { return std::string(bench::presetName(p.param)); });

TEST(PlanGenerator, PresetShapes) {
  ir::Plan small = bench::generatePlan(Preset::Small);
  EXPECT_EQ(small.host.adapters.size(), 4u);
  EXPECT_EQ(small.host.usageDomains.count(), 16u);
  EXPECT_LE(small.guests.size(), 5u);
  EXPECT_GE(small.guests.size(), 3u);
  ir::Plan huge = bench::generatePlan(Preset::Huge);
  EXPECT_EQ(huge.host.adapters.size(), 256u);
  EXPECT_EQ(huge.host.usageDomains.count(), 256u);
  EXPECT_EQ(huge.guests.size(), 1000u);
  ir::Plan tight = bench::generatePlan(Preset::Tight);
  std::size_t demand = 0;
  for (const auto& g : tight.guests) demand += g.adapters.size() * g.domains.size();
  EXPECT_EQ(demand, tight.host.usableQueues().size());  // 100% used
  ir::Plan byOne = bench::generatePlan(Preset::InfeasibleByOne);
  std::size_t demand1 = 0;
  for (const auto& g : byOne.guests) demand1 += g.adapters.size() * g.domains.size();
  EXPECT_EQ(demand1, byOne.host.usableQueues().size() + 1);
}

TEST(PlanGenerator, IsDeterministicAndPrintsAp) {
  ir::Plan a = bench::generatePlan(Preset::Medium, 7), b = bench::generatePlan(Preset::Medium, 7);
  EXPECT_EQ(ir::dumpPlan(a), ir::dumpPlan(b));
  EXPECT_NE(ir::dumpPlan(a), ir::dumpPlan(bench::generatePlan(Preset::Medium, 8)));
  std::string ap = bench::planToAp(a);
  EXPECT_EQ(ap.rfind("host genhost {", 0), 0u);
  EXPECT_NE(ap.find("guest g0000 {"), std::string::npos);
}

TEST(PlanGenerator, InfeasibleByOneIsCountedAsDemandOverSupply) {
  ir::DiagEngine diags;
  SolveResult r = solvePreset(Preset::InfeasibleByOne, diags);
  EXPECT_EQ(r.status, SolveStatus::Infeasible);
  ASSERT_TRUE(diags.hasErrors());
  EXPECT_EQ(diags.all().front().code, ir::DiagCode::DemandExceedsSupply);
}

TEST(PlanGenerator, InfeasibleIdenticalIsProved) {
  ir::DiagEngine diags;
  SolveResult r = solvePreset(Preset::InfeasibleIdentical, diags);
  EXPECT_EQ(r.status, SolveStatus::Infeasible);
  ASSERT_TRUE(diags.hasErrors());
  EXPECT_EQ(diags.all().front().code, ir::DiagCode::Infeasible);
}

TEST(PlanGenerator, InfeasibleIdenticalIsProvedByZ3WithoutThePrechecks) {
  ir::Plan plan = bench::generatePlan(Preset::InfeasibleIdentical);
  SolveOptions opts;
  opts.countingPrechecks = false;
  ir::DiagEngine diags;
  SolveResult r = solve(plan, opts, diags);
  EXPECT_EQ(r.status, SolveStatus::Infeasible);
  ASSERT_TRUE(diags.hasErrors());
  const ir::Diagnostic& d = diags.all().front();
  EXPECT_EQ(d.code, ir::DiagCode::Infeasible);
  EXPECT_NE(d.message.find("g0000, g0001, g0002, g0003, g0004 and g0005"), std::string::npos) << d.message;
}

TEST(PlanGenerator, WithoutRestartsALargeTightComponentIsRepaired) {
  // Tight seed 5 needs one greedy restart and is too large for Z3, so with no
  // restarts allowed the local search around the greedy's failure places it
  // (solver/local_search.h); never a wrong "infeasible", checker clean.
  ir::Plan plan = bench::generatePlan(Preset::Tight, 5);
  SolveOptions opts;
  opts.greedyRestarts = 0;
  ir::DiagEngine diags;
  SolveResult r = solve(plan, opts, diags);
  ASSERT_EQ(r.status, SolveStatus::Solved);
  EXPECT_EQ(r.stats.solvedByRepair, 1u);
  EXPECT_TRUE(checker::verify(*r.solved).empty());
  ir::DiagEngine diags2;
  EXPECT_EQ(solve(plan, {}, diags2).status, SolveStatus::Solved);
}

}  // namespace
}  // namespace apc::solver
