// Round trips: fmt is idempotent and keeps the plan's meaning (success or
// failure alike), and a solved plan's lock reads back to the same matrices
// and makes the next solve keep every guest where it is.
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/frontend/frontend.h"
#include "fuzz/fuzz_support.h"
#include "solver/checker/checker.h"
#include "solver/lock.h"
#include "solver/solve.h"

namespace {

using namespace apc;

void fmtRoundTrip(const std::string& input) {
  ir::SourceManager sm;
  ir::DiagEngine diags;
  std::optional<std::string> once = compiler::formatText(fuzz::kDisplayPath, input, sm, diags);
  if (!once) return;
  ir::SourceManager sm2;
  ir::DiagEngine diags2;
  std::optional<std::string> twice = compiler::formatText(fuzz::kDisplayPath, *once, sm2, diags2);
  fuzz::require(twice.has_value(), "fmt output does not parse");
  fuzz::require(*twice == *once, "fmt is not idempotent");
  ir::SourceManager sa, sb;
  ir::DiagEngine da, db;
  bool a = compiler::loadPlanFromText(fuzz::kDisplayPath, input, sa, da).has_value();
  bool b = compiler::loadPlanFromText(fuzz::kDisplayPath, *once, sb, db).has_value();
  fuzz::require(a == b, "fmt changes whether the plan is valid");
}

void lockRoundTrip(const std::string& input) {
  ir::SourceManager sm;
  ir::DiagEngine diags;
  std::optional<ir::Plan> plan = compiler::loadPlanFromText(fuzz::kDisplayPath, input, sm, diags);
  if (!plan) return;
  ir::DiagEngine sd;
  solver::SolveResult r = solver::solve(*plan, fuzz::boundedSolve(), sd);
  if (!r.solved) return;
  fuzz::require(checker::verify(*r.solved).empty(), "checker rejects a solution");
  std::string lockText = solver::serializeLock(*r.solved, "00");
  std::string err;
  std::optional<solver::Lock> lock = solver::parseLock(lockText, err);
  fuzz::require(lock.has_value(), "apc cannot read the lock it wrote");
  fuzz::require(solver::serializeLock(*r.solved, "00") == lockText, "lock text is not stable");
  solver::SolveOptions o = fuzz::boundedSolve();
  o.lock = &*lock;
  o.locked = true;  // every guest must stay where its lock has it
  ir::DiagEngine ld;
  solver::SolveResult again = solver::solve(*plan, o, ld);
  fuzz::require(again.solved.has_value(), "a plan cannot be solved again with its own lock");
  for (std::size_t i = 0; i < again.solved->alloc.size(); ++i) {
    const ir::GuestAllocation& x = again.solved->alloc[i];
    const ir::GuestAllocation& y = r.solved->alloc[i];
    fuzz::require(x.adapters == y.adapters && x.domains == y.domains && x.uuid == y.uuid,
                  "a locked guest moved");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input = fuzz::text(data, size);
  fmtRoundTrip(input);
  lockRoundTrip(input);
  return 0;
}
