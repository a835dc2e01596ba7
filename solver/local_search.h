// Repair around the greedy's failure (issue 10, item 3): a deterministic
// min-conflicts search with ejection chains and tabu over the component's
// guests, then Z3 on subproblems (the guests still unplaced and their
// neighbourhood in the conflict graph, the rest of the component fixed).
// Bounded by counted work and Z3's rlimit, never by time; fixed seed.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "solver/model.h"

namespace apc::solver::detail {

// Work units are placement evaluations weighted by the adapters and
// neighbours they look at. 40M is about 1 s of CPU on a 1000-guest
// 256 x 256 component (bench_solver, BM_SolveWorst*).
inline constexpr std::uint64_t kLocalSearchWorkBudget = 40'000'000;
// Z3 subproblems tried after the local search, each with the caller's rlimit.
inline constexpr unsigned kSubproblemRounds = 4;

struct RepairOutcome {
  bool solved = false;
  std::uint64_t work = 0;
  unsigned subproblems = 0;       // Z3 subproblems asked
  bool solvedBySubproblem = false;
  std::size_t mostPlaced = 0;     // most guests of the component placed at once
  std::vector<std::size_t> unplaced;  // plan indices left at that point, canonical order
};

// `component`: plan indices, specs pruned against `state` (which holds every
// guest outside the component that is placed). On success the component's
// guests are placed into `state`, each checked with compatible() in turn;
// on failure `state` is unchanged. `subproblems` false: the local search
// only (the caller asks Z3 about the whole component itself).
RepairOutcome repairComponent(const Model& m, const std::vector<GuestSpec>& specs,
                              const std::vector<std::size_t>& component, State& state, std::uint64_t workBudget,
                              std::uint64_t z3ResourceLimit, std::uint32_t seed, bool subproblems = true);

}  // namespace apc::solver::detail
