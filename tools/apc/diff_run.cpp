// See diff_run.h.
#include "tools/apc/diff_run.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "solver/solve.h"
#include "tools/apc/atomic_write.h"

namespace apc::cli {

namespace {

std::map<std::string, std::string> expectedUuids(const ir::Plan& plan, const std::string& planPath) {
  std::optional<solver::Lock> own;
  std::error_code ec;
  if (std::string path = defaultLockPath(planPath); std::filesystem::exists(path, ec)) {
    std::string text, err;
    if (readFile(path, text, err)) own = solver::parseLock(text, err);
  }
  std::map<std::string, std::string> nameOf;
  for (const ir::Guest& g : plan.guests) {
    std::string u;
    if (g.uuid) u = *g.uuid;
    else if (const solver::LockedGuest* l = own ? own->find(g.name) : nullptr; l && !l->uuid.empty()) u = l->uuid;
    else u = solver::deriveUuid(plan.host.name, g.name);
    nameOf[u] = g.name;
  }
  return nameOf;
}

bool differ(const ir::QueueSet& a, const ir::QueueSet& b) {
  for (const ir::Queue& q : a.toVector())
    if (!b.contains(q.adapter, q.domain)) return true;
  for (const ir::Queue& q : b.toVector())
    if (!a.contains(q.adapter, q.domain)) return true;
  return false;
}

}  // namespace

std::optional<OldSide> oldFromLiveHost(const kmod::LiveHost& host, const ir::Plan& newPlan,
                                       const std::string& newPlanPath, std::string& error) {
  std::map<std::string, std::string> nameOf = expectedUuids(newPlan, newPlanPath);
  OldSide side;
  for (const kmod::LiveMdev& m : host.mdevs) {
    if (!m.readable) {
      error = "cannot read mdev " + m.uuid;
      return std::nullopt;
    }
    auto it = nameOf.find(m.uuid);
    std::string name = it != nameOf.end() ? it->second : "mdev " + m.uuid;
    side.config.guests.push_back({name, m.uuid, m.adapters, m.domains, m.controlDomains});
    side.lock.guests.push_back({name, m.adapters, m.domains, m.controlDomains, m.uuid});
  }
  auto byName = [](const auto& l, const auto& r) { return l.name < r.name; };
  std::sort(side.config.guests.begin(), side.config.guests.end(), byName);
  std::sort(side.lock.guests.begin(), side.lock.guests.end(), byName);
  side.hostKept = host.kept;
  return side;
}

void diffAgainst(const OldSide& old, PipelineOptions newOpts, DiffRun& run) {
  newOpts.lock = old.lock;
  runPipeline(newOpts, run.c);
  if (!run.c.solved) return;
  run.changes = migrate::diffConfigurations(old.config, migrate::fromSolved(*run.c.solved));
  run.hostDriversDiffer = old.hostKept && differ(*old.hostKept, run.c.solved->hostKeptQueues());
}

}  // namespace apc::cli
