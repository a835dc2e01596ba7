// The whole front end (parse, includes, lowering, checks) plus a solve with
// small deterministic bounds, the independent checker on every answer, and
// the diagnostic printers (text and JSON) on every error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "compiler/frontend/frontend.h"
#include "compiler/ir/diag_printer.h"
#include "fuzz/fuzz_support.h"
#include "solver/checker/checker.h"
#include "solver/solve.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  apc::ir::SourceManager sm;
  apc::ir::DiagEngine diags;
  std::optional<apc::ir::Plan> plan =
      apc::compiler::loadPlanFromText(apc::fuzz::kDisplayPath, apc::fuzz::text(data, size), sm, diags);
  (void)apc::ir::renderTextAll(diags.all(), sm, {});
  (void)apc::ir::renderJson(diags.all(), sm);
  if (!plan) return 0;
  apc::ir::DiagEngine solveDiags;
  apc::solver::SolveResult r = apc::solver::solve(*plan, apc::fuzz::boundedSolve(), solveDiags);
  if (r.solved) apc::fuzz::require(apc::checker::verify(*r.solved).empty(), "checker rejects a solution");
  else apc::fuzz::require(solveDiags.hasErrors(), "the solver failed without a diagnostic");
  return 0;
}
