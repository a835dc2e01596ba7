// The solver's public face speaks plan terms only: no Z3, no Boost here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/diagnostic.h"
#include "compiler/ir/solved_plan.h"
#include "solver/budget.h"
#include "solver/lock.h"

namespace apc::solver {

struct SolveOptions {
  const Lock* lock = nullptr;  // earlier allocation to keep where still valid
  bool locked = false;         // --locked: report moves as errors instead of making them
  // Deterministic bounds only (never wall-clock): Z3's resource limit per
  // check() call and the number of greedy restarts per component.
  std::uint64_t z3ResourceLimit = 50'000'000;
  unsigned greedyRestarts = 5000;
  // What the whole solve may spend per phase, shared by every component and
  // the lock re-attempts (budget.h). budget.caps.z3PerCheck is replaced by
  // z3ResourceLimit.
  BudgetTotals budget;
  std::uint32_t seed = 1;
  // Optional, parallel to plan.guests: a pinned guest keeps exactly this
  // allocation (queries fix the existing guests this way). Empty: none pinned.
  std::vector<std::optional<ir::GuestAllocation>> pinned;
  // The counting prechecks (demand vs supply, forced sharing). Off only to
  // measure or test the search on its own; answers stay correct either way.
  bool countingPrechecks = true;
};

struct SolveStats {
  unsigned components = 0;
  unsigned solvedByGreedy = 0;
  unsigned solvedByZ3 = 0;
  unsigned solvedByDecide = 0;  // by the colouring search (solver/decide/)
  unsigned solvedByRepair = 0;  // by the local search or Z3 on a subproblem (local_search.h)
  unsigned keptFromLock = 0;
  unsigned greedyRestarts = 0;  // restarts used, summed over components
  // What the whole solve spent from its pools (budget.h), every attempt and
  // the objective included: greedy look-ups, colouring-search units,
  // local-search units, Z3 rlimit units (from Z3's own statistics).
  std::uint64_t greedyWork = 0;
  std::uint64_t decideWork = 0;
  std::uint64_t localSearchWork = 0;
  std::uint64_t z3Rlimit = 0;
  std::uint64_t z3Conflicts = 0;  // Z3's SAT conflicts, the pool that bounds its time
  bool budgetExhausted = false;  // some pool ran dry
};

enum class SolveStatus {
  Solved,        // `solved` holds a verified-by-construction allocation
  Infeasible,    // proved: no allocation exists (diagnostics say why)
  LimitReached,  // the deterministic limits stopped the search; no answer
  LockedMoves,   // --locked and some guest would have to move (see `moved`)
};

// What the chosen allocation scores on the objective (LANGUAGE.md policy
// `placement`) and what was proved about it.
struct ObjectiveValues {
  unsigned moved = 0;            // guests whose still-valid locked matrix changed
  unsigned movedLowerBound = 0;  // proved: none moves fewer (== moved when proved)
  unsigned blastRadius = 0;      // guests on the busiest adapter
  unsigned blastRadiusLowerBound = 0;  // proved by the exact pass, else counted
  bool exact = false;            // the exact pass decided the whole plan
};

struct SolveResult {
  SolveStatus status = SolveStatus::Infeasible;
  std::optional<ir::SolvedPlan> solved;  // set when a valid allocation was found
  std::vector<std::string> moved;        // guests whose locked matrix changed
  SolveStats stats;
  ObjectiveValues objective;             // set with `solved`
};

// Finds non-overlapping matrices for every guest and the modern host masks.
// Infeasibility is reported to `diags` as an error naming a small set of
// conflicting requirements (with notes at their lines), never "unsat".
SolveResult solve(const ir::Plan& plan, const SolveOptions& opts, ir::DiagEngine& diags);

// RFC 4122 version-5 UUID of host and guest name, lower case.
std::string deriveUuid(std::string_view host, std::string_view guest);

}  // namespace apc::solver
