// Locks built or adjusted outside a compile: a lock from a solved plan's
// current allocation (so a re-solve keeps guests where they are whenever it
// can), and a lock re-keyed to a plan's names by UUID (a UUID is a guest's
// identity, its name only a label).
#pragma once

#include "compiler/ir/plan_ir.h"
#include "compiler/ir/solved_plan.h"
#include "solver/lock.h"

namespace apc::query {

solver::Lock lockOf(const ir::SolvedPlan& solved);

// The solver finds a guest's locked matrix by name. A plan guest whose UUID
// is a locked entry's under another name (the guest was renamed; or the lock
// comes from a discovered host, whose guests may be named mdev_<uuid8>) gets
// that entry under its own name, so it keeps its matrix and its mdev. The
// UUID is the plan's, else (no entry by its name) the one derived from host
// and guest name; a derived UUID never takes an entry whose name is another
// plan guest's. An entry a rename displaces (same name, another UUID) is
// dropped: the name now labels another guest. Entries stay sorted by name.
void rekeyByUuid(const ir::Plan& plan, solver::Lock& lock);

}  // namespace apc::query
