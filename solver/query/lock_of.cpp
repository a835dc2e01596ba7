// See lock_of.h.
#include "solver/query/lock_of.h"

#include <algorithm>
#include <map>
#include <set>

#include "solver/solve.h"

namespace apc::query {

namespace {

void sortByName(solver::Lock& lock) {
  std::sort(lock.guests.begin(), lock.guests.end(),
            [](const solver::LockedGuest& l, const solver::LockedGuest& r) { return l.name < r.name; });
}

}  // namespace

solver::Lock lockOf(const ir::SolvedPlan& sp) {
  solver::Lock lock;
  for (std::size_t i = 0; i < sp.plan.guests.size() && i < sp.alloc.size(); ++i)
    lock.guests.push_back({sp.plan.guests[i].name, sp.alloc[i].adapters, sp.alloc[i].domains,
                           sp.alloc[i].controlDomains, sp.alloc[i].uuid});
  sortByName(lock);
  return lock;
}

void rekeyByUuid(const ir::Plan& plan, solver::Lock& lock) {
  std::set<std::string> lockNames, planNames;
  for (const solver::LockedGuest& e : lock.guests) lockNames.insert(e.name);
  for (const ir::Guest& g : plan.guests) planNames.insert(g.name);
  // The UUID each plan guest will get when the lock does not give it one by
  // name: the plan's, else the derived one (as the solver assigns them).
  std::map<std::string, std::string> nameOfUuid;
  std::map<std::string, bool> isExplicit;
  for (const ir::Guest& g : plan.guests) {
    if (g.uuid) {
      nameOfUuid[*g.uuid] = g.name;
      isExplicit[*g.uuid] = true;
    } else if (!lockNames.count(g.name)) {
      nameOfUuid.emplace(solver::deriveUuid(plan.host.name, g.name), g.name);
    }
  }
  std::set<std::string> takenNames;  // names a renamed entry now carries
  for (solver::LockedGuest& e : lock.guests) {
    auto it = nameOfUuid.find(e.uuid);
    if (it == nameOfUuid.end() || it->second == e.name) continue;
    // A derived UUID never takes an entry away from a guest of that name.
    if (!isExplicit.count(e.uuid) && planNames.count(e.name)) continue;
    e.name = it->second;
    takenNames.insert(e.name);
  }
  if (takenNames.empty()) return;
  // Drop the entries whose name a renamed entry took (they hold another UUID).
  std::erase_if(lock.guests, [&](const solver::LockedGuest& e) {
    if (!takenNames.count(e.name)) return false;
    auto it = nameOfUuid.find(e.uuid);
    return it == nameOfUuid.end() || it->second != e.name;
  });
  sortByName(lock);
}

}  // namespace apc::query
