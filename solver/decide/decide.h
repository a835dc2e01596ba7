// A definite answer for a component the greedy could not place: counting
// cuts with parity first, then, when one axis of every guest is fixed, an
// exact colouring search with symmetry breaking, for components of any size.
// All of it is bounded by counted work (never time); when the budget runs
// out the outcome says what was proved, for the E204 message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/diagnostic.h"
#include "solver/budget.h"
#include "solver/explain.h"
#include "solver/model.h"

namespace apc::solver::detail {

struct DecideOutcome {
  enum class Status { Solved, Infeasible, Unknown } status = Status::Unknown;
  // Infeasible: the reason in plan terms (its own message and code).
  std::optional<Shortfall> reason;
  std::vector<std::size_t> apartGroups;  // groups the reason relies on (notes)
  // Unknown after a search: how far it got, for the E204 message.
  std::size_t queuesNeeded = 0;
  std::size_t queueBound = 0;  // the counting cut's bound on the queues they can hold
  bool searched = false;
  std::size_t mostPlaced = 0;
  std::vector<std::size_t> unplaced;  // plan indices left at that point
  // Who searched, for the message: this exact search, or the repair
  // (solver/local_search.h) when the colouring does not apply.
  std::string searchedBy = "the exact search";
  unsigned subproblems = 0;  // Z3 subproblems around the unplaced guests that found no completion
  std::uint64_t work = 0;    // work units the search and the core pass spent (budget.h)
  // Set by solve.cpp when the solve's pools ran dry: which ones and what
  // was spent, so E204 says that the budget, not the plan, ended the search.
  std::string budgetNote;
};

// `component`: plan indices, specs pruned against `state`. On Solved the
// component's guests are placed into `state` (checked against the rules).
// `countingCuts` false skips the parity cut, like SolveOptions::countingPrechecks.
DecideOutcome decideComponent(const Model& m, const std::vector<GuestSpec>& specs,
                              const std::vector<std::size_t>& component, State& state, bool countingCuts = true,
                              std::uint64_t workBudget = BudgetCaps{}.decidePerComponent);

// E202/E201 for Infeasible outcomes.
void reportDecided(const Model& m, const DecideOutcome& out, ir::DiagEngine& diags);
// E204 that says what the search proved (guests it could place, the ones left).
void reportUndecided(const Model& m, const std::vector<std::size_t>& component, const DecideOutcome& out,
                     ir::DiagEngine& diags);

}  // namespace apc::solver::detail
