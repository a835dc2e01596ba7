// The constructive pass: places one component's guests on bitsets, most
// demanding first, with deterministic restarts (seeded noise and moving the
// guest that failed to the front). Bounded by counts, never by time.
#pragma once

#include <cstdint>
#include <vector>

#include "solver/model.h"

namespace apc::solver::detail {

struct GreedyOutcome {
  bool solved = false;
  unsigned restartsUsed = 0;
  std::vector<std::size_t> hardest;  // guests that failed most often, most first
};

// Places every guest of `component` (plan indices; specs pruned against
// `state`) into `state`. On success `state` holds them; on failure `state`
// is unchanged. `restarts` bounds the extra attempts after the first.
GreedyOutcome greedySolve(const Model& m, const std::vector<GuestSpec>& specs,
                          const std::vector<std::size_t>& component, State& state,
                          unsigned restarts, std::uint32_t seed);

}  // namespace apc::solver::detail
