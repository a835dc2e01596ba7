// Plain-words diagnostics for plans that cannot be solved: each names a small
// set of conflicting requirements, with a note at each one's line and the
// queues or IDs they compete for. Never solver jargon.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/diagnostic.h"
#include "solver/exact.h"
#include "solver/model.h"

namespace apc::solver::detail {

// A counting argument: `guests` need `need` units of `unit` inside the scope,
// which has only `have` left.
struct Shortfall {
  std::vector<std::size_t> guests;
  std::size_t need = 0;
  std::size_t have = 0;
  std::string unit;   // "queues", "adapter places", "domains on adapter 0x05", ...
  std::string scope;  // "adapters 0x00..0x03 x domains 0x00..0x1f"
  // Arguments that are not plain supply and demand carry their own wording.
  ir::DiagCode code = ir::DiagCode::DemandExceedsSupply;
  std::string message;
};

// "web1, web2 and batch"; long lists end with "and N more".
std::string joinNames(const std::vector<std::string>& names, std::size_t max = 12);
// "2 CCA adapters x 1 domain", "adapters 0x05, 0x06 x domains 0x04, 0xab".
std::string describeRequirement(const ir::Guest& g);
// "the CCA adapters 0x00..0x03" or "adapters 0x00, 0x05".
std::string describeAdapters(const ir::Plan& plan, const IdSet& ids);

void reportShortfall(const Model& m, const Shortfall& s, ir::DiagEngine& diags);
// `spec` is the guest before pruning; `state` holds the fixed guests.
void reportStuckGuest(const Model& m, const GuestSpec& spec, const State& state, ir::DiagEngine& diags);
void reportCore(const Model& m, const std::vector<GuestSpec>& specs, const State& state,
                const std::vector<PlanElement>& core, ir::DiagEngine& diags);
// `budgetNote`: set when the solve's shared pools ran dry (solve.cpp).
void reportLimit(const Model& m, const std::vector<std::size_t>& component,
                 const std::vector<std::size_t>& hardest, ir::DiagEngine& diags,
                 const std::string& budgetNote = {});
// Why guest gi's locked matrix could not be kept: its own requirement no
// longer fits the locked matrix, locked queues became reserved or offline,
// or other guests (named, with a note each) hold locked queues now. Appends
// the reason to `message` ("... because ...") and notes to `d`.
void explainMove(const Model& m, const ir::SolvedPlan& solved, std::size_t gi, const Placement& locked,
                 std::string& message, std::vector<ir::DiagNote>& notes);

// Two fixed guests (pinned, explicit) that cannot both hold what they hold.
void reportFixedClash(const Model& m, const State& state, const GuestSpec& g, ir::DiagEngine& diags);

}  // namespace apc::solver::detail
