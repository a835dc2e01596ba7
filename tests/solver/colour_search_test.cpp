// The colouring search against brute force on random small problems: the
// same answer (so symmetry breaking and the counting bound never lose a
// solution), and every colouring it returns is valid.
#include <gtest/gtest.h>

#include <random>

#include "solver/decide/colour_search.h"

namespace apc::solver::detail {
namespace {

using ir::IdSet;

bool valid(const ColouringProblem& p, const std::vector<IdSet>& c) {
  std::vector<unsigned> usage(ir::kMaxIds, 0);
  for (std::size_t v = 0; v < p.size(); ++v) {
    if (c[v].count() != p.need[v] || (c[v] & ~p.list[v]).any()) return false;
    for (unsigned u : p.adj[v])
      if ((c[v] & c[u]).any()) return false;
    for (unsigned k = 0; k < ir::kMaxIds; ++k) usage[k] += c[v].test(k);
  }
  for (unsigned k = 0; k < ir::kMaxIds; ++k)
    if (usage[k] > p.cap[k]) return false;
  return true;
}

bool bruteForce(const ColouringProblem& p, std::vector<IdSet>& c, std::size_t v) {
  if (v == p.size()) return valid(p, c);
  for (unsigned mask = 0; mask < 16; ++mask) {
    IdSet s(mask);
    if (s.count() != p.need[v] || (s & ~p.list[v]).any()) continue;
    bool ok = true;
    for (unsigned u : p.adj[v])
      if (u < v && (c[u] & s).any()) ok = false;
    if (!ok) continue;
    c[v] = s;
    if (bruteForce(p, c, v + 1)) return true;
  }
  c[v].reset();
  return false;
}

TEST(ColourSearch, AgreesWithBruteForce) {
  std::mt19937 rng(7);
  unsigned feasible = 0, infeasible = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    ColouringProblem p;
    std::size_t n = 2 + rng() % 7;
    unsigned colours = 2 + rng() % 3;  // 2..4, IDs 0..colours-1
    bool withRes = rng() % 2;
    p.need.resize(n);
    p.list.resize(n);
    p.adj.resize(n);
    for (std::size_t v = 0; v < n; ++v) {
      p.need[v] = 1 + (rng() % 4 == 0);
      // Mostly whole lists, so that many colours are interchangeable.
      for (unsigned k = 0; k < colours; ++k)
        if (rng() % 5 != 0) p.list[v].set(k);
      if (withRes) p.res.push_back(IdSet(1 + rng() % 7));  // resources among 3 IDs
    }
    for (std::size_t v = 0; v < n; ++v)
      for (std::size_t u = v + 1; u < n; ++u) {
        bool edge = withRes ? (p.res[v] & p.res[u]).any() || rng() % 6 == 0 : rng() % 2 == 0;
        if (!edge) continue;
        p.adj[v].push_back(static_cast<unsigned>(u));
        p.adj[u].push_back(static_cast<unsigned>(v));
      }
    if (rng() % 3 == 0) {
      for (unsigned k = 0; k < colours; ++k) p.cap[k] = 1 + rng() % 3;
    }
    std::vector<IdSet> c(n);
    bool expect = bruteForce(p, c, 0);
    ColouringOutcome o = searchColouring(p, 10'000'000);
    ASSERT_NE(o.status, ColouringOutcome::Status::Unknown) << "iteration " << iter;
    ASSERT_EQ(o.status == ColouringOutcome::Status::Solved, expect) << "iteration " << iter;
    if (expect) {
      EXPECT_TRUE(valid(p, o.colours)) << "iteration " << iter;
    }
    (expect ? feasible : infeasible)++;
  }
  // Both answers occur often enough for the comparison to mean something.
  EXPECT_GT(feasible, 500u);
  EXPECT_GT(infeasible, 500u);
}

TEST(ColourSearch, ClassesGroupInterchangeableColours) {
  ColouringProblem p;
  p.need = {1, 1};
  p.list = {IdSet(0b0111), IdSet(0b0011)};
  p.adj = {{1}, {0}};
  std::vector<int> cls = colourClasses(p);
  EXPECT_EQ(cls[0], cls[1]);  // in both lists
  EXPECT_NE(cls[0], cls[2]);  // only in the first
  EXPECT_EQ(cls[3], -1);      // in none
  p.cap[1] = 1;
  cls = colourClasses(p);
  EXPECT_NE(cls[0], cls[1]);  // a different cap breaks the symmetry
}

}  // namespace
}  // namespace apc::solver::detail
