// A counting cut with parity: within one domain, the guests that use it hold
// disjoint adapters there, so the adapters they take add up to a sum of
// their adapter counts no larger than that domain's free adapters (9 free
// adapters hold at most 8 for guests of 2 adapters each). Summed over the
// domains this bounds the queues the guests can get; the same holds per
// adapter for domain counts. It proves the odd edge colourings of K_m and
// the odd rings of adapter pairs infeasible without any search.
#pragma once

#include <optional>
#include <vector>

#include "solver/explain.h"
#include "solver/model.h"

namespace apc::solver::detail {

// `component`: plan indices of guests still to place (specs pruned against
// `state`). A Shortfall (E202 wording of its own) when the cut proves that
// the guests cannot all be placed. `bound`, when given, receives the
// smaller of the two axes' bounds on the queues the guests can hold.
std::optional<Shortfall> columnParityCut(const Model& m, const std::vector<GuestSpec>& specs,
                                         const std::vector<std::size_t>& component, const State& state,
                                         std::size_t* bound = nullptr);

}  // namespace apc::solver::detail
