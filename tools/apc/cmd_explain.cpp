// `apc explain PLAN [GUEST]`: why each guest (or one) got its matrix — the
// objective the allocation reached and what was proved, the guests it shares
// adapters with, the rule that keeps it off the less loaded adapters.
// `apc explain CODE` (E201, W209, ...) documents a diagnostic code instead:
// any argument of the form [EWN] and three digits is a code, never a plan.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <regex>

#include "solver/why.h"
#include "tools/apc/cli_common.h"
#include "tools/apc/commands.h"

namespace apc::cli {

namespace {

bool isDiagnosticCode(const std::string& s) {
  static const std::regex kCode("[EWN][0-9]{3}");
  return std::regex_match(s, kCode);
}

}  // namespace

// Hook for the documentation of diagnostic codes (filled in by the change
// that adds it): prints the text of `code` to `out`, false when there is none.
bool explainCode(const std::string& code, std::ostream& out) {
  (void)code;
  (void)out;
  return false;
}

void registerExplain(CLI::App& app, int& exitCode) {
  struct Flags {
    CommonFlags common;
    std::string guest;
  };
  auto f = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand(
      "explain", "Why each guest got its matrix (PLAN [GUEST]), or what a diagnostic code means (CODE)");
  addPipelineFlags(*cmd, f->common);
  cmd->add_option("guest", f->guest, "Explain only this guest");
  cmd->callback([f, &exitCode] {
    const std::string& target = f->common.pipeline.planPath;
    if (isDiagnosticCode(target)) {
      if (explainCode(target, std::cout)) {
        exitCode = kExitOk;
        return;
      }
      std::cerr << "apc: error: no explanation of diagnostic code " << target << " is available\n";
      exitCode = kExitUsage;
      return;
    }
    Compilation c;
    runPipeline(pipelineOptions(f->common), c);
    reportDiagnostics(c, "text");
    exitCode = exitCodeFor(c);
    if (exitCode != kExitOk) return;
    std::optional<std::string> text = solver::explainAllocation(*c.solved, c.objective, c.moved, f->guest);
    if (!text) {
      std::cerr << "apc: error: the plan has no guest named '" << f->guest << "'\n";
      exitCode = kExitUsage;
      return;
    }
    std::cout << *text;
  });
}

}  // namespace apc::cli
