// Explanations read the finished allocation back through the solver's model
// (usable queues, apart partners, control domains, the per-adapter limit),
// one guest at a time, with that guest lifted out of the state so its own
// queues do not count against it.
#include "solver/why.h"

#include <algorithm>
#include <sstream>

#include "solver/explain.h"
#include "solver/model.h"

namespace apc::solver {

using namespace detail;

namespace {

std::string guestsText(unsigned n) { return std::to_string(n) + (n == 1 ? " guest" : " guests"); }

std::string objectiveLine(const ir::Plan& plan, const ObjectiveValues& o) {
  std::ostringstream os;
  bool spread = plan.policy.placement == ir::PlacementGoal::Spread;
  os << "objective: placement " << (spread ? "spread" : "pack") << "; the busiest adapter carries "
     << guestsText(o.blastRadius);
  if (spread) {
    if (o.blastRadiusLowerBound >= o.blastRadius) os << " (the fewest possible, proved)";
    else os << " (proved lower bound " << o.blastRadiusLowerBound << ")";
  }
  os << "; " << guestsText(o.moved) << " left a still-valid locked matrix";
  if (o.moved > 0) {
    if (o.movedLowerBound == o.moved) os << " (the fewest possible, proved)";
    else os << " (proved lower bound " << o.movedLowerBound << ")";
  }
  return os.str() + "\n";
}

std::string namesOn(const ir::SolvedPlan& s, unsigned a, std::size_t except) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < s.alloc.size(); ++i)
    if (i != except && s.alloc[i].adapters.test(a)) names.push_back(s.plan.guests[i].name);
  return joinNames(names, 6);
}

// Why g (lifted out of `w`) does not hold adapter a beside its other adapters.
std::string whyNot(const Model& m, const State& w, const GuestSpec& g, const ir::GuestAllocation& mine, unsigned a) {
  const ir::Plan& plan = *m.plan;
  for (std::size_t o : g.apart)
    if (w.placed[o] && w.placed[o]->adapters.test(a)) return "apart from " + plan.guests[o].name + ", which holds it";
  if (m.maxPerAdapter && w.guestsOn[a] >= m.maxPerAdapter)
    return "full: max guests per adapter " + std::to_string(m.maxPerAdapter);
  if (m.denyForeign && (g.extraControl & w.owned[a]).any()) return "its control domains are other guests' queues there";
  IdSet common = freeDomainsFor(m, w, g, a);
  forEachId(mine.adapters, [&](unsigned b) { common &= freeDomainsFor(m, w, g, b); });
  if (common.count() < g.nD)
    return "its domains there are taken: " + std::to_string(common.count()) + " free domains in common with its other adapters, it needs " +
           std::to_string(g.nD);
  return "free, but the swap would not lower the busiest adapter";
}

std::string explainGuest(const Model& m, const State& full, const ir::SolvedPlan& s, std::size_t gi,
                         const std::vector<std::string>& moved) {
  const ir::Guest& guest = s.plan.guests[gi];
  const ir::GuestAllocation& mine = s.alloc[gi];
  const GuestSpec& g = m.guests[gi];
  std::ostringstream os;
  os << "guest " << guest.name << ": adapters " << ir::formatIdList(mine.adapters) << " x domains "
     << ir::formatIdList(mine.domains) << "\n";
  os << "  asks for " << describeRequirement(guest) << "; candidates: " << describeAdapters(s.plan, g.candA) << "\n";
  if (std::find(moved.begin(), moved.end(), guest.name) != moved.end()) os << "  moved from its locked matrix\n";
  unsigned busiest = 0;
  forEachId(mine.adapters, [&](unsigned a) {
    busiest = std::max(busiest, full.guestsOn[a]);
    os << "  adapter " << ir::formatIdList(ir::makeIdSet({a})) << ": " << guestsText(full.guestsOn[a]);
    if (full.guestsOn[a] > 1) os << ", shared with " << namesOn(s, a, gi);
    os << "\n";
  });
  if (g.exactA) {
    os << "  binding rule: its adapters are written out in the plan\n";
    return os.str();
  }
  State w;
  w.placed.resize(full.placed.size());
  for (std::size_t i = 0; i < full.placed.size(); ++i)
    if (i != gi && full.placed[i]) w.place(m.guests[i], *full.placed[i], m.denyForeign);
  bool any = false;
  forEachId(g.candA & ~mine.adapters, [&](unsigned a) {
    if (full.guestsOn[a] + 1 >= busiest) return;  // would not carry fewer guests than it does now
    os << "  not on adapter " << ir::formatIdList(ir::makeIdSet({a})) << " (" << guestsText(full.guestsOn[a])
       << "): " << whyNot(m, w, g, mine, a) << "\n";
    any = true;
  });
  if (!any) os << "  binding rule: no candidate adapter carries fewer guests than its busiest one\n";
  return os.str();
}

}  // namespace

std::optional<std::string> explainAllocation(const ir::SolvedPlan& solved, const ObjectiveValues& objective,
                                             const std::vector<std::string>& moved, const std::string& guest) {
  Model m = buildModel(solved.plan);
  State full;
  full.placed.resize(solved.alloc.size());
  for (std::size_t i = 0; i < solved.alloc.size(); ++i)
    full.place(m.guests[i], Placement{solved.alloc[i].adapters, solved.alloc[i].domains}, m.denyForeign);
  std::vector<std::size_t> order(solved.alloc.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return solved.plan.guests[a].name < solved.plan.guests[b].name; });
  std::string out = objectiveLine(solved.plan, objective);
  bool found = guest.empty();
  for (std::size_t gi : order) {
    if (!guest.empty() && solved.plan.guests[gi].name != guest) continue;
    found = true;
    out += explainGuest(m, full, solved, gi, moved);
  }
  if (!found) return std::nullopt;
  return out;
}

}  // namespace apc::solver
