// CI gating: the plan's `policy` rules judged against a solved allocation.
// Each violation is a diagnostic with a stable code (E301..E306) at the guest
// (or at the policy line when no single guest is to blame), with notes.
#pragma once

#include "compiler/ir/diagnostic.h"
#include "compiler/ir/solved_plan.h"

namespace apc::checker {

// Reports, in a fixed order (policy kind, then guest/adapter order):
//  E301 min adapters N [for tag T]   at each guest with fewer adapters
//  E302 min domains N [for tag T]    at each guest with fewer usage domains
//  E303 max guests per adapter N     at the policy line, notes at the guests
//  E304 headroom P%                  at the policy line (P% of the guest-usable
//                                    queues must stay free; counts in the message)
//  E305 foreign control (unless `allow foreign control`) at the controlling
//       guest, one per (guest, victim) pair, note at the victim
//  E306 apart                        at the guest's name in the apart list
void checkPolicies(const ir::SolvedPlan& solved, ir::DiagEngine& diags);

// The findings that follow from the requests alone, for a plan the solver
// could not allocate (policy findings are reported beside solver errors):
// E301/E302 (a guest gets exactly as many IDs as it asks for) and E304 (any
// allocation uses the sum of the requests' queues). The rules that limit the
// solver's choices (E303, E305, E306) are the solver's own errors then.
void checkRequestPolicies(const ir::Plan& plan, ir::DiagEngine& diags);

}  // namespace apc::checker
