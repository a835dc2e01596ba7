// `apc diff OLD NEW [-o DIR]`: the change list from an old configuration (a
// lock file or a plan) to a new plan, and the migrate.sh that performs it.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "backends/migrate/config_diff.h"
#include "backends/migrate/migrate_script.h"
#include "solver/lock.h"
#include "tools/apc/atomic_write.h"
#include "tools/apc/cli_common.h"
#include "tools/apc/commands.h"

namespace apc::cli {

namespace {

struct DiffFlags {
  CommonFlags common;  // NEW plan, --policy, --lock-file, --no-lock, --locked, --format
  std::string oldPath;
  std::string outDir;
  bool noScript = false;
};

// A lock file is JSON (starts with '{'); anything else is taken as a plan.
bool looksLikeLock(const std::string& text) {
  for (char ch : text) {
    if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') continue;
    return ch == '{';
  }
  return false;
}

std::string defaultOutDir(const std::string& planPath) {
  std::filesystem::path p(planPath);
  return (p.parent_path() / (p.stem().string() + ".out")).string();
}

}  // namespace

void registerDiff(CLI::App& app, int& exitCode) {
  auto f = std::make_shared<DiffFlags>();
  auto* cmd = app.add_subcommand("diff", "Changes from OLD (a lock file or a plan) to the plan NEW, and migrate.sh");
  cmd->add_option("old", f->oldPath, "The old configuration: a lock file (plan.ap.lock) or a plan")->required();
  addPipelineFlags(*cmd, f->common);
  addFormatFlag(*cmd, f->common, /*withSarif=*/false);
  cmd->add_option("-o,--output", f->outDir, "Folder for migrate.sh (default: NEW.out beside the new plan)");
  cmd->add_flag("--no-script", f->noScript, "Print the change list only; write nothing");
  cmd->callback([f, &exitCode] {
    std::string text, err;
    if (!readFile(f->oldPath, text, err)) {
      std::cerr << "apc diff: cannot read " << err << "\n";
      exitCode = kExitUsage;
      return;
    }
    migrate::Configuration before;
    if (looksLikeLock(text)) {
      std::optional<solver::Lock> lock = solver::parseLock(text, err);
      if (!lock) {
        std::cerr << "apc diff: " << f->oldPath << " is not a valid lock file: " << err << "\n";
        exitCode = kExitPlanErrors;
        return;
      }
      before = migrate::fromLock(*lock);
    } else {
      Compilation old;
      PipelineOptions o;
      o.planPath = f->oldPath;
      runPipeline(o, old);
      reportDiagnostics(old, "text");
      exitCode = exitCodeFor(old);
      if (exitCode != kExitOk) return;
      before = migrate::fromSolved(*old.solved);
    }

    Compilation c;
    runPipeline(pipelineOptions(f->common), c);
    reportDiagnostics(c, "text");
    exitCode = exitCodeFor(c);
    if (exitCode != kExitOk) return;

    std::vector<migrate::GuestChange> changes = migrate::diffConfigurations(before, migrate::fromSolved(*c.solved));
    std::cout << (f->common.format == "json" ? migrate::diffJson(changes) : migrate::diffText(changes));
    if (f->noScript) return;
    std::string dir = f->outDir.empty() ? defaultOutDir(f->common.pipeline.planPath) : f->outDir;
    std::string path = (std::filesystem::path(dir) / "migrate.sh").string();
    std::string werr = writeFileAtomic(path, migrate::migrateScript(*c.solved, changes), /*executable=*/true);
    if (!werr.empty()) {
      std::cerr << "apc diff: " << werr << "\n";
      exitCode = kExitUsage;
      return;
    }
    if (f->common.format != "json") std::cout << "wrote " << path << "\n";
  });
}

}  // namespace apc::cli
