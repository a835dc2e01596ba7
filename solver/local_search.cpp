// Min-conflicts repair. Every guest of the component gets a placement inside
// what the rest of the plan leaves free (hard); among the component's guests
// a placement may overlap others (soft), and the ones it overlaps are
// evicted and queued again (an ejection chain). A guest placed recently is
// expensive to evict (tabu), so the chain does not undo its last steps.
// What is found is re-checked placement by placement with compatible(),
// the same rules the greedy uses, so the search only has to be good, never
// right; the solver's self-check and the independent checker follow.
#include "solver/local_search.h"

#include <algorithm>
#include <deque>
#include <random>

#include "solver/exact.h"

namespace apc::solver::detail {

namespace {

constexpr unsigned kTabuWeight = 64;      // weight of evicting a guest placed within the tenure
constexpr unsigned kSeedTries = 4;        // seed adapters tried per placement (any x any guests)

class Rng {
 public:
  explicit Rng(std::uint32_t seed) : rng_(seed) {}
  std::uint32_t below(std::uint32_t n) { return n ? static_cast<std::uint32_t>(rng_() % n) : 0u; }
  std::uint32_t bits() { return static_cast<std::uint32_t>(rng_() & 0xffff); }

 private:
  std::mt19937 rng_;
};

// Picks the n cheapest IDs of `from` by cost[], ties by noise then ID.
IdSet cheapest(const IdSet& from, unsigned n, const std::vector<unsigned>& cost, Rng& rng) {
  struct Key {
    unsigned cost;
    std::uint32_t noise;
    unsigned id;
  };
  std::vector<Key> keys;
  forEachId(from, [&](unsigned id) { keys.push_back({cost[id], rng.bits(), id}); });
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    if (a.cost != b.cost) return a.cost < b.cost;
    if (a.noise != b.noise) return a.noise < b.noise;
    return a.id < b.id;
  });
  IdSet out;
  for (unsigned i = 0; i < n && i < keys.size(); ++i) out.set(keys[i].id);
  return out;
}

class Search {
 public:
  Search(const Model& m, const std::vector<GuestSpec>& specs, const std::vector<std::size_t>& comp,
         const State& base, std::uint64_t budget, std::uint32_t seed)
      : m_(m), specs_(specs), comp_(comp), base_(base), budget_(budget), rng_(seed) {}

  // Runs the search; false when some guest has no placement at all.
  bool run();
  std::uint64_t work() const { return work_; }
  const std::vector<std::optional<Placement>>& best() const { return best_; }
  std::size_t bestPlaced() const { return bestPlaced_; }

 private:
  struct Open {
    unsigned adapter;
    IdSet free;  // free domains there, in what the rest of the plan leaves
  };
  struct Choice {
    Placement p;
    std::vector<unsigned> evict;  // local indices
    unsigned cost = 0;
  };

  const GuestSpec& spec(unsigned i) const { return specs_[comp_[i]]; }
  bool prepare();
  unsigned weight(unsigned j) const { return step_ - lastPlaced_[j] <= tenure_ ? kTabuWeight : 1u; }
  bool clash(unsigned i, const Placement& p, unsigned j) const;
  Choice evaluate(unsigned i, const Placement& p);
  std::optional<Choice> choose(unsigned i);
  void lift(unsigned j);
  void put(unsigned i, const Placement& p);

  const Model& m_;
  const std::vector<GuestSpec>& specs_;
  const std::vector<std::size_t>& comp_;
  const State& base_;
  std::uint64_t budget_;
  Rng rng_;
  std::uint64_t work_ = 0;
  std::vector<int> local_;                        // plan index -> local index, -1 outside
  std::vector<std::vector<unsigned>> apart_;      // local apart partners, sorted
  std::vector<std::vector<Open>> open_;           // per local guest
  std::vector<std::optional<Placement>> cur_;
  std::array<std::vector<unsigned>, ir::kMaxIds> on_;  // local guests holding each adapter
  std::vector<std::uint64_t> lastPlaced_;
  std::uint64_t step_ = 0;
  std::uint64_t tenure_ = 7;
  std::vector<std::optional<Placement>> best_;
  std::size_t bestPlaced_ = 0;
};

bool Search::prepare() {
  const std::size_t k = comp_.size();
  local_.assign(specs_.size(), -1);
  for (std::size_t i = 0; i < k; ++i) local_[comp_[i]] = static_cast<int>(i);
  apart_.resize(k);
  open_.resize(k);
  for (unsigned i = 0; i < k; ++i) {
    const GuestSpec& g = spec(i);
    for (std::size_t o : g.apart)
      if (local_[o] >= 0) apart_[i].push_back(static_cast<unsigned>(local_[o]));
    std::sort(apart_[i].begin(), apart_[i].end());
    forEachId(g.candA, [&](unsigned a) {
      if (!adapterOpenFor(m_, base_, g, a)) return;
      IdSet fd = freeDomainsFor(m_, base_, g, a);
      bool enough = g.exactD ? (g.candD & ~fd).none() : fd.count() >= g.nD;
      if (enough) open_[i].push_back({a, fd});
    });
    if (open_[i].size() < g.nA) return false;
    if (g.exactA && open_[i].size() != g.candA.count()) return false;
  }
  cur_.assign(k, std::nullopt);
  lastPlaced_.assign(k, 0);
  return true;
}

// Whether guest i on p and guest j (placed) break a rule on a shared adapter.
bool Search::clash(unsigned i, const Placement& p, unsigned j) const {
  if (std::binary_search(apart_[i].begin(), apart_[i].end(), j)) return true;
  const Placement& q = *cur_[j];
  if ((p.domains & q.domains).any()) return true;
  if (!m_.denyForeign) return false;
  return (spec(i).extraControl & q.domains).any() || (spec(j).extraControl & p.domains).any();
}

// The guests p would evict, exactly: clashes on shared adapters, then the
// cheapest extra guests on adapters that `max guests per adapter` fills.
Search::Choice Search::evaluate(unsigned i, const Placement& p) {
  Choice c;
  c.p = p;
  forEachId(p.adapters, [&](unsigned a) {
    work_ += on_[a].size() + 1;
    for (unsigned j : on_[a])
      if (std::find(c.evict.begin(), c.evict.end(), j) == c.evict.end() && clash(i, p, j)) c.evict.push_back(j);
  });
  if (m_.maxPerAdapter) {
    forEachId(p.adapters, [&](unsigned a) {
      std::vector<unsigned> stay;
      for (unsigned j : on_[a])
        if (std::find(c.evict.begin(), c.evict.end(), j) == c.evict.end()) stay.push_back(j);
      std::size_t held = base_.guestsOn[a] + stay.size();
      if (held < m_.maxPerAdapter) return;
      std::stable_sort(stay.begin(), stay.end(), [&](unsigned x, unsigned y) { return weight(x) < weight(y); });
      for (std::size_t e = 0; e <= held - m_.maxPerAdapter && e < stay.size(); ++e) c.evict.push_back(stay[e]);
    });
  }
  for (unsigned j : c.evict) c.cost += weight(j);
  return c;
}

// The cheapest placement found for guest i: for exact axes the other axis
// is chosen by cost; for any x any guests a few seed adapters, their
// cheapest domains, the cheapest adapters offering those, then the domains
// again for the adapters chosen. Costs count the guests a queue would evict.
std::optional<Search::Choice> Search::choose(unsigned i) {
  const GuestSpec& g = spec(i);
  const std::vector<Open>& open = open_[i];
  if (g.nA == 0) {
    Placement p;
    std::vector<unsigned> none(ir::kMaxIds, 0);
    p.domains = g.exactD ? g.candD : cheapest(g.candD, g.nD, none, rng_);
    return evaluate(i, p);
  }
  // Per open adapter: a flat cost (apart partners, foreign control) and a
  // per-domain cost (holders of that domain there).
  std::vector<unsigned> flat(open.size(), 0);
  std::vector<std::vector<unsigned>> cell(open.size());
  for (std::size_t k = 0; k < open.size(); ++k) {
    unsigned a = open[k].adapter;
    cell[k].assign(ir::kMaxIds, 0);
    // The row costs a pass over its free domains as well as its holders.
    work_ += on_[a].size() + open[k].free.count() + 1;
    for (unsigned j : on_[a]) {
      const Placement& q = *cur_[j];
      bool whole = std::binary_search(apart_[i].begin(), apart_[i].end(), j) ||
                   (m_.denyForeign && (g.extraControl & q.domains).any());
      if (whole) {
        flat[k] += weight(j);
        continue;
      }
      IdSet hit = q.domains;
      if (m_.denyForeign) hit |= spec(j).extraControl;
      forEachId(hit & open[k].free, [&](unsigned d) { cell[k][d] += weight(j); });
    }
    if (m_.maxPerAdapter && base_.guestsOn[a] + on_[a].size() >= m_.maxPerAdapter) flat[k] += 1;
  }
  auto adapterCost = [&](std::size_t k, const IdSet& ds) {
    unsigned c = flat[k];
    forEachId(ds, [&](unsigned d) { c += cell[k][d]; });
    return c;
  };
  auto domainCost = [&](const std::vector<std::size_t>& ks) {
    std::vector<unsigned> cost(ir::kMaxIds, 0);
    for (std::size_t k : ks)
      forEachId(open[k].free, [&](unsigned d) { cost[d] += cell[k][d]; });
    return cost;
  };
  // The nA cheapest open adapters whose free domains hold ds (seed first if given).
  auto pickAdapters = [&](const IdSet& ds, std::optional<std::size_t> seed) {
    std::vector<unsigned> cost(ir::kMaxIds, 0);
    IdSet from;
    for (std::size_t k = 0; k < open.size(); ++k) {
      if ((ds & ~open[k].free).any() || (seed && *seed == k)) continue;
      from.set(open[k].adapter);
      cost[open[k].adapter] = adapterCost(k, ds);
    }
    std::vector<std::size_t> ks;
    if (seed) ks.push_back(*seed);
    IdSet chosen = cheapest(from, g.nA - static_cast<unsigned>(ks.size()), cost, rng_);
    for (std::size_t k = 0; k < open.size(); ++k)
      if (chosen.test(open[k].adapter)) ks.push_back(k);
    return ks;
  };
  auto toPlacement = [&](const std::vector<std::size_t>& ks, const IdSet& ds) {
    Placement p;
    for (std::size_t k : ks) p.adapters.set(open[k].adapter);
    p.domains = ds;
    return p;
  };
  auto commonFree = [&](const std::vector<std::size_t>& ks) {
    IdSet common = g.candD;
    for (std::size_t k : ks) common &= open[k].free;
    return common;
  };

  std::optional<Choice> best;
  auto consider = [&](const Placement& p) {
    Choice c = evaluate(i, p);
    if (!best || c.cost < best->cost) best = std::move(c);
  };
  if (g.exactA) {
    std::vector<std::size_t> ks(open.size());
    for (std::size_t k = 0; k < open.size(); ++k) ks[k] = k;
    IdSet common = commonFree(ks);
    if (common.count() < g.nD) return std::nullopt;
    consider(toPlacement(ks, g.exactD ? g.candD : cheapest(common, g.nD, domainCost(ks), rng_)));
    return best;
  }
  if (g.exactD) {
    std::vector<std::size_t> ks = pickAdapters(g.candD, std::nullopt);
    if (ks.size() < g.nA) return std::nullopt;
    consider(toPlacement(ks, g.candD));
    return best;
  }
  // Seeds: the adapter with the cheapest nD domains, then random ones.
  std::vector<std::size_t> seeds;
  {
    std::size_t bestK = 0;
    unsigned bestC = ~0u;
    for (std::size_t k = 0; k < open.size(); ++k) {
      IdSet ds = cheapest(open[k].free, g.nD, cell[k], rng_);
      unsigned v = adapterCost(k, ds);
      if (v < bestC) bestC = v, bestK = k;
    }
    seeds.push_back(bestK);
    for (unsigned t = 1; t < kSeedTries && t < open.size(); ++t)
      seeds.push_back(rng_.below(static_cast<std::uint32_t>(open.size())));
  }
  for (std::size_t seed : seeds) {
    IdSet ds = cheapest(open[seed].free, g.nD, cell[seed], rng_);
    std::vector<std::size_t> ks = pickAdapters(ds, seed);
    if (ks.size() < g.nA) continue;
    // Refine: the cheapest domains the chosen adapters share, then adapters again.
    IdSet common = commonFree(ks);
    ds = cheapest(common, g.nD, domainCost(ks), rng_);
    std::vector<std::size_t> again = pickAdapters(ds, std::nullopt);
    if (again.size() >= g.nA) ks = std::move(again);
    consider(toPlacement(ks, ds));
  }
  return best;
}

void Search::lift(unsigned j) {
  forEachId(cur_[j]->adapters, [&](unsigned a) {
    auto& v = on_[a];
    v.erase(std::find(v.begin(), v.end(), j));
  });
  cur_[j].reset();
}

void Search::put(unsigned i, const Placement& p) {
  forEachId(p.adapters, [&](unsigned a) { on_[a].push_back(i); });
  cur_[i] = p;
  lastPlaced_[i] = ++step_;
}

bool Search::run() {
  if (!prepare()) return false;
  const std::size_t k = comp_.size();
  tenure_ = 5 + std::min<std::size_t>(k / 4, 20);
  // Most demanding first, then least flexible, like the greedy.
  std::vector<unsigned> order(k);
  for (unsigned i = 0; i < k; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](unsigned a, unsigned b) {
    unsigned dx = spec(a).nA * spec(a).nD, dy = spec(b).nA * spec(b).nD;
    if (dx != dy) return dx > dy;
    return open_[a].size() < open_[b].size();
  });
  std::deque<unsigned> queue(order.begin(), order.end());
  std::size_t placed = 0;
  best_ = cur_;
  bestPlaced_ = 0;
  while (!queue.empty() && work_ < budget_) {
    unsigned i = queue.front();
    queue.pop_front();
    std::optional<Choice> c = choose(i);
    if (!c) return false;
    for (unsigned j : c->evict) {
      lift(j);
      --placed;
      // Evicted guests go next (the chain goes on from them), most demanding first.
      queue.push_front(j);
    }
    put(i, c->p);
    ++placed;
    if (placed > bestPlaced_) {
      bestPlaced_ = placed;
      best_ = cur_;
    }
    // Now and then the chain restarts from the oldest waiting guest.
    if (queue.size() > 1 && rng_.below(8) == 0) {
      unsigned back = queue.back();
      queue.pop_back();
      queue.push_front(back);
    }
  }
  return queue.empty();
}

// Places `assign` (local, all set) on top of `base`; nullopt if any breaks a rule.
std::optional<State> verified(const Model& m, const std::vector<GuestSpec>& specs,
                              const std::vector<std::size_t>& comp, const State& base,
                              const std::vector<std::optional<Placement>>& assign) {
  State s = base;
  for (std::size_t i = 0; i < comp.size(); ++i) {
    const GuestSpec& g = specs[comp[i]];
    if (!assign[i] || !meetsRequirement(m, g, *assign[i]) || !compatible(m, s, g, *assign[i])) return std::nullopt;
    s.place(g, *assign[i], m.denyForeign);
  }
  return s;
}

// Z3 on the guests still unplaced and their neighbours in the conflict
// graph (placed guests holding queues in their candidate area, nearest
// first), the rest of the component kept where the search put it.
bool solveSubproblems(const Model& m, const std::vector<GuestSpec>& specs, const std::vector<std::size_t>& comp,
                      State& state, const std::vector<std::optional<Placement>>& partial, SolveBudgets& budgets,
                      std::uint32_t seed, RepairOutcome& out) {
  const std::size_t k = comp.size();
  std::vector<unsigned> unplaced;
  for (unsigned i = 0; i < k; ++i)
    if (!partial[i]) unplaced.push_back(i);
  if (unplaced.empty()) return false;
  auto touches = [&](unsigned u, unsigned j) {
    const GuestSpec& g = specs[comp[u]];
    const Placement& p = *partial[j];
    if ((p.adapters & g.candA).none()) return false;
    if ((p.domains & g.candD).any() || m.maxPerAdapter) return true;
    return std::find(g.apart.begin(), g.apart.end(), comp[j]) != g.apart.end();
  };
  Rng rng(seed * 2246822519u + 7);
  for (unsigned round = 0; round < kSubproblemRounds && !budgets.z3.exhausted() && !budgets.z3Conflicts.exhausted();
       ++round) {
    // Breadth first from the unplaced guests, starting at a different one each round.
    std::vector<char> in(k, 0);
    std::vector<unsigned> sub;
    std::vector<std::size_t> plan;
    std::size_t vars = 0, pairs = 0;
    auto add = [&](unsigned v) {
      const GuestSpec& g = specs[comp[v]];
      std::size_t nv = vars + g.candA.count() + g.candD.count(), np = pairs;
      for (std::size_t w : plan)
        if ((specs[w].candA & g.candA).any()) ++np;
      if (!modelFits(nv, np)) return false;
      vars = nv, pairs = np;
      in[v] = 1;
      sub.push_back(v);
      plan.push_back(comp[v]);
      return true;
    };
    bool full = false;
    for (std::size_t t = 0; t < unplaced.size() && !full; ++t)
      full = !add(unplaced[(t + round) % unplaced.size()]);
    if (sub.size() < unplaced.size()) continue;  // the unplaced alone do not fit one model
    for (std::size_t head = 0; head < sub.size() && !full; ++head) {
      std::vector<unsigned> next;
      for (unsigned j = 0; j < k; ++j)
        if (!in[j] && partial[j] && touches(sub[head], j)) next.push_back(j);
      // Later rounds take the neighbours in another order, so the models differ.
      for (std::size_t x = next.size(); round > 0 && x > 1; --x)
        std::swap(next[x - 1], next[rng.below(static_cast<std::uint32_t>(x))]);
      for (unsigned j : next) {
        if (in[j]) continue;
        if (!add(j)) {
          full = true;
          break;
        }
      }
    }
    State s = state;
    for (unsigned j = 0; j < k; ++j)
      if (!in[j]) s.place(specs[comp[j]], *partial[j], m.denyForeign);
    std::vector<GuestSpec> local = specs;
    bool ok = true;
    for (std::size_t gi : plan) ok = ok && pruneCandidates(m, s, local[gi]);
    if (!ok) continue;
    ++out.subproblems;
    ExactGoal goal;
    goal.minimiseCore = false;
    ExactOutcome ex = solveExact(m, local, plan, s, z3Grant(budgets, false), seed + round, goal);
    chargeZ3(budgets, ex);
    out.z3Spent += ex.rlimitSpent;
    if (ex.status != ExactOutcome::Status::Solved) continue;
    std::vector<std::optional<Placement>> assign(k);
    for (unsigned i = 0; i < k; ++i) assign[i] = s.placed[comp[i]];
    if (auto v = verified(m, specs, comp, state, assign)) {
      state = std::move(*v);
      return true;
    }
  }
  return false;
}

}  // namespace

RepairOutcome repairComponent(const Model& m, const std::vector<GuestSpec>& specs,
                              const std::vector<std::size_t>& component, State& state, std::uint64_t workBudget,
                              SolveBudgets& budgets, std::uint32_t seed, bool subproblems) {
  RepairOutcome out;
  Search search(m, specs, component, state, workBudget, seed * 2654435761u + 1);
  bool solved = search.run();
  out.work = search.work();
  budgets.localSearch.charge(out.work);
  out.mostPlaced = search.bestPlaced();
  if (solved) {
    if (auto v = verified(m, specs, component, state, search.best())) {
      state = std::move(*v);
      out.solved = true;
      out.mostPlaced = component.size();
      return out;
    }
  }
  if (subproblems && search.best().size() == component.size() &&
      solveSubproblems(m, specs, component, state, search.best(), budgets, seed, out)) {
    out.solved = out.solvedBySubproblem = true;
    out.mostPlaced = component.size();
    return out;
  }
  for (std::size_t i = 0; i < component.size() && i < search.best().size(); ++i)
    if (!search.best()[i]) out.unplaced.push_back(component[i]);
  return out;
}

}  // namespace apc::solver::detail
