// Plans whose answer graph theory knows (issue 10): edge colourings of K_m
// on both axes, rings of exact adapter pairs, apart groups along cycles and
// on Mycielski graphs. Each must be decided (never E204), correctly, and
// every allocation must pass the independent checker.
#include <gtest/gtest.h>

#include <string>

#include "bench/family_plans.h"
#include "solver/checker/checker.h"
#include "solver/solve.h"

namespace apc::solver {
namespace {

using bench::Side;

struct Case {
  std::string name;
  ir::Plan plan;
  bool feasible;
};

void expectDecided(const Case& c) {
  ir::DiagEngine diags;
  SolveResult r = solve(c.plan, {}, diags);
  std::string first = diags.all().empty() ? "" : diags.all().front().message;
  if (c.feasible) {
    ASSERT_EQ(r.status, SolveStatus::Solved) << c.name << ": " << first;
    auto v = checker::verify(*r.solved);
    EXPECT_TRUE(v.empty()) << c.name << ": " << (v.empty() ? "" : v.front().message);
  } else {
    ASSERT_EQ(r.status, SolveStatus::Infeasible) << c.name << ": " << first;
    ASSERT_FALSE(diags.all().empty());
    for (const ir::Diagnostic& d : diags.all()) EXPECT_NE(d.code, ir::DiagCode::SolverLimit) << c.name;
  }
}

bool kmColourable(unsigned m, unsigned colours) { return colours >= (m % 2 == 0 ? m - 1 : m); }

TEST(Families, EdgeColouringsOfCompleteGraphsOnBothSides) {
  for (Side side : {Side::Adapters, Side::Domains})
    for (unsigned m = 3; m <= 12; ++m)
      for (unsigned colours : {m - 1, m}) {
        std::string name = std::string(side == Side::Adapters ? "adapters" : "domains") + " K" +
                           std::to_string(m) + " with " + std::to_string(colours);
        expectDecided({name, bench::completeGraphPlan(m, colours, side), kmColourable(m, colours)});
      }
}

TEST(Families, RingsOfAdapterPairsByParity) {
  for (unsigned n = 3; n <= 101; n += (n < 24 ? 1 : 11))
    expectDecided({"ring " + std::to_string(n), bench::ringPlan(n), n % 2 == 0});
  expectDecided({"ring 49", bench::ringPlan(49), false});
  expectDecided({"ring 100", bench::ringPlan(100), true});
  expectDecided({"ring 101", bench::ringPlan(101), false});
}

TEST(Families, ApartAlongCycles) {
  for (unsigned n : {3u, 4u, 5u, 9u, 20u, 49u, 50u, 101u}) {
    expectDecided({"apart cycle " + std::to_string(n) + " on 2", bench::apartCyclePlan(n, 2), n % 2 == 0});
    expectDecided({"apart cycle " + std::to_string(n) + " on 3", bench::apartCyclePlan(n, 3), true});
  }
}

TEST(Families, ApartOnMycielskiGraphs) {
  EXPECT_EQ(bench::mycielskiVertices(4), 11u);
  EXPECT_EQ(bench::mycielskiVertices(5), 23u);
  for (unsigned k = 3; k <= 5; ++k) {
    expectDecided({"Mycielski " + std::to_string(k) + " on " + std::to_string(k - 1),
                   bench::mycielskiPlan(k, k - 1), false});
    expectDecided({"Mycielski " + std::to_string(k) + " on " + std::to_string(k), bench::mycielskiPlan(k, k), true});
  }
}

// The parity proof names its reason and the guests in plain words.
TEST(Families, ParityProofSaysWhy) {
  ir::DiagEngine diags;
  SolveResult r = solve(bench::completeGraphPlan(9, 8, Side::Adapters), {}, diags);
  ASSERT_EQ(r.status, SolveStatus::Infeasible);
  ASSERT_EQ(diags.all().size(), 1u);
  const std::string& msg = diags.all().front().message;
  EXPECT_NE(msg.find("k00_01"), std::string::npos) << msg;
  EXPECT_NE(msg.find("share no adapter"), std::string::npos) << msg;
  EXPECT_NE(msg.find("9 free adapters"), std::string::npos) << msg;
  EXPECT_NE(msg.find("at most 64 of the 72 queues"), std::string::npos) << msg;
}

// A cycle proved by search names exactly its guests (the core is the cycle).
TEST(Families, SearchProofNamesTheCycle) {
  ir::DiagEngine diags;
  SolveResult r = solve(bench::apartCyclePlan(7, 2), {}, diags);
  ASSERT_EQ(r.status, SolveStatus::Infeasible);
  ASSERT_EQ(diags.all().size(), 1u);
  const ir::Diagnostic& d = diags.all().front();
  EXPECT_EQ(d.code, ir::DiagCode::Infeasible);
  EXPECT_NE(d.message.find("c000, c001"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("kept apart"), std::string::npos) << d.message;
}

TEST(Families, AnswersAreDeterministic) {
  ir::Plan plan = bench::completeGraphPlan(12, 11, Side::Domains);
  ir::DiagEngine d1, d2;
  SolveResult a = solve(plan, {}, d1), b = solve(plan, {}, d2);
  ASSERT_EQ(a.status, SolveStatus::Solved);
  ASSERT_EQ(b.status, SolveStatus::Solved);
  for (std::size_t i = 0; i < plan.guests.size(); ++i) {
    EXPECT_EQ(a.solved->alloc[i].adapters, b.solved->alloc[i].adapters);
    EXPECT_EQ(a.solved->alloc[i].domains, b.solved->alloc[i].domains);
  }
}

}  // namespace
}  // namespace apc::solver
