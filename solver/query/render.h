// Query results for people (aligned tables) and for scripts (JSON, keys in a
// fixed order, lists ascending). Both are deterministic.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/solved_plan.h"
#include "solver/query/fail.h"
#include "solver/query/fit.h"
#include "solver/query/usage.h"

namespace apc::query {

std::string fitText(const FitResult& r, bool allowMoves);
std::string fitJson(const FitResult& r, bool allowMoves);  // {"count": N, "optimal": bool, ...}

std::string failText(const FailReport& r);
std::string failJson(const FailReport& r);

std::string resilienceText(const ir::SolvedPlan& solved, const std::vector<ResilienceLine>& lines);
std::string resilienceJson(const ir::SolvedPlan& solved, const std::vector<ResilienceLine>& lines);

std::string usageText(const UsageReport& r);
std::string usageJson(const UsageReport& r);

}  // namespace apc::query
