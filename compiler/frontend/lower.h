// AST -> plan IR, with the semantic checks. Each phase reports all it finds
// and keeps going on whatever parsed, so one run shows every error.
#pragma once

#include <string>

#include "compiler/frontend/ast.h"
#include "compiler/frontend/diag_limiter.h"
#include "compiler/frontend/loader.h"
#include "compiler/ir/plan_ir.h"

namespace apc::compiler {

// lower_host.cpp: the inventory (ID limits E108, duplicates E105, types,
// reserve/offline expansion with E121).
ir::Inventory lowerHost(const ast::HostDecl& h, Reporter& rep);

// lower_guests.cpp: templates (E104, E106, W125), families (E122), guests
// with their checks against the host (E110-E115, E117, E119), apart (E107,
// E124). `host` is null when the plan has no usable host block.
void lowerGuests(const std::vector<FlatItem>& items, const ir::Inventory* host, ir::Plan& plan, Reporter& rep);

// lower_guests.cpp: adds one policy block's rules (E118 on conflicting repeats).
void lowerPolicy(const ast::PolicyDecl& p, ir::Policy& into, Reporter& rep);

// check_overlap.cpp: E116, two guests whose explicit matrices share a queue.
// Linear in the number of queues written, never pairwise over guests.
void checkExplicitOverlap(const ir::Plan& plan, Reporter& rep);

// lower_plan.cpp: the whole plan (E101/E102 and everything above).
ir::Plan lowerPlan(const LoadedPlan& loaded, const std::string& path, Reporter& rep);

// The source range of any top-level item.
ir::SourceRange itemRange(const ast::Item& item);

}  // namespace apc::compiler
