// Helpers shared by the query-area tests: plans from text through the real
// front end, and solved plans built straight from explicit matrices (so the
// policy, usage and SARIF tests do not depend on the solver).
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "compiler/frontend/frontend.h"
#include "compiler/ir/diag_printer.h"
#include "compiler/ir/solved_plan.h"

namespace apc::testing {

struct Loaded {
  ir::SourceManager sm;
  ir::DiagEngine diags;
  std::optional<ir::Plan> plan;
};

inline void loadText(Loaded& l, const std::string& text, const std::string& path = "plan.ap") {
  l.plan = compiler::loadPlanFromText(path, text, l.sm, l.diags);
  ASSERT_TRUE(l.plan.has_value()) << ir::renderTextAll(l.diags.all(), l.sm);
}

// Every guest must use explicit lists: its allocation is exactly them. Modern
// masks: every adapter, and the domains no guest uses.
inline ir::SolvedPlan solvedFromExact(const ir::Plan& plan) {
  ir::SolvedPlan sp;
  sp.plan = plan;
  ir::IdSet guestDomains;
  for (std::size_t g = 0; g < plan.guests.size(); ++g) {
    const ir::Guest& guest = plan.guests[g];
    ir::GuestAllocation a;
    a.adapters = guest.adapters.exact;
    a.domains = guest.domains.exact;
    a.controlDomains = a.domains | guest.extraControlDomains;
    char buf[64];
    std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012zx", g + 1);
    a.uuid = buf;
    guestDomains |= a.domains;
    sp.alloc.push_back(a);
  }
  sp.apmask = plan.host.adapterIds();
  sp.aqmask = plan.host.usageDomains & ~guestDomains;
  return sp;
}

// "path:line:col" of the first occurrence of `needle` (plus `skip` bytes).
inline std::string where(const Loaded& l, const std::string& text, const std::string& needle,
                         std::uint32_t skip = 0) {
  auto pos = text.find(needle);
  EXPECT_NE(pos, std::string::npos) << needle;
  return l.sm.describe({0, static_cast<std::uint32_t>(pos) + skip, static_cast<std::uint32_t>(pos) + skip + 1});
}

}  // namespace apc::testing
