// Greedy biclique packing: each guest takes the adapters whose free domains
// overlap most (best fit on ties) and the domains already most used on them,
// so partly used rows and columns fill before fresh ones are opened.
#include "solver/greedy.h"

#include <algorithm>
#include <random>

namespace apc::solver::detail {

namespace {

// Deterministic noise: std::mt19937 is specified bit for bit; distributions are not.
class Noise {
 public:
  explicit Noise(std::uint32_t seed, bool on) : rng_(seed), on_(on) {}
  std::uint32_t next() { return on_ ? static_cast<std::uint32_t>(rng_() & 0xffff) : 0u; }
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(rng_() % n); }

 private:
  std::mt19937 rng_;
  bool on_;
};

// Picks `n` domains of `from`: those free on the fewest of the guest's open
// adapters first (already used elsewhere), ties by noise then ID.
IdSet chooseDomains(const IdSet& from, unsigned n, const std::array<unsigned, ir::kMaxIds>& freeOn,
                    Noise& noise) {
  struct Key {
    unsigned freeOn;
    std::uint32_t noise;
    unsigned id;
  };
  std::vector<Key> keys;
  forEachId(from, [&](unsigned d) { keys.push_back({freeOn[d], noise.next(), d}); });
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    if (a.freeOn != b.freeOn) return a.freeOn < b.freeOn;
    if (a.noise != b.noise) return a.noise < b.noise;
    return a.id < b.id;
  });
  IdSet out;
  for (unsigned i = 0; i < n && i < keys.size(); ++i) out.set(keys[i].id);
  return out;
}

bool placeOne(const Model& m, const GuestSpec& g, State& s, Noise& noise) {
  if (g.preferred && compatible(m, s, g, *g.preferred)) {
    s.place(g, *g.preferred, m.denyForeign);
    return true;
  }
  std::vector<unsigned> open;
  std::array<IdSet, ir::kMaxIds> fd;
  std::array<unsigned, ir::kMaxIds> freeOn{};
  forEachId(g.candA, [&](unsigned a) {
    if (!adapterOpenFor(m, s, g, a)) return;
    fd[a] = freeDomainsFor(m, s, g, a);
    if (fd[a].count() < g.nD) return;
    if (g.exactD && (g.candD & ~fd[a]).any()) return;
    open.push_back(a);
    if (!g.exactD) forEachId(fd[a], [&](unsigned d) { ++freeOn[d]; });
  });
  if (open.size() < g.nA) return false;
  Placement p;
  if (g.nA == 0) {
    p.domains = g.exactD ? g.candD : chooseDomains(g.candD, g.nD, freeOn, noise);
    s.place(g, p, m.denyForeign);
    return true;
  }
  if (g.exactA) {
    if (open.size() != g.candA.count()) return false;
    IdSet common = g.candD;
    for (unsigned a : open) common &= fd[a];
    if (common.count() < g.nD) return false;
    p.adapters = g.candA;
    p.domains = g.exactD ? g.candD : chooseDomains(common, g.nD, freeOn, noise);
    s.place(g, p, m.denyForeign);
    return true;
  }
  // Seeds in best-fit order: fewest free domains first.
  struct Seed {
    std::size_t free;
    std::uint32_t noise;
    unsigned id;
  };
  std::vector<Seed> seeds;
  for (unsigned a : open) seeds.push_back({fd[a].count(), noise.next(), a});
  std::sort(seeds.begin(), seeds.end(), [](const Seed& x, const Seed& y) {
    if (x.free != y.free) return x.free < y.free;
    if (x.noise != y.noise) return x.noise < y.noise;
    return x.id < y.id;
  });
  if (g.exactD) {
    for (unsigned i = 0; i < g.nA; ++i) p.adapters.set(seeds[i].id);
    p.domains = g.candD;
    s.place(g, p, m.denyForeign);
    return true;
  }
  for (const Seed& seed : seeds) {
    IdSet chosen;
    chosen.set(seed.id);
    IdSet common = fd[seed.id];
    bool ok = true;
    for (unsigned k = 1; k < g.nA; ++k) {
      const Seed* best = nullptr;
      std::size_t bestOverlap = 0;
      for (const Seed& c : seeds) {
        if (chosen.test(c.id)) continue;
        std::size_t overlap = (common & fd[c.id]).count();
        if (overlap < g.nD) continue;
        // Seeds are in best-fit order, so the first of equal overlap wins.
        if (!best || overlap > bestOverlap) {
          best = &c;
          bestOverlap = overlap;
        }
      }
      if (!best) {
        ok = false;
        break;
      }
      chosen.set(best->id);
      common &= fd[best->id];
    }
    if (!ok) continue;
    p.adapters = chosen;
    p.domains = chooseDomains(common, g.nD, freeOn, noise);
    s.place(g, p, m.denyForeign);
    return true;
  }
  return false;
}

}  // namespace

GreedyOutcome greedySolve(const Model& m, const std::vector<GuestSpec>& specs,
                          const std::vector<std::size_t>& component, State& state,
                          unsigned restarts, std::uint32_t seed) {
  GreedyOutcome out;
  std::vector<std::size_t> order = component;
  // Most demanding and least flexible first; plan index last (canonical order
  // is fixed by the caller, which sorts the plan's guests by name).
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const GuestSpec& x = specs[a];
    const GuestSpec& y = specs[b];
    unsigned dx = x.nA * x.nD, dy = y.nA * y.nD;
    if (dx != dy) return dx > dy;
    std::size_t fx = x.candA.count() * x.candD.count(), fy = y.candA.count() * y.candD.count();
    return fx < fy;
  });
  std::vector<unsigned> failures(specs.size(), 0);
  for (unsigned r = 0; r <= restarts; ++r) {
    Noise noise(seed * 2654435761u + r, r > 0);
    State s = state;
    std::size_t failed = specs.size();
    for (std::size_t gi : order) {
      if (!placeOne(m, specs[gi], s, noise)) {
        failed = gi;
        break;
      }
    }
    out.restartsUsed = r;
    if (failed == specs.size()) {
      state = std::move(s);
      out.solved = true;
      return out;
    }
    ++failures[failed];
    // Squeaky wheel: the guest that failed goes first next time; then a
    // light random swap keeps restarts from cycling.
    auto it = std::find(order.begin(), order.end(), failed);
    std::rotate(order.begin(), it, it + 1);
    if (order.size() > 2) {
      std::size_t i = 1 + noise.below(static_cast<std::uint32_t>(order.size() - 1));
      std::size_t j = 1 + noise.below(static_cast<std::uint32_t>(order.size() - 1));
      std::swap(order[i], order[j]);
    }
  }
  for (std::size_t gi : component)
    if (failures[gi]) out.hardest.push_back(gi);
  std::stable_sort(out.hardest.begin(), out.hardest.end(),
                   [&](std::size_t a, std::size_t b) { return failures[a] > failures[b]; });
  return out;
}

}  // namespace apc::solver::detail
