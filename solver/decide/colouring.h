// When every guest of a component has one axis fixed (its adapters are the
// only ones it can have, or its domains are), the component is a list
// multi-colouring: the colours are the IDs of the other axis, a guest needs
// its count of them, and two guests are neighbours when they would clash on
// any common colour (shared fixed IDs; apart or foreign control on the
// adapter side). The reduction is exact, so the search's "none" is a proof.
#pragma once

#include <optional>
#include <vector>

#include "solver/decide/colour_search.h"
#include "solver/model.h"

namespace apc::solver::detail {

struct ComponentColouring {
  bool coloursAreDomains = true;  // false: colours are adapters
  std::vector<std::size_t> guests;  // plan index per vertex
  std::vector<IdSet> fixed;         // per vertex: its fixed IDs on the other axis
  ColouringProblem problem;
};

// nullopt when the component does not have that shape.
std::optional<ComponentColouring> colouringOf(const Model& m, const std::vector<GuestSpec>& specs,
                                              const std::vector<std::size_t>& component, const State& state);

// The placements of a solved colouring, checked against the rules and
// placed into `state`; false (state unchanged) if a rule rejects one.
bool placeColouring(const Model& m, const std::vector<GuestSpec>& specs, const ComponentColouring& cc,
                    const std::vector<IdSet>& colours, State& state);

}  // namespace apc::solver::detail
