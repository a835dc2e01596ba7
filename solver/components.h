// The guests' conflict graph (Boost.Graph): two open guests are joined when
// a choice of one can restrict the other. Its connected components are solved
// independently of each other.
#pragma once

#include <vector>

#include "solver/model.h"

namespace apc::solver::detail {

// Components of the open guests (plan indices), each sorted by the canonical
// order `rank` (position of each plan index in name order); components are
// ordered by their first guest's rank.
std::vector<std::vector<std::size_t>> conflictComponents(const Model& m,
                                                         const std::vector<GuestSpec>& specs,
                                                         const std::vector<std::size_t>& open,
                                                         const std::vector<std::size_t>& rank);

}  // namespace apc::solver::detail
