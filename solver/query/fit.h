// `apc query fit`: how many more guests of one shape fit beside the existing
// ones. Existing guests keep their matrices (pinned) unless moves are allowed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/solved_plan.h"

namespace apc::query {

struct FitOptions {
  bool allowMoves = false;
  // Deterministic limits only: the solver's resource limit per call and the
  // number of solver calls spent narrowing the gap between the best placement
  // found and the counting bound. 0 calls: counting and greedy only.
  std::uint64_t z3ResourceLimit = 5'000'000;
  unsigned greedyRestarts = 200;  // the solver's greedy restarts per call
  unsigned maxSolverCalls = 6;
};

struct FitResult {
  std::string shape;                // how the shape was described ("template web", "shape ...")
  unsigned count = 0;               // guests placed (best found)
  unsigned upperBound = 0;          // proven: no more than this many fit
  bool optimal = false;             // count == upperBound
  std::string boundSource;          // "counting" | "solver" (N+1 proved infeasible)
  // The counting limit that binds with existing guests kept ("max guests per
  // adapter 8: 30 free adapter places / 2 adapters per guest"); "" for no shape.
  std::string bindingLimit;
  bool limitReached = false;        // a solver call stopped at its limit
  unsigned solverCalls = 0;
  // The new guests' matrices (count of them), in placement order.
  std::vector<ir::GuestAllocation> placements;
  // allowMoves: existing guests whose matrix the best answer changes (names).
  std::vector<std::string> moved;
  // allowMoves: the best answer that keeps every existing guest (the pinned fit).
  unsigned pinnedCount = 0;
  // With a `headroom P%` policy: the most new guests that leave P% of the
  // guest-usable queues free (fit itself counts what the hardware allows).
  std::optional<unsigned> headroomLimit;
};

// `shape` is a guest of the same host (a template applied to a throw-away
// guest, or a --shape text): its adapter/domain requirements and extra
// control domains are what each new guest asks for; its name is ignored.
FitResult fit(const ir::SolvedPlan& solved, const ir::Guest& shape, const FitOptions& opts);

// The counting bound alone (used by fit and exposed for tests): with every
// existing guest pinned, no more than this many guests of `shape` fit.
unsigned fitUpperBoundPinned(const ir::SolvedPlan& solved, const ir::Guest& shape);

// Appends `n` guests of `shape` (named "fit-new-1".."fit-new-n") to a copy of
// the plan: the plan the fit answer is checked against.
ir::Plan planWithNewGuests(const ir::Plan& plan, const ir::Guest& shape, unsigned n);

}  // namespace apc::query
