// Why a guest left its locked matrix, in plan terms, for the W209 line of
// `apc compile`: "db's domains 0x04..0x07 needed adapter 0x02's queues".
#pragma once

#include <string>

#include "solver/model.h"

namespace apc::solver::detail {

// `gi` moved from `locked` in the final state `s`. Says what took the locked
// queues (or the rule that now forbids them), never solver jargon.
std::string moveCause(const Model& m, const State& s, std::size_t gi, const Placement& locked);

}  // namespace apc::solver::detail
