// Plans with a known answer from graph theory, for the solver's tests and
// benches (issue 10): edge colourings of K_m on either axis, rings of exact
// adapter pairs, apart groups along cycles and on Mycielski graphs. Built as
// IR (no front end); every element gets a distinct fake source range.
#pragma once

#include <cstdint>
#include <string>

#include "compiler/ir/plan_ir.h"

namespace apc::bench {

enum class Side { Adapters, Domains };

// One guest per pair {i, j} of m IDs on `side`, holding exactly those two
// IDs there and `any 1` of `colours` IDs on the other axis (no `mode`).
// Feasible iff colours >= m - 1 for even m, colours >= m for odd m (K_m's
// chromatic index).
ir::Plan completeGraphPlan(unsigned m, unsigned colours, Side side);

// n guests r000.. on n adapters, guest i on adapters {i, i+1 mod n} with
// `domains any 1` of 2 domains: feasible iff n is even (an odd cycle needs 3 colours).
ir::Plan ringPlan(unsigned n);

// Guests c000.. with `adapters any 1` and their own domain each, apart
// along the cycle c0-c1-...-c(n-1)-c0 (one group per edge), on `adapters`
// adapters: feasible iff n is even or adapters >= 3.
ir::Plan apartCyclePlan(unsigned n, unsigned adapters);

// The Mycielski graph M_k (M_2 = K_2; M_3 = C_5; M_4 = Groetzsch, 11
// vertices; M_5: 23; M_6: 47), chromatic number k, triangle-free: one guest per
// vertex as in apartCyclePlan, one apart group per edge. Feasible iff adapters >= k.
ir::Plan mycielskiPlan(unsigned k, unsigned adapters);
unsigned mycielskiVertices(unsigned k);
// `copies` disjoint copies of mycielskiPlan(k, adapters): copy c's guests
// y<c>_<v> take `adapters any 1 in` their own block of `adapters` adapters,
// so the copies are separate components of the same plan (the worst case
// for per-component budgets: each copy is as hard as the first).
ir::Plan replicatedMycielskiPlan(unsigned k, unsigned adapters, unsigned copies);

// A planted tiling: the adapters x domains grid cut into bicliques (bands of
// adapters, each band's domains cut into blocks, sides 1..maxSide), one guest
// t000.. `adapters any h domains any w` per block, so every queue is used.
// Feasible by construction; no axis is fixed, so only a search finds it.
// `extra` guests x000.. of 1 x 1 on top make it infeasible by one queue each.
ir::Plan tiledGridPlan(unsigned adapters, unsigned domains, unsigned maxSide, std::uint32_t seed,
                       unsigned extra = 0);
// A planted packing that is not a guillotine tiling: bicliques of sides up
// to maxSide grown from random free queues of an n x n grid, the rest
// 1 x 1, all `any`; every queue is used. Feasible by construction.
ir::Plan scatteredTilingPlan(unsigned n, unsigned maxSide, std::uint32_t seed);

}  // namespace apc::bench
