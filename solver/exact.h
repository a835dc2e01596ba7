// The exact pass: one component as a QF_FD model in Z3 (cardinalities
// native, "g and h share an adapter/domain" variables instead of pairwise
// clauses per queue, redundant capacity rows, lex-leader symmetry breaking
// between identical guests). Bounded by Z3's deterministic rlimit only.
#pragma once

#include <cstdint>
#include <vector>

#include "solver/budget.h"
#include "solver/model.h"

namespace apc::solver::detail {

// A plan element a constraint came from: what an unsat core is made of.
struct PlanElement {
  enum class Kind { Guest, Apart, MaxPerAdapter, ForeignControl };
  Kind kind = Kind::Guest;
  std::size_t id = 0;  // guest index or apart group index; 0 for the policies
  friend bool operator==(const PlanElement&, const PlanElement&) = default;
};

struct ExactOutcome {
  enum class Status { Solved, Infeasible, Unknown } status = Status::Unknown;
  std::uint64_t rlimitSpent = 0;  // Z3's "rlimit count" over every check of the call (budget.h)
  std::uint64_t conflicts = 0;    // Z3's SAT conflicts over every check of the call
  std::vector<PlanElement> core;  // Infeasible: a minimised set of conflicting elements
  bool coreMinimal = false;       // the deletion pass finished within its limit
};

// Optional objective rows on top of the rules (solver/objective.cpp asks
// "is there an allocation with at most K moves / L guests per adapter?").
struct ExactGoal {
  // Per plan index: the locked matrix a guest keeps when it gets exactly it.
  const std::vector<std::optional<Placement>>* locked = nullptr;
  std::optional<unsigned> maxMoved;  // at most this many locked guests leave their matrix
  std::optional<unsigned> maxLoad;   // at most this many guests per adapter, counting `state`
  bool minimiseCore = true;          // false: an Infeasible answer needs no core
};

// Whether the component is small enough to model (guests, variables, pairs).
bool modelable(const std::vector<GuestSpec>& specs, const std::vector<std::size_t>& component);

// The same limit for a model of `vars` variables and `pairs` guest pairs
// sharing a candidate adapter (for growing a subproblem one guest at a time).
bool modelFits(std::size_t vars, std::size_t pairs);

// Deterministic bounds of one solveExact call. rlimit alone bounds time
// badly (Mycielski M_6 on 5 adapters: 35M units took 166 s of CPU), so the
// SAT solver's conflicts are capped per check as well; either ends in Unknown.
struct Z3Limits {
  std::uint64_t rlimit = 0;     // per check() call; the core pass gets half of it in total
  std::uint64_t conflicts = 0;  // per check() call; 0: no cap
};

// Charges what one call spent to the solve's Z3 pools.
void chargeZ3(SolveBudgets& budgets, const ExactOutcome& out);

// What one call may take from the solve's Z3 pool: a check's cap, or what
// is left (two thirds of it when a core pass, up to half again, follows).
Z3Limits z3Grant(const SolveBudgets& budgets, bool withCore);

// On Solved, places the component's guests into `state`.
ExactOutcome solveExact(const Model& m, const std::vector<GuestSpec>& specs,
                        const std::vector<std::size_t>& component, State& state,
                        const Z3Limits& limits, std::uint32_t seed, const ExactGoal& goal = {});

}  // namespace apc::solver::detail
