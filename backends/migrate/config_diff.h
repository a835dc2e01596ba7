// `apc diff`: the change list between two solved configurations (an old one
// from a lock file or a plan, the new one from a plan), guest by guest.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/solved_plan.h"
#include "solver/lock.h"

namespace apc::migrate {

// One guest's mdev as a configuration holds it. controlDomains is the ADM the
// mdev gets: the guest's control domains plus its usage domains.
struct ConfigGuest {
  std::string name;
  std::string uuid;
  ir::IdSet adapters;
  ir::IdSet domains;
  ir::IdSet controlDomains;
};

struct Configuration {
  std::vector<ConfigGuest> guests;  // sorted by name
  ir::QueueSet guestQueues() const;
};

Configuration fromSolved(const ir::SolvedPlan& solved);
Configuration fromLock(const solver::Lock& lock);

enum class ChangeKind { Added, Removed, Changed, Unchanged };

struct GuestChange {
  ChangeKind kind = ChangeKind::Unchanged;
  std::string name;
  std::optional<ConfigGuest> before;  // Removed, Changed, Unchanged
  std::optional<ConfigGuest> after;   // Added, Changed, Unchanged
  std::string why;                    // e.g. "uuid changed" when a rename of the mdev forces remove + add
};

// Guests match by name. A guest whose UUID changed cannot keep its mdev: it is
// reported as Removed and Added (with `why`). Order: by name, Removed before
// Added for the same name.
std::vector<GuestChange> diffConfigurations(const Configuration& before, const Configuration& after);

std::string diffText(const std::vector<GuestChange>& changes);
std::string diffJson(const std::vector<GuestChange>& changes);

}  // namespace apc::migrate
