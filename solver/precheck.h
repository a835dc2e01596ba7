// Counting arguments that prove "demand exceeds supply" without search:
// queues needed against queues free in total, per set of candidate adapters
// (per mode, per explicit list), per candidate domain set, per explicit
// adapter and domain, and adapter places under `max guests per adapter`.
#pragma once

#include <optional>
#include <vector>

#include "solver/explain.h"
#include "solver/model.h"

namespace apc::solver::detail {

// `open`: the guests still to place (specs pruned against `state`).
std::optional<Shortfall> countingPrecheck(const Model& m, const std::vector<GuestSpec>& specs,
                                          const std::vector<std::size_t>& open, const State& state);

}  // namespace apc::solver::detail
