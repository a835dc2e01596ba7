// `apc compile`: solve the plan, lower it through the selected backends, and
// write the artifacts (each atomically) plus the lock file beside the plan.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>
#include <sstream>

#include "backends/backend.h"
#include "solver/lock.h"
#include "tools/apc/atomic_write.h"
#include "tools/apc/cli_common.h"
#include "tools/apc/commands.h"

namespace apc::cli {

namespace {

namespace fs = std::filesystem;

// The manifest lists what the last compile wrote into the output folder, so
// this compile can delete what it no longer produces (a removed guest's
// mdevctl file must not linger and be defined again by define.sh).
constexpr const char* kManifest = ".apc-manifest";

std::string defaultOutDir(const std::string& planPath) {
  fs::path p(planPath);
  return (p.parent_path() / (p.stem().string() + ".out")).string();
}

std::set<std::string> readManifest(const fs::path& dir) {
  std::set<std::string> files;
  std::string text, err;
  if (!readFile((dir / kManifest).string(), text, err)) return files;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line.find("..") == std::string::npos && line[0] != '/') files.insert(line);
  return files;
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

// "web1", "web1 and web2", "web1, web2 and 3 more".
std::string joinMoved(const std::vector<std::string>& names) {
  std::string out;
  const std::size_t shown = std::min<std::size_t>(names.size(), 5);
  for (std::size_t i = 0; i < shown; ++i)
    out += (i == 0 ? "" : i + 1 == shown && shown == names.size() ? " and " : ", ") + names[i];
  if (shown < names.size()) out += " and " + std::to_string(names.size() - shown) + " more";
  return out;
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
  };
  auto f = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand("compile", "Solve a plan and write scripts and configuration");
  addPipelineFlags(*cmd, f->common);
  addFormatFlag(*cmd, f->common, /*withSarif=*/false);
  cmd->add_option("-o,--output", f->outDir, "Output folder (default: PLAN.out beside the plan)");
  cmd->add_option("--emit", f->emit, emitHelp());
  cmd->add_flag("-q,--quiet", f->quiet, "Do not print the allocation table");
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
    fs::path dir = f->outDir.empty() ? defaultOutDir(f->common.pipeline.planPath) : f->outDir;
    std::set<std::string> stale = readManifest(dir);
    std::string manifest;
    for (const backends::Artifact& a : artifacts) {
      std::string err = writeFileAtomic((dir / a.path).string(), a.bytes, a.executable);
      if (!err.empty()) {
        std::cerr << "apc: error: " << err << "\n";
        exitCode = kExitUsage;
        return;
      }
      stale.erase(a.path);
      manifest += a.path + "\n";
    }
    for (const std::string& old : stale) {
      std::error_code ec;
      fs::remove(dir / old, ec);
    }
    if (std::string err = writeFileAtomic((dir / kManifest).string(), manifest); !err.empty()) {
      std::cerr << "apc: error: " << err << "\n";
      exitCode = kExitUsage;
      return;
    }
    if (!f->common.pipeline.locked) {
      const PipelineOptions& po = f->common.pipeline;
      std::string lockPath = po.lockPath.empty() ? defaultLockPath(po.planPath) : po.lockPath;
      std::string lock = solver::serializeLock(*c.solved, c.inputHash), before, readError;
      const bool existed = readFile(lockPath, before, readError);
      if (!existed || before != lock) {  // say so: the lock is committed, a rewrite shows in review
        if (std::string err = writeFileAtomic(lockPath, lock); !err.empty()) {
          std::cerr << "apc: error: " << err << "\n";
          exitCode = kExitUsage;
          return;
        }
        std::string why = !existed ? "written" : c.moved.empty() ? "rewritten (no guest moved)"
                                                                  : "rewritten: " + joinMoved(c.moved) + " moved";
        std::cerr << "apc: lock file " << lockPath << " " << why << "\n";
      }
    }
    if (!f->quiet) std::cout << backends::renderShow(*c.solved);
  });
}

}  // namespace apc::cli
