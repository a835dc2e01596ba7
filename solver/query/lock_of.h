// A lock built from a solved plan's current allocation, so a re-solve keeps
// guests where they are whenever it can (queries that let guests move).
#pragma once

#include "compiler/ir/solved_plan.h"
#include "solver/lock.h"

namespace apc::query {

solver::Lock lockOf(const ir::SolvedPlan& solved);

}  // namespace apc::query
