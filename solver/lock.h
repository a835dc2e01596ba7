// plan.ap.lock: each guest's matrix and UUID from the last compile, plus a
// hash of the inputs, as sorted JSON so it diffs well under version control.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/solved_plan.h"

namespace apc::solver {

struct LockedGuest {
  std::string name;
  ir::IdSet adapters;
  ir::IdSet domains;
  ir::IdSet controlDomains;
  std::string uuid;
};

struct Lock {
  std::string inputHash;             // hex digest of the plan's input files
  std::vector<LockedGuest> guests;   // sorted by name
  const LockedGuest* find(const std::string& name) const;
};

// nullopt with `error` set when the text is not a lock file apc wrote.
std::optional<Lock> parseLock(const std::string& text, std::string& error);
std::string serializeLock(const ir::SolvedPlan& solved, const std::string& inputHash);

}  // namespace apc::solver
