// The cause of a move, checked in the order a reader would: the guest's own
// requirement changed, another guest holds (or controls) the locked queues,
// an apart partner sits on a locked adapter, an adapter is at its limit of
// guests. When none applies alone, the move made room for others.
#include "solver/moves.h"

#include <algorithm>
#include <vector>

#include "solver/explain.h"

namespace apc::solver::detail {

namespace {

std::string idsText(const char* what, const IdSet& ids) {
  return std::string(what) + (ids.count() == 1 ? " " : "s ") + ir::formatIdList(ids);
}

}  // namespace

std::string moveCause(const Model& m, const State& s, std::size_t gi, const Placement& locked) {
  const ir::Plan& plan = *m.plan;
  const GuestSpec& g = m.guests[gi];
  if (!meetsRequirement(m, g, locked))
    return "its locked matrix no longer meets what it asks for (" + describeRequirement(plan.guests[gi]) + ")";
  std::vector<std::string> takers;
  for (std::size_t hi = 0; hi < s.placed.size(); ++hi) {
    if (hi == gi || !s.placed[hi]) continue;
    const Placement& q = *s.placed[hi];
    IdSet as = q.adapters & locked.adapters;
    if (as.none()) continue;
    const std::string& h = plan.guests[hi].name;
    IdSet ds = q.domains & locked.domains;
    if (ds.any()) {
      takers.push_back(h + "'s " + idsText("domain", q.domains) + " took its queues on " + idsText("adapter", as));
    } else if (std::binary_search(g.apart.begin(), g.apart.end(), hi)) {
      takers.push_back(h + " (apart from it) needed " + idsText("adapter", as));
    } else if (m.denyForeign && ((m.guests[hi].extraControl & locked.domains).any() ||
                                 (g.extraControl & q.domains).any())) {
      takers.push_back(h + "'s control domains and its queues cannot share " + idsText("adapter", as));
    }
  }
  if (!takers.empty()) return joinNames(takers, 3);
  if (m.maxPerAdapter) {
    IdSet full;
    forEachId(locked.adapters, [&](unsigned a) {
      if (s.guestsOn[a] >= m.maxPerAdapter) full.set(a);
    });
    if (full.any())
      return idsText("adapter", full) + " carried the most guests `max guests per adapter " +
             std::to_string(m.maxPerAdapter) + "` allows";
  }
  return "its locked queues are free, but keeping it left no room for the guests that had to move";
}

}  // namespace apc::solver::detail
