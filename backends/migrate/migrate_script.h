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
//      mdev the change touches holds only IDs of its old and new matrix (what
//      any interrupted run leaves: a rerun finishes the job), removed mdevs
//      held by no process, no foreign mdev holds a queue the new plan gives out)
//   1. remove the mdevs of removed guests
//   2. each changed or added guest, in dependency order (migrate_order.h: a
//      guest that gains queues another gives up goes after it; a cycle costs
//      its first guest one intermediate drop, named in a comment), first gets
//      the host mask bits of its old and new adapters and domains released
//      (-) (legacy: its new queues bound to vfio_ap), then takes its whole
//      new matrix in one step: created and assigned, or `apc_mdev_edit move`
//      (one ap_config write on 6.10+; else control domains and, on hot-plug
//      kernels, the gains whose extra queues are free at that point assigned
//      first, then lost IDs unassigned, then the other gains assigned)
//   3. host drivers: modern, the rest of the release, then bits taken back
//      (+), so no intermediate mask covers a queue still in an mdev; a bit an
//      mdev still holds a queue on is not taken back (6.19+ refuses it) and
//      is reported as a note, or fails the run if a reserve needs it; legacy,
//      queues no guest holds any more rebound to cex4queue
//   4. read back every touched mdev's matrix and control_domains
// Unchanged guests get no write at all.
std::string migrateScript(const ir::SolvedPlan& target, const std::vector<GuestChange>& changes);

}  // namespace apc::migrate
