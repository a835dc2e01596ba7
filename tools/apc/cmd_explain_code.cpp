// `apc explain CODE`: prints what a diagnostic code means, with an example.
// The plan form (`apc explain PLAN [GUEST]`) is another command's; an
// argument that looks like a code ([EWN] and three digits) is always a code.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "tools/apc/commands.h"
#include "tools/apc/explain_code.h"

namespace apc::cli {

void registerExplainCode(CLI::App& app, int& exitCode) {
  auto code = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("explain", "Print what a diagnostic code (E205, W128, ...) means, with an example");
  cmd->add_option("CODE", *code, "A diagnostic code as apc prints it, e.g. E205")->required();
  cmd->callback([code, &exitCode] {
    if (!isDiagnosticCode(*code)) {
      std::cerr << "apc explain: '" << *code << "' is not a diagnostic code; codes look like E205 or W128\n";
      exitCode = kExitUsage;
      return;
    }
    if (!explainCode(*code, std::cout)) {
      std::cerr << "apc explain: no diagnostic " << *code << "; docs/diagnostics.md lists every code\n";
      exitCode = kExitUsage;
      return;
    }
    exitCode = kExitOk;
  });
}

}  // namespace apc::cli
