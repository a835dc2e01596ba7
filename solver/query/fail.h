// `apc query fail` and `apc query resilience`: what breaks when adapters or
// domains go away, and whether a re-plan gives every guest its requirement
// again on what is left (with the guests that must move).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/ir/solved_plan.h"

namespace apc::query {

struct FailOptions {
  std::uint64_t z3ResourceLimit = 5'000'000;  // per solver call; deterministic
  unsigned greedyRestarts = 200;              // the solver's greedy restarts per call
};

struct GuestHit {
  std::string name;
  std::vector<ir::Queue> lost;  // the guest's queues on failed adapters/domains, ascending
  // Outage: the guest lost every queue and its crypto stops until a re-plan.
  // Degraded: it keeps queues on other adapters/domains and runs on those.
  bool outage = false;
};

struct GuestMove {
  std::string name;
  ir::GuestAllocation before;
  ir::GuestAllocation after;
};

enum class Recovery {
  NotNeeded,    // no guest lost a queue
  Recoverable,  // a re-plan without the failed parts gives every guest its requirement
  Impossible,   // proved: no such re-plan exists (see `reason`)
  Unknown,      // the solver stopped at its limit
};

struct FailReport {
  ir::IdSet failedAdapters;
  ir::IdSet failedDomains;
  std::vector<GuestHit> hit;    // plan order
  Recovery recovery = Recovery::NotNeeded;
  // Recoverable: the guests that change matrix (hit guests, and untouched ones
  // only when no plan keeps them in place), plan order.
  std::vector<GuestMove> moves;
  bool untouchedKept = true;    // every guest that was not hit keeps its matrix
  std::string reason;           // Impossible/Unknown: why, in plain words
};

FailReport simulateFailure(const ir::SolvedPlan& solved, const ir::IdSet& adapters,
                           const ir::IdSet& domains, const FailOptions& opts = {});

struct ResilienceLine {
  unsigned adapter = 0;
  FailReport report;
};

// The single-adapter failure table: one line per host adapter, ascending.
std::vector<ResilienceLine> resilience(const ir::SolvedPlan& solved, const FailOptions& opts = {});

std::string_view recoveryName(Recovery r);  // "not-needed" | "recoverable" | "impossible" | "unknown"

}  // namespace apc::query
