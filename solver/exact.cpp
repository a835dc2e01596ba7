// Z3 lives here and nowhere else (with the pairwise bench encoding). Every
// soft group of constraints hangs off an assumption literal named after the
// plan element it came from, so an unsat core maps back to plan lines.
#include "solver/exact.h"

#include <z3++.h>

#include <algorithm>
#include <climits>
#include <map>
#include <string>

namespace apc::solver::detail {

namespace {

// The model's size is bounded by what it costs to build and check (pairs of
// guests that share a candidate adapter, variables), not by a guest count:
// a sparse component of 100 guests (a ring) is a small model.
constexpr std::size_t kMaxModelPairs = 1200;
constexpr std::size_t kMaxModelVars = 6000;
// The deletion pass that shrinks a core spends at most this many times the
// per-check limit in total (it stops early, keeping a valid larger core).
constexpr double kCoreWorkFactor = 0.5;

struct GuestVars {
  std::vector<unsigned> adapters;  // candidate IDs, ascending
  std::vector<unsigned> domains;
  z3::expr_vector x;
  z3::expr_vector y;
  explicit GuestVars(z3::context& c) : x(c), y(c) {}
  int xIndex(unsigned a) const {
    auto it = std::lower_bound(adapters.begin(), adapters.end(), a);
    return it != adapters.end() && *it == a ? static_cast<int>(it - adapters.begin()) : -1;
  }
  int yIndex(unsigned d) const {
    auto it = std::lower_bound(domains.begin(), domains.end(), d);
    return it != domains.end() && *it == d ? static_cast<int>(it - domains.begin()) : -1;
  }
};

// One of Z3's statistics ("rlimit count": its deterministic work counter;
// "sat conflicts"), 0 when absent.
double statistic(const z3::solver& s, const char* key) {
  z3::stats st = s.statistics();
  for (unsigned i = 0; i < st.size(); ++i)
    if (st.key(i) == key) return st.is_uint(i) ? st.uint_value(i) : st.double_value(i);
  return 0;
}
double rlimitSpent(const z3::solver& s) { return statistic(s, "rlimit count"); }

bool sameShape(const GuestSpec& a, const GuestSpec& b) {
  return a.nA == b.nA && a.nD == b.nD && a.exactA == b.exactA && a.exactD == b.exactD &&
         a.candA == b.candA && a.candD == b.candD && a.extraControl == b.extraControl &&
         a.apart.empty() && b.apart.empty();
}

// v >=lex w, active only when `guard` holds (both guests' requirements).
void addLexGeq(z3::solver& s, z3::context& ctx, const z3::expr_vector& v, const z3::expr_vector& w,
               const z3::expr& guard, const std::string& tag) {
  z3::expr eq = ctx.bool_val(true);
  for (unsigned i = 0; i < v.size(); ++i) {
    s.add(!guard || !eq || v[i] || !w[i]);
    z3::expr next = ctx.bool_const((tag + "_e" + std::to_string(i)).c_str());
    // next is forced when the prefix is equal and bit i is equal; it may be
    // false otherwise, which only weakens later rows (sound).
    s.add(!guard || !eq || !v[i] || !w[i] || next);
    s.add(!guard || !eq || v[i] || w[i] || next);
    eq = next;
  }
}

}  // namespace

bool modelable(const std::vector<GuestSpec>& specs, const std::vector<std::size_t>& component) {
  std::size_t vars = 0, pairs = 0;
  for (std::size_t i = 0; i < component.size(); ++i) {
    const GuestSpec& g = specs[component[i]];
    vars += g.candA.count() + g.candD.count();
    for (std::size_t j = i + 1; j < component.size(); ++j) {
      const GuestSpec& h = specs[component[j]];
      if ((g.candA & h.candA).any()) ++pairs;
    }
  }
  return modelFits(vars, pairs);
}

bool modelFits(std::size_t vars, std::size_t pairs) { return vars <= kMaxModelVars && pairs <= kMaxModelPairs; }

namespace {

// The model and its checks; `spent` gets Z3's rlimit count however it returns.
ExactOutcome solveModel(const Model& m, const std::vector<GuestSpec>& specs,
                        const std::vector<std::size_t>& component, State& state,
                        const Z3Limits& limits, std::uint32_t seed, const ExactGoal& goal, double& spent,
                        double& conflicts) {
  ExactOutcome out;
  const std::uint64_t rlimit = limits.rlimit;
  // Nothing granted: Z3 is not asked (an rlimit of 0 would mean "unlimited").
  if (rlimit == 0) return out;
  z3::config cfg;
  // Z3's resource limit is per check() call and counts deterministic work units.
  cfg.set("rlimit", std::to_string(std::min<std::uint64_t>(rlimit, UINT_MAX)).c_str());
  z3::context ctx(cfg);
  z3::solver s(ctx, "QF_FD");
  z3::params params(ctx);
  params.set("random_seed", static_cast<unsigned>(seed));
  // The SAT core's conflict count: deterministic, and closer to CPU time than rlimit.
  if (limits.conflicts) params.set("max_conflicts", static_cast<unsigned>(std::min<std::uint64_t>(limits.conflicts, UINT_MAX)));
  s.set(params);
  // Whatever way this call returns, it reports what Z3 spent.

  const std::size_t n = component.size();
  std::array<IdSet, ir::kMaxIds> freeQ;
  for (unsigned a = 0; a < ir::kMaxIds; ++a)
    freeQ[a] = m.usable[a] & ~state.owned[a] & ~state.controlled[a];

  std::vector<GuestVars> gv;
  gv.reserve(n);
  std::vector<std::pair<PlanElement, z3::expr>> soft;
  IdSet unionA, unionD;
  for (std::size_t i = 0; i < n; ++i) {
    const GuestSpec& g = specs[component[i]];
    gv.emplace_back(ctx);
    GuestVars& v = gv.back();
    v.adapters = ir::toVector(g.candA);
    v.domains = ir::toVector(g.candD);
    std::string p = "g" + std::to_string(g.index);
    for (unsigned a : v.adapters) v.x.push_back(ctx.bool_const((p + "_a" + std::to_string(a)).c_str()));
    for (unsigned d : v.domains) v.y.push_back(ctx.bool_const((p + "_d" + std::to_string(d)).c_str()));
    unionA |= g.candA;
    unionD |= g.candD;
    z3::expr req = ctx.bool_const(("req_" + p).c_str());
    soft.push_back({{PlanElement::Kind::Guest, g.index}, req});
    // A guest whose requirement is not assumed is absent: all its variables
    // are false, so every other row (capacity, symmetry) stays sound for any
    // subset of guests, which is what the core minimisation asks about.
    for (unsigned k = 0; k < v.x.size(); ++k) s.add(req || !v.x[k]);
    for (unsigned k = 0; k < v.y.size(); ++k) s.add(req || !v.y[k]);
    if (v.x.size() < g.nA || v.y.size() < g.nD) {
      s.add(!req);
    } else {
      if (!v.x.empty()) s.add(z3::implies(req, z3::atmost(v.x, g.nA) && z3::atleast(v.x, g.nA)));
      if (!v.y.empty()) s.add(z3::implies(req, z3::atmost(v.y, g.nD) && z3::atleast(v.y, g.nD)));
    }
    // Every queue of the matrix must be free: a host fact, not a choice.
    for (std::size_t ai = 0; ai < v.adapters.size(); ++ai)
      for (std::size_t di = 0; di < v.domains.size(); ++di)
        if (!freeQ[v.adapters[ai]].test(v.domains[di])) s.add(!v.x[ai] || !v.y[di]);
  }

  // No shared queue: "g and h share an adapter" and "share a domain" are
  // never both true. Clauses grow with the common IDs, not with queues.
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      const GuestSpec& g = specs[component[i]];
      const GuestSpec& h = specs[component[j]];
      IdSet ca = g.candA & h.candA, cd = g.candD & h.candD;
      if (ca.none() || cd.none()) continue;
      std::string tag = "s" + std::to_string(g.index) + "_" + std::to_string(h.index);
      z3::expr sa = ctx.bool_const((tag + "a").c_str());
      z3::expr sd = ctx.bool_const((tag + "d").c_str());
      forEachId(ca, [&](unsigned a) { s.add(!gv[i].x[gv[i].xIndex(a)] || !gv[j].x[gv[j].xIndex(a)] || sa); });
      forEachId(cd, [&](unsigned d) { s.add(!gv[i].y[gv[i].yIndex(d)] || !gv[j].y[gv[j].yIndex(d)] || sd); });
      s.add(!sa || !sd);
    }
  }

  // Apart groups: members share no adapter.
  std::map<std::size_t, std::size_t> local;  // plan index -> position in component
  for (std::size_t i = 0; i < n; ++i) local[specs[component[i]].index] = i;
  for (std::size_t k = 0; k < m.plan->apart.size(); ++k) {
    std::vector<std::size_t> members;
    for (std::size_t gi : m.plan->apart[k].guests)
      if (local.count(gi)) members.push_back(local.at(gi));
    if (members.size() < 2) continue;
    z3::expr t = ctx.bool_const(("apart" + std::to_string(k)).c_str());
    soft.push_back({{PlanElement::Kind::Apart, k}, t});
    for (std::size_t p = 0; p < members.size(); ++p)
      for (std::size_t q = p + 1; q < members.size(); ++q) {
        std::size_t i = members[p], j = members[q];
        forEachId(specs[component[i]].candA & specs[component[j]].candA, [&](unsigned a) {
          s.add(!t || !gv[i].x[gv[i].xIndex(a)] || !gv[j].x[gv[j].xIndex(a)]);
        });
      }
  }

  unsigned perAdapter = m.maxPerAdapter;
  if (goal.maxLoad) perAdapter = perAdapter ? std::min(perAdapter, *goal.maxLoad) : *goal.maxLoad;
  if (perAdapter) {
    z3::expr t = ctx.bool_const("max_per_adapter");
    bool used = false;
    forEachId(unionA, [&](unsigned a) {
      z3::expr_vector on(ctx);
      for (std::size_t i = 0; i < n; ++i)
        if (int xi = gv[i].xIndex(a); xi >= 0) on.push_back(gv[i].x[xi]);
      unsigned cap = perAdapter > state.guestsOn[a] ? perAdapter - state.guestsOn[a] : 0;
      if (on.size() > cap) {
        s.add(z3::implies(t, z3::atmost(on, cap)));
        used = true;
      }
    });
    if (used) soft.push_back({{PlanElement::Kind::MaxPerAdapter, 0}, t});
  }

  if (m.denyForeign) {
    z3::expr t = ctx.bool_const("deny_foreign_control");
    bool used = false;
    for (std::size_t i = 0; i < n; ++i) {
      const GuestSpec& g = specs[component[i]];
      if (g.extraControl.none()) continue;
      for (std::size_t j = 0; j < n; ++j) {
        if (i == j) continue;
        const GuestSpec& h = specs[component[j]];
        IdSet es = g.extraControl & h.candD;
        if (es.none()) continue;
        forEachId(g.candA & h.candA, [&](unsigned a) {
          forEachId(es, [&](unsigned e) {
            s.add(!t || !gv[i].x[gv[i].xIndex(a)] || !gv[j].x[gv[j].xIndex(a)] ||
                  !gv[j].y[gv[j].yIndex(e)]);
            used = true;
          });
        });
      }
    }
    if (used) soft.push_back({{PlanElement::Kind::ForeignControl, 0}, t});
  }

  // Redundant capacity rows: guests on adapter a hold disjoint domains there,
  // so sum(nD_g * x_ga) <= free domains of a (and the same per domain). They
  // hold for every subset of present guests, so they are always on.
  forEachId(unionA, [&](unsigned a) {
    z3::expr_vector vs(ctx);
    std::vector<int> coeffs;
    int total = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (int xi = gv[i].xIndex(a); xi >= 0) {
        vs.push_back(gv[i].x[xi]);
        coeffs.push_back(static_cast<int>(specs[component[i]].nD));
        total += coeffs.back();
      }
    int cap = static_cast<int>((freeQ[a] & unionD).count());
    if (total > cap) s.add(z3::pble(vs, coeffs.data(), cap));
  });
  forEachId(unionD, [&](unsigned d) {
    z3::expr_vector vs(ctx);
    std::vector<int> coeffs;
    int total = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (int yi = gv[i].yIndex(d); yi >= 0) {
        vs.push_back(gv[i].y[yi]);
        coeffs.push_back(static_cast<int>(specs[component[i]].nA));
        total += coeffs.back();
      }
    int cap = 0;
    forEachId(unionA, [&](unsigned a) { cap += freeQ[a].test(d) ? 1 : 0; });
    if (total > cap) s.add(z3::pble(vs, coeffs.data(), cap));
  });

  // Moves: a guest keeps its lock when its variables spell exactly its
  // locked matrix; at least (locked guests - maxMoved) of them must.
  std::vector<bool> hasLock(n, false);
  if (goal.locked && goal.maxMoved) {
    z3::expr_vector keeps(ctx);
    for (std::size_t i = 0; i < n; ++i) {
      const GuestSpec& g = specs[component[i]];
      const std::optional<Placement>& lp = (*goal.locked)[g.index];
      if (!lp) continue;
      hasLock[i] = true;
      bool reachable = (lp->adapters & ~g.candA).none() && (lp->domains & ~g.candD).none();
      z3::expr keep = ctx.bool_val(reachable);
      for (unsigned k = 0; reachable && k < gv[i].x.size(); ++k)
        keep = keep && (lp->adapters.test(gv[i].adapters[k]) ? gv[i].x[k] : !gv[i].x[k]);
      for (unsigned k = 0; reachable && k < gv[i].y.size(); ++k)
        keep = keep && (lp->domains.test(gv[i].domains[k]) ? gv[i].y[k] : !gv[i].y[k]);
      keeps.push_back(keep);
    }
    if (keeps.size() > *goal.maxMoved)
      s.add(z3::atleast(keeps, static_cast<unsigned>(keeps.size() - *goal.maxMoved)));
  }

  // Lex-leader between consecutive identical guests (interchangeable in every
  // constraint), active only while both requirements are. Domains lead the
  // vector: on a 6-guest 7x16 infeasible case that took ~0.4 s of CPU against
  // ~8 s with adapters first (measured with Z3 4.8.12).
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      if (!sameShape(specs[component[i]], specs[component[j]])) continue;
      // Two guests with locks are not interchangeable: swapping them moves both.
      if (hasLock[i] || hasLock[j]) continue;
      z3::expr_vector vi(ctx), vj(ctx);
      for (unsigned k = 0; k < gv[i].y.size(); ++k) vi.push_back(gv[i].y[k]), vj.push_back(gv[j].y[k]);
      for (unsigned k = 0; k < gv[i].x.size(); ++k) vi.push_back(gv[i].x[k]), vj.push_back(gv[j].x[k]);
      addLexGeq(s, ctx, vi, vj, soft[i].second && soft[j].second,
                "lex" + std::to_string(i) + "_" + std::to_string(j));
      break;  // chain: each guest to the next identical one only
    }
  }

  z3::expr_vector assumptions(ctx);
  for (auto& [el, lit] : soft) assumptions.push_back(lit);
  z3::check_result r = s.check(assumptions);
  spent = rlimitSpent(s);
  conflicts = statistic(s, "sat conflicts");
  if (r == z3::unknown) return out;
  if (r == z3::sat) {
    z3::model model = s.get_model();
    State next = state;
    for (std::size_t i = 0; i < n; ++i) {
      const GuestSpec& g = specs[component[i]];
      Placement p;
      for (unsigned k = 0; k < gv[i].x.size(); ++k)
        if (model.eval(gv[i].x[k], true).is_true()) p.adapters.set(gv[i].adapters[k]);
      for (unsigned k = 0; k < gv[i].y.size(); ++k)
        if (model.eval(gv[i].y[k], true).is_true()) p.domains.set(gv[i].domains[k]);
      // Re-verify: Z3's answer is a claim until the rules accept it.
      if (!meetsRequirement(m, g, p) || !compatible(m, next, g, p)) return out;
      next.place(g, p, m.denyForeign);
    }
    state = std::move(next);
    out.status = ExactOutcome::Status::Solved;
    return out;
  }

  // Infeasible: shrink the core by deletion (each check under the same rlimit).
  out.status = ExactOutcome::Status::Infeasible;
  if (!goal.minimiseCore) return out;
  auto elementOf = [&](const z3::expr& lit) -> std::optional<std::size_t> {
    for (std::size_t k = 0; k < soft.size(); ++k)
      if (z3::eq(soft[k].second, lit)) return k;
    return std::nullopt;
  };
  std::vector<std::size_t> core;
  auto takeCore = [&]() {
    core.clear();
    z3::expr_vector c = s.unsat_core();
    for (unsigned k = 0; k < c.size(); ++k)
      if (auto e = elementOf(c[k])) core.push_back(*e);
    std::sort(core.begin(), core.end());
  };
  // Each check's spend is the statistic's change over that check alone:
  // setting the solver's parameters may start its counters afresh.
  double coreSpent = 0;
  auto checkWith = [&](const std::vector<std::size_t>& items) {
    z3::expr_vector as(ctx);
    for (std::size_t k : items) as.push_back(soft[k].second);
    const double before = rlimitSpent(s), cBefore = statistic(s, "sat conflicts");
    z3::check_result rr = s.check(as);
    const double after = rlimitSpent(s), cAfter = statistic(s, "sat conflicts");
    conflicts += cAfter >= cBefore ? cAfter - cBefore : cAfter;
    coreSpent += after >= before ? after - before : after;
    spent += after >= before ? after - before : after;
    return rr;
  };
  takeCore();
  bool minimal = true;
  for (std::size_t k = 0; k < core.size();) {
    // Each check gets at most what is left of the pass's share, so the
    // whole call stays within 1.5 x rlimit (budget.h counts on it).
    const double left = kCoreWorkFactor * static_cast<double>(rlimit) - coreSpent;
    if (left < 1) {
      minimal = false;
      break;
    }
    z3::params cp(ctx);
    cp.set("rlimit", static_cast<unsigned>(std::min<double>(left, UINT_MAX)));
    s.set(cp);
    std::vector<std::size_t> rest = core;
    rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(k));
    z3::check_result rr = checkWith(rest);
    if (rr == z3::unsat) {
      std::vector<std::size_t> before = core;
      takeCore();
      // Elements before k are each needed, so they lead the new core too.
      if (core.size() >= before.size()) core = rest;
    } else {
      if (rr == z3::unknown) minimal = false;
      ++k;
    }
  }
  for (std::size_t k : core) out.core.push_back(soft[k].first);
  out.coreMinimal = minimal;
  return out;
}

}  // namespace

Z3Limits z3Grant(const SolveBudgets& budgets, bool withCore) {
  std::uint64_t left = budgets.z3.left(), conflicts = budgets.z3Conflicts.left();
  if (withCore) left = left / 3 * 2, conflicts = conflicts / 3 * 2;
  if (conflicts == 0) return {};  // pool dry: Z3 is not asked
  std::uint64_t cap = budgets.caps.z3ConflictsPerCheck;
  return {std::min(left, budgets.caps.z3PerCheck), cap ? std::min(cap, conflicts) : conflicts};
}

void chargeZ3(SolveBudgets& budgets, const ExactOutcome& out) {
  budgets.z3.charge(out.rlimitSpent);
  budgets.z3Conflicts.charge(out.conflicts);
}

ExactOutcome solveExact(const Model& m, const std::vector<GuestSpec>& specs,
                        const std::vector<std::size_t>& component, State& state,
                        const Z3Limits& limits, std::uint32_t seed, const ExactGoal& goal) {
  double spent = 0, conflicts = 0;
  ExactOutcome out = solveModel(m, specs, component, state, limits, seed, goal, spent, conflicts);
  out.rlimitSpent = static_cast<std::uint64_t>(spent);
  out.conflicts = static_cast<std::uint64_t>(conflicts);
  return out;
}

}  // namespace apc::solver::detail
