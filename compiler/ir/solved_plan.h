// The solver's result: every guest's matrix, its ADM and UUID, and the host
// masks. Backends lower this and nothing else.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/id_set.h"
#include "compiler/ir/plan_ir.h"

namespace apc::ir {

struct GuestAllocation {
  IdSet adapters;        // APM
  IdSet domains;         // AQM (usage domains)
  IdSet controlDomains;  // ADM: usage domains plus the guest's extra control domains
  std::string uuid;      // lower-case 8-4-4-4-12
};

struct SolvedPlan {
  Plan plan;
  std::vector<GuestAllocation> alloc;  // parallel to plan.guests
  // Modern interface: the host's default drivers keep exactly apmask x aqmask.
  // Legacy interface: both all ones (unused; queues are bound one by one).
  IdSet apmask;
  IdSet aqmask;

  QueueSet guestQueues(std::size_t g) const;
  QueueSet allGuestQueues() const;
  // Which guest holds queue (a, d), if any.
  std::optional<std::size_t> owner(unsigned a, unsigned d) const;
  // Existing queues the host's default drivers keep: modern, those inside
  // apmask x aqmask; legacy, every existing queue no guest holds.
  QueueSet hostKeptQueues() const;
  // Guest-usable queues (existing, not reserved) that no guest holds.
  QueueSet freeQueues() const;
};

}  // namespace apc::ir
