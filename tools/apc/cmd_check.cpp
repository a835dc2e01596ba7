// `apc check`: everything compile runs (parse, checks, solve, independent
// verification, policies), and nothing written. CI gates on its exit code.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "tools/apc/cli_common.h"
#include "tools/apc/commands.h"

namespace apc::cli {

void registerCheck(CLI::App& app, int& exitCode) {
  auto flags = std::make_shared<CommonFlags>();
  auto dump = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("check", "Check a plan: syntax, semantics, solvability and policies; write nothing");
  addPipelineFlags(*cmd, *flags);
  addFormatFlag(*cmd, *flags, /*withSarif=*/true);
  cmd->add_flag("--syntax-only", [flags](std::int64_t) { flags->pipeline.solve = false; },
                "Stop after the front end (parse and semantic checks)");
  cmd->add_option("--dump", *dump, "Print the plan IR after the front end")->check(CLI::IsMember({"ir"}));
  cmd->callback([flags, dump, &exitCode] {
    Compilation c;
    runPipeline(pipelineOptions(*flags), c);
    reportDiagnostics(c, flags->format);
    if (*dump == "ir" && c.plan) std::cout << ir::dumpPlan(*c.plan);
    exitCode = exitCodeFor(c);
  });
}

}  // namespace apc::cli
