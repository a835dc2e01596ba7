// Solved plans for the `apc show` picture tests, built by hand so the tests
// need neither the front end nor the solver.
#pragma once

#include <cstddef>

#include "compiler/ir/solved_plan.h"

namespace apc::backends::test {

// A z16 LPAR as issue 11 measured it: 10 adapters (00..03 CEX8C, 04..05
// CEX8P, 06..07 CEX8A, 10..11 CEX8P), 85 usage domains 0x00..0x54, domain 0
// reserved on every adapter, 12 guests: guest g holds adapters
// pool[g % 9] and pool[(g + 1) % 9] (pool: every adapter but 0x07) and
// domains 1 + 7g .. 6 + 7g. Adapter 0x07 stays with the host (apmask), and
// queue 06.0054 is offline.
ir::SolvedPlan z16Solved();

// `guests` guests on `adapters` x `domains` (IDs 0..n-1), guest g holding
// the single queue (g % adapters, g / adapters): the large-picture cases.
ir::SolvedPlan gridSolved(unsigned adapters, unsigned domains, std::size_t guests);

}  // namespace apc::backends::test
