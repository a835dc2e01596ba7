// `apc compile`: solve the plan, lower it through the selected backends, and
// swap the new set of artifacts into the output folder as a whole
// (output_folder.h), then write the lock file beside the plan.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>

#include "backends/backend.h"
#include "solver/lock.h"
#include "solver/why.h"
#include "tools/apc/atomic_write.h"
#include "tools/apc/cli_common.h"
#include "tools/apc/commands.h"
#include "tools/apc/output_folder.h"

namespace apc::cli {

namespace {

namespace fs = std::filesystem;

std::string defaultOutDir(const std::string& planPath) {
  fs::path p(planPath);
  return (p.parent_path() / (p.stem().string() + ".out")).string();
}

// What the output folder must never drop: every file this compile read.
std::vector<std::string> inputsOf(const Compilation& c, const PipelineOptions& po, const std::string& lockPath) {
  std::vector<std::string> paths{po.planPath, lockPath};
  for (ir::FileId id = 0; id < c.sm.fileCount(); ++id) paths.push_back(c.sm.path(id));
  paths.insert(paths.end(), po.policyFiles.begin(), po.policyFiles.end());
  return paths;
}

bool selectBackends(const std::string& emit, std::vector<const backends::Backend*>& out) {
  const auto& all = backends::registry();
  if (emit.empty() || emit == "all") {
    for (const auto& b : all) out.push_back(&b);
    return true;
  }
  std::stringstream ss(emit);
  std::set<std::string> wanted;
  for (std::string name; std::getline(ss, name, ',');) wanted.insert(name);
  for (const std::string& w : wanted)
    if (std::none_of(all.begin(), all.end(), [&](const auto& b) { return b.name == w; })) {
      std::string names;
      for (const auto& b : all) names += (names.empty() ? "" : ", ") + std::string(b.name);
      std::cerr << "apc: error: unknown --emit '" << w << "' (one of: " << names << ")\n";
      return false;
    }
  for (const auto& b : all)
    if (wanted.count(std::string(b.name))) out.push_back(&b);
  return true;
}

std::string emitHelp() {
  std::string h = "Comma-separated artifacts to write (default all):";
  for (const auto& b : backends::registry())
    h += "\n  " + std::string(b.name) + ": " + std::string(b.description);
  return h;
}

}  // namespace

void registerCompile(CLI::App& app, int& exitCode) {
  struct Flags {
    CommonFlags common;
    std::string outDir;
    std::string emit;
    bool quiet = false;
    bool explain = false;
    bool force = false;
  };
  auto f = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand("compile", "Solve a plan and write scripts and configuration");
  addPipelineFlags(*cmd, f->common);
  addFormatFlag(*cmd, f->common, /*withSarif=*/false);
  cmd->add_option("-o,--output", f->outDir, "Output folder (default: PLAN.out beside the plan)");
  cmd->add_option("--emit", f->emit, emitHelp());
  cmd->add_flag("--force", f->force,
                 "Manage an existing, non-empty output folder that apc did not write (its other files are kept)");
  cmd->add_flag("-q,--quiet", f->quiet, "Do not print the allocation table");
  cmd->add_flag("--explain", f->explain, "Also print why each guest got its matrix (as `apc explain`)");
  cmd->callback([f, &exitCode] {
    std::vector<const backends::Backend*> selected;
    if (!selectBackends(f->emit, selected)) {
      exitCode = kExitUsage;
      return;
    }
    Compilation c;
    runPipeline(pipelineOptions(f->common), c);
    reportDiagnostics(c, f->common.format);
    exitCode = exitCodeFor(c);
    if (exitCode != kExitOk) return;

    // Lower everything in memory first: a backend failure writes nothing.
    std::vector<backends::Artifact> artifacts;
    for (const backends::Backend* b : selected) {
      std::vector<backends::Artifact> a = b->emit(*c.solved);
      artifacts.insert(artifacts.end(), std::make_move_iterator(a.begin()), std::make_move_iterator(a.end()));
    }
    const PipelineOptions& po = f->common.pipeline;
    // Absolute before the swap: with `-o .` the working folder itself is
    // swapped out, and a relative lock path would then point into the old set.
    std::error_code ec;
    const std::string lockPath =
        fs::absolute(po.lockPath.empty() ? defaultLockPath(po.planPath) : po.lockPath, ec).string();
    OutputRequest req;
    req.dir = f->outDir.empty() ? defaultOutDir(po.planPath) : f->outDir;
    req.force = f->force;
    req.protectedFiles = inputsOf(c, po, lockPath);
    std::vector<OutputFile> files;
    files.reserve(artifacts.size());
    for (backends::Artifact& a : artifacts) files.push_back({a.path, std::move(a.bytes), a.executable});
    OutputResult out = replaceOutputFolder(req, files);
    for (const std::string& w : out.warnings) std::cerr << "apc: warning: " << w << "\n";
    if (!out.error.empty()) {
      std::cerr << "apc: error: " << out.error << "\n";
      exitCode = kExitUsage;
      return;
    }
    if (!po.locked) {
      if (std::string err = writeFileAtomic(lockPath, solver::serializeLock(*c.solved, c.inputHash));
          !err.empty()) {
        std::cerr << "apc: error: " << err << "\n";
        exitCode = kExitUsage;
        return;
      }
    }
    if (!f->quiet) std::cout << backends::renderShow(*c.solved);
    if (f->explain) std::cout << *solver::explainAllocation(*c.solved, c.objective, c.moved);
  });
}

}  // namespace apc::cli
