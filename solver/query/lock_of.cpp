// See lock_of.h.
#include "solver/query/lock_of.h"

#include <algorithm>

namespace apc::query {

solver::Lock lockOf(const ir::SolvedPlan& sp) {
  solver::Lock lock;
  for (std::size_t i = 0; i < sp.plan.guests.size() && i < sp.alloc.size(); ++i)
    lock.guests.push_back({sp.plan.guests[i].name, sp.alloc[i].adapters, sp.alloc[i].domains,
                           sp.alloc[i].controlDomains, sp.alloc[i].uuid});
  std::sort(lock.guests.begin(), lock.guests.end(),
            [](const solver::LockedGuest& l, const solver::LockedGuest& r) { return l.name < r.name; });
  return lock;
}

}  // namespace apc::query
