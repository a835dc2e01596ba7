// `apc diff`: the change list between two solved configurations (an old one
// from a lock file, a plan or the live host, the new one from a plan), guest
// by guest. A guest's identity is its UUID; its name is a label.
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
  std::string name;                   // the new name (Removed: the old one)
  std::optional<ConfigGuest> before;  // Removed, Changed, Unchanged
  std::optional<ConfigGuest> after;   // Added, Changed, Unchanged
  std::string why;                    // e.g. "uuid changed" when a new UUID under an old name forces remove + add
  // Changed/Unchanged: the guest's old name, when it was renamed. A rename is
  // a label change only: the mdev (same UUID) stays.
  std::string renamedFrom;
  bool renamed() const { return !renamedFrom.empty(); }
};

// Guests match by UUID (by name only where a configuration has no UUID for
// a guest). A guest renamed with its UUID kept is Changed or Unchanged with
// `renamedFrom` set; a name whose UUID changed is Removed and Added (with
// `why`). Order: by name, Removed before the others for the same name.
std::vector<GuestChange> diffConfigurations(const Configuration& before, const Configuration& after);
// Whether any change needs an mdev operation (renames alone do not).
bool changesMdevs(const std::vector<GuestChange>& changes);

std::string diffText(const std::vector<GuestChange>& changes);
std::string diffJson(const std::vector<GuestChange>& changes);

}  // namespace apc::migrate
