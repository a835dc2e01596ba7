// The pipeline driver: load -> policy files -> solve -> verify -> policies.
// Each phase reports every error it finds; the driver stops between phases
// when there are errors. Commands (check, compile, show, query, diff) share it.
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/diagnostic.h"
#include "compiler/ir/solved_plan.h"
#include "solver/lock.h"
#include "solver/solve.h"

namespace apc::cli {

struct PipelineOptions {
  std::string planPath;
  std::vector<std::string> policyFiles;  // --policy FILE (repeatable)
  std::string lockPath;                  // "" = planPath + ".lock"
  bool readLock = true;                  // keep guests where the lock has them
  // A lock given in memory (`apc diff`: the old configuration's), used
  // instead of any lock file. Either way the lock is re-keyed to the plan's
  // names by UUID first, so a renamed guest keeps its matrix.
  std::optional<solver::Lock> lock;
  bool locked = false;                   // --locked: moving a guest is an error
  bool solve = true;                     // false: front end only
  // false: skip the policy judgements (min adapters, headroom, ...). Capacity
  // queries must still answer for a plan that already breaks its headroom.
  bool checkPolicies = true;
};

struct Compilation {
  ir::SourceManager sm;
  ir::DiagEngine diags;
  std::optional<ir::Plan> plan;
  std::optional<ir::SolvedPlan> solved;  // set only when every phase passed
  std::string inputHash;                 // SHA-256 hex of every input file read
  std::vector<std::string> moved;        // guests moved from their lock
  solver::ObjectiveValues objective;     // what the allocation scores (apc explain)
  bool usageError = false;               // the main file could not be read: exit 2
};

void runPipeline(const PipelineOptions& opts, Compilation& c);
// 0 ok, 1 the plan has errors, 2 usage or I/O error.
int exitCodeFor(const Compilation& c);
// format: "text" (clang style, colour when `color`), "json" or "sarif".
void printDiagnostics(const Compilation& c, std::string_view format, std::ostream& os,
                      bool color = false);
std::string defaultLockPath(const std::string& planPath);

}  // namespace apc::cli
