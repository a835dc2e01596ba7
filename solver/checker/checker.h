// The independent checker: verifies a solved plan against every rule of
// LANGUAGE.md without sharing code with the solver. compile runs it before
// writing anything; tests run it on every answer the solver gives.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/solved_plan.h"

namespace apc::checker {

struct Violation {
  std::string rule;                 // "overlap", "requirement", "reserved", ...
  std::string message;              // plain words, names guests and queues
  std::optional<std::size_t> guest;  // the guest it concerns, when one
};

// Hard rules: queues exist, are not reserved or offline, no two guests share
// one; every requirement (exact lists, any N with filters) and control-domain
// rule holds; apart groups; max guests per adapter; foreign control (unless
// allowed); modern host masks keep every reserved queue and release every
// guest queue; UUIDs unique and well formed. Empty result: the plan is sound.
std::vector<Violation> verify(const ir::SolvedPlan& solved);

}  // namespace apc::checker
