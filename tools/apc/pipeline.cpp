// The pipeline driver. Phases hand typed results to each other and the
// driver stops between phases when one reported an error (p4c, jsonnet).
#include "tools/apc/pipeline.h"

#include <filesystem>
#include <ostream>

#include "compiler/frontend/frontend.h"
#include "compiler/ir/diag_printer.h"
#include "compiler/ir/diag_sarif.h"
#include "compiler/ir/internal_error.h"
#include "solver/checker/checker.h"
#include "solver/checker/policy_check.h"
#include "solver/query/lock_of.h"
#include "solver/solve.h"
#include "tools/apc/atomic_write.h"
#include "tools/apc/input_hash.h"

namespace apc::cli {

namespace {

bool mainFileUnreadable(const ir::DiagEngine& diags) {
  for (const ir::Diagnostic& d : diags.all())
    if (d.code == ir::DiagCode::IoError && !d.range.valid()) return true;
  return false;
}

// Reads the lock beside the plan when there is one. A lock that cannot be
// parsed is an error: silently ignoring it would move every guest.
std::optional<solver::Lock> readLock(const PipelineOptions& opts, Compilation& c) {
  std::string path = opts.lockPath.empty() ? defaultLockPath(opts.planPath) : opts.lockPath;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  std::string text, err;
  if (!readFile(path, text, err)) {
    c.diags.error(ir::DiagCode::LockFileInvalid, {}, "cannot read lock file " + err);
    return std::nullopt;
  }
  std::optional<solver::Lock> lock = solver::parseLock(text, err);
  if (!lock) {
    auto& d = c.diags.error(ir::DiagCode::LockFileInvalid, {}, "lock file " + path + " is not valid: " + err);
    ir::addNote(d, {}, "delete it to let apc allocate every guest afresh, or restore it from version control");
  }
  return lock;
}

}  // namespace

std::string defaultLockPath(const std::string& planPath) { return planPath + ".lock"; }

void runPipeline(const PipelineOptions& opts, Compilation& c) {
  c.plan = compiler::loadPlan(opts.planPath, c.sm, c.diags);
  if (mainFileUnreadable(c.diags)) c.usageError = true;
  if (!c.plan) return;
  for (const std::string& pf : opts.policyFiles) {
    if (!compiler::mergePolicyFile(pf, *c.plan, c.sm, c.diags)) {
      if (mainFileUnreadable(c.diags)) c.usageError = true;
      c.plan.reset();
      return;
    }
  }
  c.inputHash = hashInputs(c.sm);
  if (!opts.solve) return;

  std::optional<solver::Lock> lock = opts.lock;
  if (!lock && opts.readLock) {
    lock = readLock(opts, c);
    if (c.diags.hasErrors()) return;
  }
  if (lock) query::rekeyByUuid(*c.plan, *lock);
  solver::SolveOptions so;
  so.lock = lock ? &*lock : nullptr;
  so.locked = opts.locked;
  solver::SolveResult r = solver::solve(*c.plan, so, c.diags);
  c.moved = r.moved;
  c.objective = r.objective;
  if (r.status != solver::SolveStatus::Solved || !r.solved) {
    APC_BUG_CHECK(c.diags.hasErrors(), "the solver failed without saying why");
    // Policy findings are reported beside solver errors: those the requests
    // alone decide hold for every allocation the solver could have found.
    if (opts.checkPolicies) checker::checkRequestPolicies(*c.plan, c.diags);
    return;
  }
  // The independent checker sees every answer before anything is written.
  std::vector<checker::Violation> bad = checker::verify(*r.solved);
  if (!bad.empty()) {
    std::string what = "the solver's allocation broke " + std::to_string(bad.size()) + " rule(s):";
    for (const checker::Violation& v : bad) what += "\n  [" + v.rule + "] " + v.message;
    throw ir::InternalError(what);
  }
  if (opts.checkPolicies) checker::checkPolicies(*r.solved, c.diags);
  if (c.diags.hasErrors()) return;
  c.solved = std::move(r.solved);
}

int exitCodeFor(const Compilation& c) {
  if (c.usageError) return 2;
  if (c.diags.hasErrors()) return 1;
  return 0;
}

void printDiagnostics(const Compilation& c, std::string_view format, std::ostream& os, bool color) {
  ir::DiagEngine sorted = c.diags;
  sorted.sortByLocation();
  if (format == "json")
    os << ir::renderJson(sorted.all(), c.sm);
  else if (format == "sarif")
    os << ir::renderSarif(sorted.all(), c.sm);
  else
    os << ir::renderTextAll(sorted.all(), c.sm, ir::TextStyle{color});
}

}  // namespace apc::cli
