// Deterministic generator of ir::Plan values for benches and tests of every
// area: the sizes of the solver issue's table, feasible by construction
// (a hidden allocation exists) except the two infeasible presets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "compiler/ir/plan_ir.h"

namespace apc::bench {

enum class Preset {
  Small,                // 4 adapters x 16 domains, 5 guests
  Medium,               // 16 x 85, 60 guests
  Large,                // 64 x 85, 300 guests
  Huge,                 // 256 x 256, 1000 guests
  Tight,                // 16 x 48, every queue used (random exact cover, `any` guests)
  InfeasibleByOne,      // Tight plus a 1x1 guest: demand = supply + 1
  InfeasibleIdentical,  // 6 identical guests (4 of 7 adapters x 3 of 16 domains): counts allow, no fit
};

std::string_view presetName(Preset p);

struct GeneratorOptions {
  unsigned adapters = 16;     // IDs 0..adapters-1 (at most 256)
  unsigned domains = 85;      // IDs 0..domains-1 (at most 256)
  unsigned guests = 60;
  double pinnedFraction = 0.1;  // guests with exact adapter and domain lists
  double filterFraction = 0.2;  // `any` guests with an `in` filter on domains
  std::uint32_t seed = 42;
};

// Guests want 1-4 adapters of one mode x 1-8 domains; each is carved out of
// a hidden allocation, so the plan is feasible (guests that no longer fit
// are dropped, so `guests` is an upper bound on dense hosts).
ir::Plan generatePlan(const GeneratorOptions& opts);
ir::Plan generatePlan(Preset p, std::uint32_t seed = 42);

// The plan as .ap text (host block, then one guest per line).
std::string planToAp(const ir::Plan& plan);

}  // namespace apc::bench
