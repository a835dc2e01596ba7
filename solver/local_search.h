// Repair around the greedy's failure (issue 10, item 3): a deterministic
// min-conflicts search with ejection chains and tabu over the component's
// guests, then Z3 on subproblems (the guests still unplaced and their
// neighbourhood in the conflict graph, the rest of the component fixed).
// Bounded by counted work and Z3's rlimit, never by time; fixed seed.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "solver/budget.h"
#include "solver/model.h"

namespace apc::solver::detail {

// Z3 subproblems tried after the local search, each granted from the solve's Z3 pool.
inline constexpr unsigned kSubproblemRounds = 4;

struct RepairOutcome {
  bool solved = false;
  std::uint64_t work = 0;
  unsigned subproblems = 0;       // Z3 subproblems asked
  std::uint64_t z3Spent = 0;      // rlimit units they took
  bool solvedBySubproblem = false;
  std::size_t mostPlaced = 0;     // most guests of the component placed at once
  std::vector<std::size_t> unplaced;  // plan indices left at that point, canonical order
};

// `component`: plan indices, specs pruned against `state` (which holds every
// guest outside the component that is placed). On success the component's
// guests are placed into `state`, each checked with compatible() in turn;
// on failure `state` is unchanged. `subproblems` false: the local search
// only (the caller asks Z3 about the whole component itself). The search
// spends at most `workBudget` (the caller's grant from budgets.localSearch)
// and charges it there; each subproblem is granted from and charged to budgets.z3.
RepairOutcome repairComponent(const Model& m, const std::vector<GuestSpec>& specs,
                              const std::vector<std::size_t>& component, State& state, std::uint64_t workBudget,
                              SolveBudgets& budgets, std::uint32_t seed, bool subproblems = true);

}  // namespace apc::solver::detail
