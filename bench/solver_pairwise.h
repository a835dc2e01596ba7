// The plain pairwise Z3 encoding the solver's bench compares against: one
// clause per pair of guests per common queue, default solver, no pruning,
// no symmetry breaking. For measurement only; never used by apc itself.
#pragma once

#include <cstdint>
#include <string>

#include "compiler/ir/plan_ir.h"

namespace apc::bench {

struct PairwiseOutcome {
  enum class Status { Sat, Unsat, LimitReached, NotBuilt } status = Status::NotBuilt;
  std::uint64_t clauses = 0;  // pairwise clauses (counted before building)
  std::string label() const;
};

// Builds and checks the model unless it would need more than `maxClauses`
// pairwise clauses; Z3 is bounded by `rlimit` (deterministic).
PairwiseOutcome solvePairwise(const ir::Plan& plan, std::uint64_t rlimit, std::uint64_t maxClauses);

}  // namespace apc::bench
