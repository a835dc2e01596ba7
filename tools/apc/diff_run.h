// The core of `apc diff`, shared by the command and its bench: what the host
// holds (OldSide), and NEW solved against OldSide's lock through the very
// runPipeline `apc compile` uses, so both choose the same allocation.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "backends/migrate/config_diff.h"
#include "kmod/discover/live_host.h"
#include "solver/lock.h"
#include "tools/apc/pipeline.h"

namespace apc::cli {

struct OldSide {
  migrate::Configuration config;
  solver::Lock lock;                     // NEW is solved against it
  std::optional<ir::QueueSet> hostKept;  // --live: the queues the host's drivers keep now
};

// --live: the host's mdevs, each labelled with the name of the NEW guest that
// will have its UUID (the plan's UUID, else the lock beside NEW, else the one
// derived from host and guest name, as the solver assigns them), else
// "mdev UUID", which names no guest. Unreadable mdevs are reported in `error`.
std::optional<OldSide> oldFromLiveHost(const kmod::LiveHost& host, const ir::Plan& newPlan,
                                       const std::string& newPlanPath, std::string& error);

struct DiffRun {
  Compilation c;  // NEW, solved
  std::vector<migrate::GuestChange> changes;
  bool hostDriversDiffer = false;  // --live: the host keeps other queues than NEW's masks
};

// Solves `newOpts.planPath` with old.lock (replacing any lock option) and
// compares. `run.c` holds the diagnostics when NEW does not solve.
void diffAgainst(const OldSide& old, PipelineOptions newOpts, DiffRun& run);

}  // namespace apc::cli
