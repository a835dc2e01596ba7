// `apc diff OLD NEW [-o DIR]` and `apc diff --live [--sysfs ROOT] NEW`: the
// change list from what a host really holds to a new plan, and the migrate.sh
// that performs it.
//
// What the host holds is read from OLD: a lock file, a plan with its lock
// (the lock says which queues its guests got), a plan whose every guest is
// exact (its lists say it), or the live sysfs. NEW is then solved exactly as
// `apc compile NEW --lock-file <that lock>` solves it (the same runPipeline
// with the same lock), so both commands choose the same allocation.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "backends/migrate/config_diff.h"
#include "backends/migrate/migrate_script.h"
#include "solver/lock.h"
#include "solver/query/lock_of.h"
#include "tools/apc/atomic_write.h"
#include "tools/apc/cli_common.h"
#include "tools/apc/commands.h"
#include "tools/apc/diff_run.h"

namespace apc::cli {

namespace {

namespace fs = std::filesystem;

struct DiffFlags {
  std::vector<std::string> files;  // OLD NEW, or NEW alone with --live
  std::vector<std::string> policyFiles;
  std::string lockFile;  // OLD plan's lock (default OLD.lock)
  bool noLock = false;   // OLD plan: read no lock; then every guest of OLD must be exact
  bool locked = false;
  std::string format = "text";
  std::string outDir;
  bool noScript = false;
  bool live = false;
  std::string sysfs = "/sys";
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
  fs::path p(planPath);
  return (p.parent_path() / (p.stem().string() + ".out")).string();
}

std::optional<solver::Lock> readLockFile(const std::string& path, int& exitCode) {
  std::string text, err;
  if (!readFile(path, text, err)) {
    std::cerr << "apc diff: cannot read " << err << "\n";
    exitCode = kExitUsage;
    return std::nullopt;
  }
  std::optional<solver::Lock> lock = solver::parseLock(text, err);
  if (!lock) {
    std::cerr << "apc diff: " << path << " is not a valid lock file: " << err << "\n";
    exitCode = kExitPlanErrors;
  }
  return lock;
}

// The first guest whose queues OLD leaves to the solver, or nullptr.
const ir::Guest* firstInexactGuest(const ir::Plan& plan) {
  for (const ir::Guest& g : plan.guests)
    if (g.adapters.kind != ir::IdRequirement::Kind::Exact || g.domains.kind != ir::IdRequirement::Kind::Exact)
      return &g;
  return nullptr;
}

// OLD is a plan: with its lock, solved keeping every guest where the lock has
// it (a guest that would move means the lock is not OLD's); without one, only
// when every guest is exact.
std::optional<OldSide> oldFromPlan(const DiffFlags& f, const std::string& oldPath, int& exitCode) {
  std::string lockPath = f.lockFile.empty() ? defaultLockPath(oldPath) : f.lockFile;
  std::error_code ec;
  bool haveLock = !f.noLock && fs::exists(lockPath, ec);
  PipelineOptions o;
  o.planPath = oldPath;
  o.policyFiles = f.policyFiles;
  o.checkPolicies = false;  // OLD is what the host holds, judged or not
  if (haveLock) {
    std::optional<solver::Lock> lock = readLockFile(lockPath, exitCode);
    if (!lock) return std::nullopt;
    o.lock = std::move(lock);
    o.locked = true;
  } else {
    Compilation front;
    PipelineOptions fo = o;
    fo.solve = false;
    runPipeline(fo, front);
    reportDiagnostics(front, "text");
    if ((exitCode = exitCodeFor(front)) != kExitOk) return std::nullopt;
    if (const ir::Guest* g = firstInexactGuest(*front.plan)) {
      std::cerr << "apc diff: " << oldPath << " has no lock file (" << lockPath << ") and guest " << g->name
                << " leaves its queues to the solver: a plan alone does not say which queues its guests got.\n"
                << "  Give the lock of the compile that was applied (apc diff " << lockPath << " NEW),\n"
                << "  or read the host itself (apc diff --live NEW).\n";
      exitCode = kExitUsage;
      return std::nullopt;
    }
    o.readLock = false;
  }
  Compilation old;
  runPipeline(o, old);
  reportDiagnostics(old, "text");
  if ((exitCode = exitCodeFor(old)) != kExitOk) {
    if (haveLock) std::cerr << "apc diff: " << lockPath << " does not hold " << oldPath << "'s allocation\n";
    return std::nullopt;
  }
  OldSide side;
  side.config = migrate::fromSolved(*old.solved);
  side.lock = o.lock ? *o.lock : query::lockOf(*old.solved);
  return side;
}

// --live: the mdevs under the sysfs root, labelled with NEW's names.
std::optional<OldSide> oldFromLive(const DiffFlags& f, const std::string& newPath, int& exitCode) {
  kmod::LiveHost host;
  std::string err;
  if (!kmod::readLiveHost(f.sysfs, host, err)) {
    std::cerr << "apc diff: " << err << "\n";
    exitCode = kExitUsage;
    return std::nullopt;
  }
  Compilation front;
  PipelineOptions fo;
  fo.planPath = newPath;
  fo.policyFiles = f.policyFiles;
  fo.solve = false;
  runPipeline(fo, front);
  reportDiagnostics(front, "text");
  if ((exitCode = exitCodeFor(front)) != kExitOk) return std::nullopt;
  std::optional<OldSide> side = oldFromLiveHost(host, *front.plan, newPath, err);
  if (!side) {
    std::cerr << "apc diff: " << err << " under " << f.sysfs << "\n";
    exitCode = kExitUsage;
  }
  return side;
}

std::optional<OldSide> readOld(const DiffFlags& f, int& exitCode) {
  if (f.live) return oldFromLive(f, f.files[0], exitCode);
  const std::string& oldPath = f.files[0];
  std::string text, err;
  if (!readFile(oldPath, text, err)) {
    std::cerr << "apc diff: cannot read " << err << "\n";
    exitCode = kExitUsage;
    return std::nullopt;
  }
  if (!looksLikeLock(text)) return oldFromPlan(f, oldPath, exitCode);
  std::optional<solver::Lock> lock = solver::parseLock(text, err);
  if (!lock) {
    std::cerr << "apc diff: " << oldPath << " is not a valid lock file: " << err << "\n";
    exitCode = kExitPlanErrors;
    return std::nullopt;
  }
  OldSide side;
  side.config = migrate::fromLock(*lock);
  side.lock = std::move(*lock);
  return side;
}

void runDiff(const DiffFlags& f, int& exitCode) {
  if (f.files.size() != (f.live ? 1u : 2u)) {
    std::cerr << "apc diff: " << (f.live ? "--live takes one plan (NEW)" : "give OLD and NEW") << "\n";
    exitCode = kExitUsage;
    return;
  }
  std::optional<OldSide> old = readOld(f, exitCode);
  if (!old) return;
  const std::string& newPath = f.files.back();

  // NEW: the same pipeline and lock handling as `apc compile NEW --lock-file OLD's lock`.
  PipelineOptions o;
  o.planPath = newPath;
  o.policyFiles = f.policyFiles;
  o.locked = f.locked;
  DiffRun run;
  diffAgainst(*old, o, run);
  reportDiagnostics(run.c, "text");
  exitCode = exitCodeFor(run.c);
  if (exitCode != kExitOk) return;
  const std::vector<migrate::GuestChange>& changes = run.changes;
  const bool drivers = run.hostDriversDiffer;
  std::cout << (f.format == "json" ? migrate::diffJson(changes) : migrate::diffText(changes));
  if (drivers && f.format != "json") std::cout << "~ host: the queues the host's drivers keep differ from NEW's masks\n";
  if (f.noScript) return;
  if (f.live && !drivers && !migrate::changesMdevs(changes)) {
    if (f.format != "json") std::cout << "the host already matches " << newPath << ": no migrate.sh written\n";
    return;
  }
  std::string dir = f.outDir.empty() ? defaultOutDir(newPath) : f.outDir;
  std::string path = (fs::path(dir) / "migrate.sh").string();
  std::string werr = writeFileAtomic(path, migrate::migrateScript(*run.c.solved, changes), /*executable=*/true);
  if (!werr.empty()) {
    std::cerr << "apc diff: " << werr << "\n";
    exitCode = kExitUsage;
    return;
  }
  if (f.format != "json") std::cout << "wrote " << path << "\n";
}

}  // namespace

void registerDiff(CLI::App& app, int& exitCode) {
  auto f = std::make_shared<DiffFlags>();
  auto* cmd = app.add_subcommand(
      "diff", "Changes from OLD (a lock file, a plan with its lock, or the live host) to the plan NEW, and migrate.sh");
  cmd->add_option("files", f->files,
                  "OLD NEW: OLD is a lock file (plan.ap.lock) or a plan with its lock; with --live, NEW only")
      ->required()
      ->expected(1, 2);
  cmd->add_option("--policy", f->policyFiles, "Add the policies of FILE (a file of policy blocks); repeatable");
  cmd->add_option("--lock-file", f->lockFile, "OLD plan's lock file (default: OLD.lock)");
  cmd->add_flag("--no-lock", f->noLock,
                "Read no lock beside OLD: then every guest of OLD must list its adapters and domains");
  cmd->add_flag("--locked", f->locked, "Fail (exit 1) instead of moving any guest away from where OLD has it");
  cmd->add_option("--format", f->format, "Output format")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("-o,--output", f->outDir, "Folder for migrate.sh (default: NEW.out beside the new plan)");
  cmd->add_flag("--no-script", f->noScript, "Print the change list only; write nothing");
  cmd->add_flag("--live", f->live, "OLD is the live host: read its sysfs (see --sysfs)");
  cmd->add_option("--sysfs", f->sysfs, "With --live: the sysfs root (default /sys; an `apc sim` mount works too)");
  cmd->callback([f, &exitCode] { runDiff(*f, exitCode); });
}

}  // namespace apc::cli
