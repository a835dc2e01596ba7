// `apc explain PLAN [GUEST]` and `compile --explain`: why each guest got its
// matrix, in plan terms: the objective the allocation reached (and what was
// proved), the guests it shares adapters with, and for each candidate adapter
// that carries fewer guests than its busiest one, the rule that keeps it off.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/solved_plan.h"
#include "solver/solve.h"

namespace apc::solver {

// `guest`: one guest's explanation, or every guest's when empty. `moved`:
// guests that left their locked matrix (SolveResult::moved). nullopt when
// `guest` names no guest of the plan.
std::optional<std::string> explainAllocation(const ir::SolvedPlan& solved, const ObjectiveValues& objective,
                                             const std::vector<std::string>& moved, const std::string& guest = "");

}  // namespace apc::solver
