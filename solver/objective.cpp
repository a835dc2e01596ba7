// Optimising a valid allocation: an exact pass (Z3, "at most K moves", then
// "at most L guests per adapter") when the movable guests fit one model, and
// local passes for any size: put moved guests back on their locked matrix
// (re-placing the unlocked guests in the way), then move single guests off
// the busiest adapters. Every step keeps the state valid; the work is counted
// in guest placements, never in time.
#include "solver/objective.h"

#include <algorithm>
#include <tuple>

#include "solver/exact.h"

namespace apc::solver::detail {

namespace {

bool neverMoves(const GuestSpec& g) {
  return g.fixedBy == GuestSpec::FixedBy::Pinned || g.fixedBy == GuestSpec::FixedBy::Explicit;
}

bool onLock(const std::vector<std::optional<Placement>>& locked, const State& s, std::size_t gi) {
  return locked[gi] && s.placed[gi] && s.placed[gi]->adapters == locked[gi]->adapters &&
         s.placed[gi]->domains == locked[gi]->domains;
}

unsigned movedCount(const std::vector<std::optional<Placement>>& locked, const State& s) {
  unsigned k = 0;
  for (std::size_t gi = 0; gi < locked.size(); ++gi)
    if (locked[gi] && !onLock(locked, s, gi)) ++k;
  return k;
}

// The state without the guests marked in `drop` (State has no removal: the
// extra control domains of two holders may overlap, so it is rebuilt).
State without(const Model& m, const State& s, const std::vector<std::size_t>& drop) {
  State w;
  w.placed.resize(s.placed.size());
  for (std::size_t gi = 0; gi < s.placed.size(); ++gi) {
    if (!s.placed[gi] || std::find(drop.begin(), drop.end(), gi) != drop.end()) continue;
    w.place(m.guests[gi], *s.placed[gi], m.denyForeign);
  }
  return w;
}

bool keepsAll(const Placement& lock, const Placement& p) {
  return (lock.adapters & ~p.adapters).none() && (lock.domains & ~p.domains).none();
}

// A placement that keeps every queue of `lock` (a lock the guest outgrew)
// and adds the lowest candidate IDs that stay compatible: pure growth, so the
// guest loses nothing. nullopt when no such superset is found.
std::optional<Placement> growFromLock(const Model& m, const State& s, const GuestSpec& g, const Placement& lock) {
  if ((lock.adapters & ~g.candA).any() || (lock.domains & ~g.candD).any()) return std::nullopt;
  if (lock.adapters.count() > g.nA || lock.domains.count() > g.nD) return std::nullopt;
  Placement p = lock;
  auto widen = [&](IdSet Placement::*axis, const IdSet& cand, unsigned want) {
    for (unsigned id = 0; id < ir::kMaxIds && (p.*axis).count() < want; ++id) {
      if (!cand.test(id) || (p.*axis).test(id)) continue;
      Placement q = p;
      (q.*axis).set(id);
      if (compatible(m, s, g, q)) p = q;
    }
  };
  widen(&Placement::domains, g.candD, g.nD);
  widen(&Placement::adapters, g.candA, g.nA);
  if (!meetsRequirement(m, g, p) || !compatible(m, s, g, p)) return std::nullopt;
  return p;
}

// (busiest adapter, adapters at it, sum of squared loads): strictly smaller
// is better, so every accepted move makes progress and the passes end.
using SpreadKey = std::tuple<unsigned, unsigned, std::uint64_t>;

SpreadKey spreadKey(const std::array<unsigned, ir::kMaxIds>& on) {
  unsigned mx = 0, at = 0;
  std::uint64_t sq = 0;
  for (unsigned l : on) {
    if (l > mx) mx = l, at = 0;
    if (l == mx && l > 0) ++at;
    sq += std::uint64_t{l} * l;
  }
  return {mx, at, sq};
}

// A placement of g in s on the least-loaded open adapters (lowest ID on
// ties), lowest free domain IDs. nullopt when g does not fit or holds no adapter.
std::optional<Placement> spreadPlacement(const Model& m, const State& s, const GuestSpec& g) {
  if (g.nA == 0) return std::nullopt;
  std::vector<unsigned> open;
  std::array<IdSet, ir::kMaxIds> fd;
  forEachId(g.candA, [&](unsigned a) {
    if (!adapterOpenFor(m, s, g, a)) return;
    fd[a] = freeDomainsFor(m, s, g, a);
    if (fd[a].count() < g.nD) return;
    if (g.exactD && (g.candD & ~fd[a]).any()) return;
    open.push_back(a);
  });
  if (open.size() < g.nA) return std::nullopt;
  auto pickDomains = [&](const IdSet& common) {
    if (g.exactD) return g.candD;
    IdSet out;
    unsigned left = g.nD;
    forEachId(common, [&](unsigned d) {
      if (left) out.set(d), --left;
    });
    return out;
  };
  if (g.exactA) {
    if (open.size() != g.candA.count()) return std::nullopt;
    IdSet common = g.candD;
    for (unsigned a : open) common &= fd[a];
    if (common.count() < g.nD) return std::nullopt;
    return Placement{g.candA, pickDomains(common)};
  }
  std::stable_sort(open.begin(), open.end(), [&](unsigned x, unsigned y) { return s.guestsOn[x] < s.guestsOn[y]; });
  for (unsigned seed : open) {
    IdSet chosen, common = fd[seed];
    chosen.set(seed);
    for (unsigned k = 1; k < g.nA; ++k) {
      // Least loaded first; among equals the widest overlap, then the lowest ID.
      int best = -1;
      std::size_t bestOverlap = 0;
      for (unsigned c : open) {
        if (chosen.test(c)) continue;
        std::size_t overlap = (common & fd[c]).count();
        if (overlap < g.nD) continue;
        if (best >= 0 && s.guestsOn[c] > s.guestsOn[static_cast<unsigned>(best)]) break;
        if (best < 0 || overlap > bestOverlap) best = static_cast<int>(c), bestOverlap = overlap;
      }
      if (best < 0) break;
      chosen.set(static_cast<unsigned>(best));
      common &= fd[static_cast<unsigned>(best)];
    }
    if (chosen.count() < g.nA) continue;
    Placement p{chosen, pickDomains(common)};
    if (compatible(m, s, g, p)) return p;
  }
  return std::nullopt;
}

// Whether h's placement stands in the way of g taking p.
bool blocks(const Model& m, const GuestSpec& g, const Placement& p, const GuestSpec& h, const Placement& q) {
  if ((p.adapters & q.adapters).none()) return false;
  if ((p.domains & q.domains).any()) return true;
  if (std::binary_search(g.apart.begin(), g.apart.end(), h.index)) return true;
  if (m.denyForeign && ((g.extraControl & q.domains).any() || (h.extraControl & p.domains).any())) return true;
  return m.maxPerAdapter != 0;
}

// Moved guests back onto their locked matrix: the guests in the way that
// are not on their own lock are placed again elsewhere. One pass per round,
// until a round restores nobody.
void restoreLocks(const Model& m, const std::vector<std::optional<Placement>>& locked, const std::vector<bool>& grown,
                  const std::vector<std::size_t>& byName, State& s, std::uint64_t& work, std::uint64_t budget) {
  for (bool progress = true; progress && work < budget;) {
    progress = false;
    for (std::size_t gi : byName) {
      if (work >= budget) return;
      const GuestSpec& g = m.guests[gi];
      if (!locked[gi] || neverMoves(g) || onLock(locked, s, gi)) continue;
      const Placement& lp = *locked[gi];
      std::vector<std::size_t> way;
      bool possible = true;
      for (std::size_t hi : byName) {
        if (hi == gi || !s.placed[hi] || !blocks(m, g, lp, m.guests[hi], *s.placed[hi])) continue;
        if (neverMoves(m.guests[hi]) || grown[hi] || onLock(locked, s, hi)) {
          // Under a capacity limit a neighbour is only maybe in the way.
          if (m.maxPerAdapter && (lp.domains & s.placed[hi]->domains).none()) continue;
          possible = false;
          break;
        }
        way.push_back(hi);
      }
      if (!possible) continue;
      way.push_back(gi);
      State w = without(m, s, way);
      work += s.placed.size();
      way.pop_back();
      if (!compatible(m, w, g, lp)) continue;
      w.place(g, lp, m.denyForeign);
      bool ok = true;
      for (std::size_t hi : way) {
        auto q = spreadPlacement(m, w, m.guests[hi]);
        if (!q) {
          ok = false;
          break;
        }
        w.place(m.guests[hi], *q, m.denyForeign);
      }
      if (!ok) continue;
      s = std::move(w);
      progress = true;
    }
  }
}

// Single guests off the busiest adapters, while that lowers the spread key.
void spreadOut(const Model& m, const std::vector<bool>& movable, const std::vector<std::size_t>& byName, State& s,
               std::uint64_t& work, std::uint64_t budget) {
  while (work < budget) {
    SpreadKey cur = spreadKey(s.guestsOn);
    const unsigned mx = std::get<0>(cur);
    if (mx <= 1) return;
    bool improved = false;
    for (std::size_t gi : byName) {
      if (work >= budget) return;
      if (!movable[gi] || !s.placed[gi]) continue;
      const Placement old = *s.placed[gi];
      bool onBusiest = false;
      forEachId(old.adapters, [&](unsigned a) { onBusiest |= s.guestsOn[a] == mx; });
      if (!onBusiest) continue;
      State w = without(m, s, {gi});
      work += s.placed.size();
      auto q = spreadPlacement(m, w, m.guests[gi]);
      if (!q || q->adapters == old.adapters) continue;
      std::array<unsigned, ir::kMaxIds> on = w.guestsOn;
      forEachId(q->adapters, [&](unsigned a) { ++on[a]; });
      if (spreadKey(on) >= cur) continue;
      w.place(m.guests[gi], *q, m.denyForeign);
      s = std::move(w);
      improved = true;
      break;
    }
    if (!improved) return;
  }
}

// Lowest free domain IDs for each movable guest on the adapters it holds:
// loads stay as they are, and the guests' domains (so the host's aqmask)
// stay compact whatever order the search found them in.
void compactDomains(const Model& m, const std::vector<bool>& movable, const std::vector<std::size_t>& byName,
                    State& s, std::uint64_t& work, std::uint64_t budget) {
  for (std::size_t gi : byName) {
    if (work >= budget) return;
    const GuestSpec& g = m.guests[gi];
    if (!movable[gi] || !s.placed[gi] || g.exactD || g.nA == 0) continue;
    const Placement old = *s.placed[gi];
    State w = without(m, s, {gi});
    work += s.placed.size();
    IdSet common = g.candD;
    forEachId(old.adapters, [&](unsigned a) { common &= freeDomainsFor(m, w, g, a); });
    Placement p{old.adapters, {}};
    unsigned left = g.nD;
    forEachId(common, [&](unsigned d) {
      if (left) p.domains.set(d), --left;
    });
    if (left || p.domains == old.domains || !compatible(m, w, g, p)) continue;
    w.place(g, p, m.denyForeign);
    s = std::move(w);
  }
}

// ceil(adapter slots / adapters any guest can use), and no less than the
// busiest adapter of the guests that never move.
unsigned spreadLowerBound(const Model& m, const State& s) {
  std::uint64_t slots = 0;
  IdSet usable;
  unsigned fixedMax = 0;
  std::array<unsigned, ir::kMaxIds> fixedOn{};
  for (std::size_t gi = 0; gi < m.guests.size(); ++gi) {
    const GuestSpec& g = m.guests[gi];
    if (!s.placed[gi]) continue;
    slots += s.placed[gi]->adapters.count();
    if (neverMoves(g)) {
      usable |= s.placed[gi]->adapters;
      forEachId(s.placed[gi]->adapters, [&](unsigned a) { fixedMax = std::max(fixedMax, ++fixedOn[a]); });
    } else {
      usable |= g.candA | s.placed[gi]->adapters;
    }
  }
  std::uint64_t u = usable.count();
  unsigned counted = u ? static_cast<unsigned>((slots + u - 1) / u) : 0;
  return std::max(counted, fixedMax);
}

}  // namespace

Spread spreadOf(const State& s) {
  SpreadKey k = spreadKey(s.guestsOn);
  return {std::get<0>(k), std::get<1>(k)};
}

ObjectiveReport optimise(const Model& m, const std::vector<std::optional<Placement>>& locked,
                         const std::vector<std::optional<Placement>>& outgrown, const std::vector<std::size_t>& byName,
                         ir::PlacementGoal goal, const ObjectiveLimits& limits, State& state) {
  ObjectiveReport rep;
  const std::size_t n = m.guests.size();
  // Growth first: a guest that outgrew its lock keeps every locked queue when
  // a superset fits; from then on it stays where it is (nobody loses a queue).
  std::vector<bool> grown(n, false);
  for (std::size_t gi : byName) {
    if (!outgrown[gi] || neverMoves(m.guests[gi]) || !state.placed[gi]) continue;
    if (keepsAll(*outgrown[gi], *state.placed[gi])) {
      grown[gi] = true;
      continue;
    }
    State w = without(m, state, {gi});
    if (auto p = growFromLock(m, w, m.guests[gi], *outgrown[gi])) {
      w.place(m.guests[gi], *p, m.denyForeign);
      state = std::move(w);
      grown[gi] = true;
    }
  }
  const bool spread = goal == ir::PlacementGoal::Spread;
  rep.blastRadiusLowerBound = spreadLowerBound(m, state);

  // Exact pass: every guest that may move is a variable, the others are fixed.
  std::vector<std::size_t> movers;
  State base;
  base.placed.resize(n);
  for (std::size_t gi : byName) {
    if (neverMoves(m.guests[gi]) || grown[gi]) base.place(m.guests[gi], *state.placed[gi], m.denyForeign);
    else movers.push_back(gi);
  }
  std::vector<GuestSpec> specs = m.guests;
  bool modelOk = true;
  for (std::size_t gi : movers) {
    specs[gi].fixed.reset();
    specs[gi].fixedBy = GuestSpec::FixedBy::None;
    modelOk = modelOk && pruneCandidates(m, base, specs[gi]);
  }
  const bool anyLock = std::any_of(locked.begin(), locked.end(), [](const auto& l) { return l.has_value(); });
  bool movesProved = !anyLock;
  if (modelOk && !movers.empty() && modelable(specs, movers)) {
    ExactGoal eg;
    eg.locked = &locked;
    eg.minimiseCore = false;
    auto attempt = [&](ExactGoal g) -> ExactOutcome::Status {
      State st = base;
      ExactOutcome out = solveExact(m, specs, movers, st, z3Grant(*limits.budgets, false), limits.seed, g);
      chargeZ3(*limits.budgets, out);
      if (out.status == ExactOutcome::Status::Solved) state = std::move(st);
      return out.status;
    };
    bool complete = true;
    if (anyLock) {
      for (unsigned k = movedCount(locked, state); k > 0; k = movedCount(locked, state)) {
        eg.maxMoved = k - 1;
        ExactOutcome::Status st = attempt(eg);
        if (st == ExactOutcome::Status::Solved) continue;
        if (st == ExactOutcome::Status::Unknown) complete = false;
        break;
      }
      movesProved = complete;
      eg.maxMoved = movedCount(locked, state);
    }
    if (spread) {
      for (unsigned l = spreadOf(state).maxLoad; l > rep.blastRadiusLowerBound; l = spreadOf(state).maxLoad) {
        eg.maxLoad = l - 1;
        ExactOutcome::Status st = attempt(eg);
        if (st == ExactOutcome::Status::Solved) continue;
        if (st == ExactOutcome::Status::Infeasible) rep.blastRadiusLowerBound = l;
        else complete = false;
        break;
      }
    }
    rep.exact = complete;
  }

  std::uint64_t work = 0;
  if (anyLock && !movesProved) restoreLocks(m, locked, grown, byName, state, work, limits.localWork);
  if (spread) {
    std::vector<bool> movable(n, false);
    for (std::size_t gi : movers) movable[gi] = !onLock(locked, state, gi);
    spreadOut(m, movable, byName, state, work, limits.localWork);
  }
  {
    std::vector<bool> movable(n, false);
    for (std::size_t gi : movers) movable[gi] = !onLock(locked, state, gi);
    compactDomains(m, movable, byName, state, work, limits.localWork);
  }
  rep.moved = movedCount(locked, state);
  rep.movedLowerBound = movesProved ? rep.moved : 0;
  rep.blastRadius = spreadOf(state).maxLoad;
  if (spread && rep.exact) rep.blastRadiusLowerBound = std::max(rep.blastRadiusLowerBound, rep.blastRadius);
  return rep;
}

}  // namespace apc::solver::detail
