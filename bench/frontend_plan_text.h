// Deterministic plan *text* for the front-end bench: a 256 x 256 host and a
// realistic mix of guests (exact lists, `any` with filters, template families,
// overrides, apart groups, a policy). The plan is valid: it checks clean.
#pragma once

#include <string>

namespace apc::bench {

// About `guests` guests: 40% exact (disjoint queues), 30% `any` with filters,
// 30% in families of 20 from 10 templates (some with an override body).
std::string generatePlanText(unsigned guests);

}  // namespace apc::bench
