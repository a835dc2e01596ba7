// migrate.sh: moves a live host from an old configuration to a new plan with
// the fewest sysfs writes, never refusing a write and never letting one queue
// sit in two mdevs, with the same safety rules as apply.sh.
#pragma once

#include <string>
#include <vector>

#include "backends/migrate/config_diff.h"
#include "compiler/ir/solved_plan.h"

namespace apc::migrate {

// The script, for `changes` = diffConfigurations(old, fromSolved(target)).
// Phases, in this order (each write journaled; a failure undoes the run):
//   0. lock, then preconditions (vfio_ap loaded, every new queue exists, each
//      mdev the change touches reads the old matrix (or already the new one:
//      a second run changes nothing), removed mdevs held by no process, no
//      foreign mdev holds a queue the new plan gives out)
//   1. remove the mdevs of removed guests
//   2. unassign what changed guests lose (adapters, domains, control domains)
//   3. host drivers: modern, apmask/aqmask bits released (-) first, then taken
//      back (+), so no intermediate mask covers a queue still in an mdev; a
//      bit an mdev still holds a queue on is not taken back (6.19+ refuses
//      it) and is reported as a note, or fails the run if a reserve needs it;
//      legacy, queues rebound one by one
//   4. create the mdevs of added guests and assign their matrices
//   5. assign what changed guests gain
//   6. read back every touched mdev's matrix and control_domains
// Unchanged guests get no write at all.
std::string migrateScript(const ir::SolvedPlan& target, const std::vector<GuestChange>& changes);

}  // namespace apc::migrate
