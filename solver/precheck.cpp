// Each check is a sum over guests against a sum over free queues; all are
// O(guests^2) bitset operations at worst, well under a millisecond for
// hundreds of guests. The first failing check (in a fixed order) is reported,
// with the smallest set of guests the argument needs.
#include "solver/precheck.h"

#include <algorithm>

namespace apc::solver::detail {

namespace {

std::size_t demand(const GuestSpec& g) { return static_cast<std::size_t>(g.nA) * g.nD; }

std::size_t freeIn(const Model& m, const State& s, const IdSet& as, const IdSet& ds) {
  std::size_t n = 0;
  forEachId(as, [&](unsigned a) { n += (m.usable[a] & ~s.owned[a] & ~s.controlled[a] & ds).count(); });
  return n;
}

bool subset(const IdSet& a, const IdSet& b) { return (a & ~b).none(); }

// Two guests that each need more than half of the IDs they may use on one
// axis must share one of them, so on the other axis they need disjoint IDs.
// A set of guests pairwise forced like that needs the sum of their other-axis
// counts in distinct IDs. Cliques are grown greedily from each guest.
std::optional<Shortfall> forcedSharing(const Model& m, const std::vector<GuestSpec>& specs,
                                       const std::vector<std::size_t>& open, bool adapterAxis) {
  auto n = [&](std::size_t g) { return adapterAxis ? specs[g].nA : specs[g].nD; };
  auto other = [&](std::size_t g) { return adapterAxis ? specs[g].nD : specs[g].nA; };
  auto cand = [&](std::size_t g) -> const IdSet& { return adapterAxis ? specs[g].candA : specs[g].candD; };
  auto otherCand = [&](std::size_t g) -> const IdSet& { return adapterAxis ? specs[g].candD : specs[g].candA; };
  unsigned maxN = 0;
  for (std::size_t g : open) maxN = std::max(maxN, n(g));
  std::vector<std::size_t> pool;  // only guests that can be forced at all
  for (std::size_t g : open)
    if (n(g) > 0 && cand(g).count() < n(g) + maxN) pool.push_back(g);
  auto forced = [&](std::size_t g, std::size_t h) { return n(g) + n(h) > (cand(g) | cand(h)).count(); };
  for (std::size_t start : pool) {
    std::vector<std::size_t> clique{start};
    for (std::size_t h : pool) {
      if (h == start) continue;
      bool all = std::all_of(clique.begin(), clique.end(), [&](std::size_t c) { return forced(c, h); });
      if (all) clique.push_back(h);
    }
    if (clique.size() < 2) continue;
    std::size_t need = 0;
    IdSet ids, shared;
    for (std::size_t g : clique) {
      need += other(g);
      ids |= otherCand(g);
      shared |= cand(g);
    }
    if (need <= ids.count()) continue;
    std::sort(clique.begin(), clique.end());
    std::vector<std::string> names;
    for (std::size_t g : clique) names.push_back(m.plan->guests[g].name);
    Shortfall sf;
    sf.guests = clique;
    sf.need = need;
    sf.have = ids.count();
    sf.code = ir::DiagCode::Infeasible;
    std::string axis = adapterAxis ? "adapter" : "domain";
    std::string otherAxis = adapterAxis ? "domains" : "adapters";
    sf.message = "guests " + joinNames(names) + " cannot all be placed: each needs more than half of the " + axis +
                 "s it may use (" + (adapterAxis ? describeAdapters(*m.plan, shared) : "domains " + ir::formatIdList(shared)) +
                 "), so every two of them share an " + axis + " and need different " + otherAxis + ": together " +
                 std::to_string(need) + " " + otherAxis + ", but only " + std::to_string(ids.count()) +
                 " are free for them (" + ir::formatIdList(ids) + ")";
    return sf;
  }
  return std::nullopt;
}

}  // namespace

std::optional<Shortfall> countingPrecheck(const Model& m, const std::vector<GuestSpec>& specs,
                                          const std::vector<std::size_t>& open, const State& state) {
  if (open.empty()) return std::nullopt;
  // Queues: for each distinct candidate set C on one axis (adapters, then
  // domains), the guests confined to C need more queues than C x (the union
  // of their candidates on the other axis) has free. The two axes are duals.
  // `seen` collects the distinct candidate sets (the adapter ones are reused
  // by the per-adapter guest-limit check below).
  std::vector<IdSet> seenA, seenD;
  auto confinedShortfall = [&](bool byAdapters, std::vector<IdSet>& seen) -> std::optional<Shortfall> {
    auto own = [&](std::size_t g) -> const IdSet& { return byAdapters ? specs[g].candA : specs[g].candD; };
    auto other = [&](std::size_t g) -> const IdSet& { return byAdapters ? specs[g].candD : specs[g].candA; };
    for (std::size_t gi : open) {
      const IdSet& c = own(gi);
      if (std::find(seen.begin(), seen.end(), c) != seen.end()) continue;
      seen.push_back(c);
      Shortfall sf;
      IdSet rest;
      for (std::size_t h : open)
        if (subset(own(h), c)) {
          sf.guests.push_back(h);
          sf.need += demand(specs[h]);
          rest |= other(h);
        }
      const IdSet& as = byAdapters ? c : rest;
      const IdSet& ds = byAdapters ? rest : c;
      sf.have = freeIn(m, state, as, ds);
      if (sf.need > sf.have) {
        sf.unit = "queues";
        sf.scope = describeAdapters(*m.plan, as) + " x domains " + ir::formatIdList(ds);
        return sf;
      }
    }
    return std::nullopt;
  };
  if (auto sf = confinedShortfall(true, seenA)) return sf;
  if (auto sf = confinedShortfall(false, seenD)) return sf;
  // Per explicit ID on one axis: the guests that must hold it need disjoint
  // IDs of the other axis with a free queue on it (per adapter: domains; per
  // domain: adapters). The two axes are duals, as above.
  auto freeQueue = [&](unsigned a, unsigned d) {
    return (m.usable[a] & ~state.owned[a] & ~state.controlled[a]).test(d);
  };
  auto pinnedShortfall = [&](bool byAdapter) -> std::optional<Shortfall> {
    for (unsigned id = 0; id < ir::kMaxIds; ++id) {
      Shortfall sf;
      IdSet others;
      for (std::size_t h : open) {
        const GuestSpec& g = specs[h];
        if (!(byAdapter ? g.exactA && g.candA.test(id) : g.exactD && g.candD.test(id))) continue;
        sf.guests.push_back(h);
        sf.need += byAdapter ? g.nD : g.nA;
        others |= byAdapter ? g.candD : g.candA;
      }
      if (sf.guests.size() < 2) continue;
      forEachId(others, [&](unsigned o) { sf.have += byAdapter ? freeQueue(id, o) : freeQueue(o, id); });
      if (sf.need > sf.have) {
        sf.unit = byAdapter ? "domains" : "adapters";
        sf.scope = std::string(byAdapter ? "adapter " : "domain ") + ir::formatIdList(ir::makeIdSet({id}));
        return sf;
      }
    }
    return std::nullopt;
  };
  if (auto sf = pinnedShortfall(true)) return sf;
  if (auto sf = pinnedShortfall(false)) return sf;
  // Adapter places under the policy's per-adapter limit.
  if (m.maxPerAdapter) {
    for (const IdSet& S : seenA) {
      Shortfall sf;
      for (std::size_t h : open)
        if (subset(specs[h].candA, S)) {
          sf.guests.push_back(h);
          sf.need += specs[h].nA;
        }
      forEachId(S, [&](unsigned a) {
        sf.have += m.maxPerAdapter > state.guestsOn[a] ? m.maxPerAdapter - state.guestsOn[a] : 0;
      });
      if (sf.need > sf.have) {
        sf.unit = "guest places (at most " + std::to_string(m.maxPerAdapter) + " guests per adapter)";
        sf.scope = describeAdapters(*m.plan, S);
        return sf;
      }
    }
  }
  if (auto sf = forcedSharing(m, specs, open, true)) return sf;
  if (auto sf = forcedSharing(m, specs, open, false)) return sf;
  return std::nullopt;
}

}  // namespace apc::solver::detail
