// The objective among valid allocations (issue 10, LANGUAGE.md policy
// `placement`), in this order: (a) guests whose locked matrix is still valid
// keep it, (b) fewest moved guests, (c) spread: fewest guests on the busiest
// adapter, then fewer adapters at that maximum (pack: the greedy's best-fit
// packing is kept), (d) deterministic ties. Works on a finished, valid state
// and only ever replaces it with another valid one.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "compiler/ir/plan_ir.h"
#include "solver/budget.h"
#include "solver/model.h"

namespace apc::solver::detail {

struct Spread {
  unsigned maxLoad = 0;  // guests on the busiest adapter (blast radius of one failure)
  unsigned atMax = 0;    // adapters carrying that many
};
Spread spreadOf(const State& s);

// What the optimisation reached and what it proved.
struct ObjectiveReport {
  unsigned moved = 0;            // guests with a valid locked matrix that left it
  unsigned movedLowerBound = 0;  // proved: no allocation moves fewer
  unsigned blastRadius = 0;
  unsigned blastRadiusLowerBound = 0;  // proved (exact pass) or counted (slots / adapters)
  bool exact = false;                  // the Z3 pass ran to its end on the whole plan
};

struct ObjectiveLimits {
  // The solve's pools: every Z3 check is granted from and charged to z3
  // (its exact pass asks one question per bound, so only a pool bounds the sum).
  SolveBudgets* budgets = nullptr;
  std::uint32_t seed = 1;
  std::uint64_t localWork = 60'000'000;  // guest placements re-done by the local passes
};

// `locked` (parallel to the plan's guests): the still-valid locked matrix of
// each guest, or nullopt. Guests fixed by pin or explicit matrices never move.
// `outgrown`: locks that no longer meet their guest's requirement. Such a
// guest first gets a superset of its lock where one fits (pure growth, no
// queue lost), and then stays there.
ObjectiveReport optimise(const Model& m, const std::vector<std::optional<Placement>>& locked,
                         const std::vector<std::optional<Placement>>& outgrown,
                         const std::vector<std::size_t>& byName, ir::PlacementGoal goal,
                         const ObjectiveLimits& limits, State& state);

}  // namespace apc::solver::detail
