// An exact search for list multi-colourings: each vertex needs `need` distinct
// colours from its list, neighbours share none, and a colour serves at most
// `cap` vertices. DSATUR order (fewest spare colours first), forward
// checking, and symmetry breaking between interchangeable colours (same
// list membership for every vertex, same cap): among the colours of one class
// that nobody uses yet, only the lowest ones are tried. On tight problems a
// counting bound per colour (its candidates' free resources) prunes each node. Bounded by a count of
// work units, never by time, so the answer is the same on every run.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "compiler/ir/id_set.h"

namespace apc::solver::detail {

struct ColouringProblem {
  std::vector<unsigned> need;             // colours per vertex
  std::vector<ir::IdSet> list;            // allowed colours per vertex
  std::vector<std::vector<unsigned>> adj; // neighbours (symmetric, no self loops)
  std::vector<unsigned> cap = std::vector<unsigned>(ir::kMaxIds, std::numeric_limits<unsigned>::max());
  // Optional, per vertex: the resources it holds with each of its colours
  // (a guest's fixed adapters when colours are domains). Vertices whose
  // resources meet must be neighbours; then one colour's vertices hold
  // disjoint resources, which gives a counting bound inside the search.
  std::vector<ir::IdSet> res;
  std::size_t size() const { return need.size(); }
};

struct ColouringOutcome {
  enum class Status { Solved, Infeasible, Unknown } status = Status::Unknown;
  std::vector<ir::IdSet> colours;          // Solved: per vertex
  std::uint64_t work = 0;                  // work units spent
  std::size_t mostColoured = 0;            // largest number of vertices coloured at once
  std::vector<unsigned> leftAtMost;        // vertices still uncoloured at that point
};

// Classes of interchangeable colours: class id per colour (colours no
// vertex may use get no class and are never tried).
std::vector<int> colourClasses(const ColouringProblem& p);

ColouringOutcome searchColouring(const ColouringProblem& p, std::uint64_t workBudget);

}  // namespace apc::solver::detail
