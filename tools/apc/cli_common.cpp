// Shared flag wiring for the subcommands.
#include "tools/apc/cli_common.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

namespace apc::cli {

void addPipelineFlags(CLI::App& cmd, CommonFlags& flags) {
  cmd.add_option("plan", flags.pipeline.planPath, "The plan file (.ap)")->required();
  cmd.add_option("--policy", flags.pipeline.policyFiles,
                 "Add the policies of FILE (a file of policy blocks); repeatable");
  cmd.add_option("--lock-file", flags.pipeline.lockPath, "Lock file (default: PLAN.lock)");
  cmd.add_flag("--no-lock", flags.noLock, "Ignore the lock file: allocate every guest afresh");
  cmd.add_flag("--locked", flags.pipeline.locked,
               "Fail (exit 1) instead of moving any guest away from its locked matrix");
}

void addFormatFlag(CLI::App& cmd, CommonFlags& flags, bool withSarif) {
  auto* opt = cmd.add_option("--format", flags.format, "Output format for diagnostics");
  if (withSarif)
    opt->check(CLI::IsMember({"text", "json", "sarif"}));
  else
    opt->check(CLI::IsMember({"text", "json"}));
}

PipelineOptions pipelineOptions(const CommonFlags& flags) {
  PipelineOptions o = flags.pipeline;
  if (flags.noLock) o.readLock = false;
  return o;
}

void reportDiagnostics(const Compilation& c, const std::string& format) {
  if (format == "text") {
    if (c.diags.all().empty()) return;
    bool color = ::isatty(STDERR_FILENO) && !std::getenv("NO_COLOR");
    printDiagnostics(c, format, std::cerr, color);
  } else {
    printDiagnostics(c, format, std::cout);
  }
}

}  // namespace apc::cli
