// The modern interface's host masks: the host drivers keep exactly
// apmask x aqmask, so pick the cross product that keeps every reserved queue,
// releases every guest queue and keeps the most other queues with the host.
#pragma once

#include "compiler/ir/diagnostic.h"
#include "compiler/ir/solved_plan.h"

namespace apc::solver {

// Sets solved.apmask/aqmask. Legacy: every ID the CRYCB format allows.
// Returns false (and reports E205 at the reserve lines) when no masks exist.
bool computeHostMasks(ir::SolvedPlan& solved, ir::DiagEngine& diags);

// W206 at the reserve lines when reserved queues force the host to keep
// queues nobody reserved (modern only). Independent of the guests.
void warnForcedHostQueues(const ir::Plan& plan, ir::DiagEngine& diags);

}  // namespace apc::solver
