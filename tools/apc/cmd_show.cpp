// `apc show`: the solved allocation for people (lszcrypt-like tables and the
// host's matrix view), without writing anything.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "backends/backend.h"
#include "tools/apc/cli_common.h"
#include "tools/apc/commands.h"

namespace apc::cli {

void registerShow(CLI::App& app, int& exitCode) {
  auto flags = std::make_shared<CommonFlags>();
  auto* cmd = app.add_subcommand("show", "Print each guest's queues and the host's matrix view");
  addPipelineFlags(*cmd, *flags);
  cmd->callback([flags, &exitCode] {
    Compilation c;
    runPipeline(pipelineOptions(*flags), c);
    reportDiagnostics(c, "text");
    exitCode = exitCodeFor(c);
    if (exitCode == kExitOk) std::cout << backends::renderShow(*c.solved);
  });
}

}  // namespace apc::cli
