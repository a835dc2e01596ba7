// Fit = pack as many a x d rectangles (adapters x domains) as possible into
// the free part of the queue matrix. Counting gives an upper bound, a greedy
// packing a lower bound; when they differ the solver (existing guests pinned)
// narrows the gap, each call under a deterministic resource limit.
#include "solver/query/fit.h"

#include <algorithm>
#include <array>

#include "compiler/ir/internal_error.h"
#include "solver/query/lock_of.h"
#include "solver/solve.h"

namespace apc::query {

namespace {

using ir::IdSet;
using ir::kMaxIds;

// The part of the matrix the new guests may use. Invariant: col[y] has bit x
// exactly when row[x] has bit y.
struct Grid {
  std::array<IdSet, kMaxIds> col{};  // per domain: adapters free there
  std::array<IdSet, kMaxIds> row{};  // per adapter: domains free there
  std::array<unsigned, kMaxIds> capLeft{};  // new guests adapter x may still take
  IdSet adapters;  // admissible adapters
  IdSet domains;   // admissible domains

  void remove(unsigned x, unsigned y) {
    col[y].reset(x);
    row[x].reset(y);
  }
  void dropAdapter(unsigned x) {
    for (unsigned y : ir::toVector(row[x])) col[y].reset(x);
    row[x].reset();
  }
};

struct ShapeDims {
  unsigned a = 0;  // adapters per new guest
  unsigned d = 0;  // usage domains per new guest
  IdSet extraControl;
};

ShapeDims dimsOf(const ir::Guest& shape) {
  return {shape.adapters.size(), shape.domains.size(), shape.extraControlDomains};
}

IdSet admissibleAdapters(const ir::Inventory& host, const ir::Guest& shape) {
  IdSet s;
  for (const ir::Adapter& a : host.adapters)
    if (shape.adapters.admitsAdapter(a)) s.set(a.id);
  return s;
}

IdSet admissibleDomains(const ir::Inventory& host, const ir::Guest& shape) {
  IdSet s;
  for (unsigned d : ir::toVector(host.usageDomains))
    if (shape.domains.admitsDomain(d)) s.set(d);
  return s;
}

// Queues other guests' control domains reach: a new guest taking one would be
// under foreign control (unless the policy allows it).
ir::QueueSet controlledQueues(const ir::SolvedPlan& sp) {
  ir::QueueSet q;
  for (const ir::GuestAllocation& g : sp.alloc) q.insertProduct(g.adapters, g.controlDomains & ~g.domains);
  return q;
}

unsigned usersOf(const ir::SolvedPlan& sp, unsigned adapter) {
  unsigned n = 0;
  for (const ir::GuestAllocation& g : sp.alloc) n += g.adapters.test(adapter) ? 1 : 0;
  return n;
}

// `available`: the queues new guests may take. `pinned`: existing guests stay
// (they count against max guests per adapter).
Grid makeGrid(const ir::SolvedPlan& sp, const ir::Guest& shape, const ir::QueueSet& available,
              bool pinned) {
  Grid g;
  g.adapters = admissibleAdapters(sp.plan.host, shape);
  g.domains = admissibleDomains(sp.plan.host, shape);
  const auto& maxGpa = sp.plan.policy.maxGuestsPerAdapter;
  for (unsigned x : ir::toVector(g.adapters)) {
    unsigned cap = kMaxIds * kMaxIds;
    if (maxGpa) {
      unsigned used = pinned ? usersOf(sp, x) : 0;
      cap = *maxGpa > used ? *maxGpa - used : 0;
    }
    g.capLeft[x] = cap;
    if (cap == 0) continue;
    for (unsigned y : ir::toVector(g.domains))
      if (available.contains(x, y)) {
        g.col[y].set(x);
        g.row[x].set(y);
      }
  }
  return g;
}

// Each new guest uses d domains on each of its a adapters and a adapters on
// each of its d domains, all on distinct queues: three necessary conditions.
unsigned countingBound(const Grid& g, ShapeDims s, std::size_t subtractQueues) {
  if (s.a == 0 || s.d == 0) return 0;
  std::size_t perAdapter = 0, perDomain = 0, queues = 0;
  for (unsigned x : ir::toVector(g.adapters)) {
    std::size_t f = g.row[x].count();
    perAdapter += std::min<std::size_t>(f / s.d, g.capLeft[x]);
    queues += f;
  }
  for (unsigned y : ir::toVector(g.domains)) perDomain += g.col[y].count() / s.a;
  queues = queues > subtractQueues ? queues - subtractQueues : 0;
  std::size_t ub = std::min({perAdapter / s.a, perDomain / s.d, queues / (std::size_t{s.a} * s.d)});
  return static_cast<unsigned>(std::min<std::size_t>(ub, kMaxIds * kMaxIds));
}

// Which of the three counting limits binds, in words ("max guests per
// adapter 8: 30 free adapter places / 2 per guest").
std::string bindingLimit(const Grid& g, ShapeDims s, unsigned maxPerAdapter) {
  if (s.a == 0 || s.d == 0) return "";
  std::size_t perAdapter = 0, perDomain = 0, queues = 0;
  bool capped = false;  // some adapter is held back by the per-adapter limit
  for (unsigned x : ir::toVector(g.adapters)) {
    std::size_t f = g.row[x].count();
    perAdapter += std::min<std::size_t>(f / s.d, g.capLeft[x]);
    capped |= g.capLeft[x] == 0 || g.capLeft[x] < f / s.d;
    queues += f;
  }
  for (unsigned y : ir::toVector(g.domains)) perDomain += g.col[y].count() / s.a;
  std::size_t byA = perAdapter / s.a, byD = perDomain / s.d, byQ = queues / (std::size_t{s.a} * s.d);
  auto per = [](unsigned n, const char* what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s") + " per guest"; };
  if (byQ <= byA && byQ <= byD)
    return "free queues: " + std::to_string(queues) + " / " + std::to_string(s.a * s.d) + " per guest";
  if (byA <= byD) {
    if (maxPerAdapter && capped)
      return "max guests per adapter " + std::to_string(maxPerAdapter) + ": " + std::to_string(perAdapter) +
             " free adapter places / " + per(s.a, "adapter");
    return "adapters: " + std::to_string(perAdapter) + " places with " + std::to_string(s.d) + " free domains / " +
           per(s.a, "adapter");
  }
  return "domains: " + std::to_string(perDomain) + " places with " + std::to_string(s.a) + " free adapters / " +
         per(s.d, "domain");
}

// One rectangle, most-constrained-first so flexible rows and columns stay for
// later guests: seed on the domain with the fewest free adapters, grow the
// domain set keeping the most common adapters, take the adapters with the
// fewest free domains left. Deterministic: ties break on the lower ID.
std::optional<ir::GuestAllocation> placeOne(Grid& g, ShapeDims s) {
  IdSet candidates;  // adapters that can still take a guest and reach the extra control domains
  for (unsigned x : ir::toVector(g.adapters))
    if (g.capLeft[x] > 0 && (g.row[x] & s.extraControl) == s.extraControl) candidates.set(x);
  std::vector<unsigned> seeds;
  for (unsigned y : ir::toVector(g.domains & ~s.extraControl))
    if ((g.col[y] & candidates).count() >= s.a) seeds.push_back(y);
  std::stable_sort(seeds.begin(), seeds.end(), [&](unsigned l, unsigned r) {
    return (g.col[l] & candidates).count() < (g.col[r] & candidates).count();
  });
  for (unsigned seed : seeds) {
    IdSet c = g.col[seed] & candidates;
    IdSet t;
    t.set(seed);
    bool ok = true;
    while (t.count() < s.d) {
      int best = -1;
      std::size_t bestCommon = 0, bestOwn = 0;
      for (unsigned y : seeds) {
        if (t.test(y)) continue;
        std::size_t common = (c & g.col[y]).count();
        std::size_t own = g.col[y].count();
        if (common < s.a) continue;
        if (best < 0 || common > bestCommon || (common == bestCommon && own < bestOwn) ||
            (common == bestCommon && own == bestOwn && y < static_cast<unsigned>(best))) {
          best = static_cast<int>(y);
          bestCommon = common;
          bestOwn = own;
        }
      }
      if (best < 0) {
        ok = false;
        break;
      }
      c &= g.col[static_cast<unsigned>(best)];
      t.set(static_cast<unsigned>(best));
    }
    if (!ok) continue;
    std::vector<unsigned> xs = ir::toVector(c);
    std::stable_sort(xs.begin(), xs.end(),
                     [&](unsigned l, unsigned r) { return g.row[l].count() < g.row[r].count(); });
    ir::GuestAllocation alloc;
    for (unsigned i = 0; i < s.a; ++i) alloc.adapters.set(xs[i]);
    alloc.domains = t;
    alloc.controlDomains = t | s.extraControl;
    for (unsigned x : ir::toVector(alloc.adapters)) {
      for (unsigned y : ir::toVector(alloc.controlDomains)) g.remove(x, y);
      if (--g.capLeft[x] == 0) g.dropAdapter(x);
    }
    return alloc;
  }
  return std::nullopt;
}

// One domain per guest (or one adapter per guest), no per-adapter cap and no
// extra control domains: the columns (rows) are independent, so cutting each
// into groups of `a` (`d`) reaches the counting bound exactly, in linear time.
bool separable(const Grid& g, ShapeDims s) {
  if (s.extraControl.any() || (s.d != 1 && s.a != 1)) return false;
  for (unsigned x : ir::toVector(g.adapters))
    if (g.capLeft[x] < kMaxIds * kMaxIds) return false;
  return true;
}

std::vector<ir::GuestAllocation> cutLines(const Grid& g, ShapeDims s) {
  std::vector<ir::GuestAllocation> out;
  bool byDomain = s.d == 1;
  for (unsigned line : ir::toVector(byDomain ? g.domains : g.adapters)) {
    std::vector<unsigned> ids = ir::toVector(byDomain ? g.col[line] : g.row[line]);
    unsigned group = byDomain ? s.a : s.d;
    for (std::size_t i = 0; i + group <= ids.size(); i += group) {
      ir::GuestAllocation a;
      IdSet& many = byDomain ? a.adapters : a.domains;
      for (std::size_t k = i; k < i + group; ++k) many.set(ids[k]);
      (byDomain ? a.domains : a.adapters).set(line);
      a.controlDomains = a.domains;
      out.push_back(a);
    }
  }
  return out;
}

std::vector<ir::GuestAllocation> greedy(Grid g, ShapeDims s) {
  std::vector<ir::GuestAllocation> out;
  if (s.a == 0 || s.d == 0) return out;
  if (separable(g, s)) return cutLines(g, s);
  while (auto one = placeOne(g, s)) out.push_back(*one);
  return out;
}

ir::QueueSet pinnedAvailable(const ir::SolvedPlan& sp) {
  ir::QueueSet avail = sp.freeQueues();
  if (!sp.plan.policy.allowForeignControl) {
    ir::QueueSet ctl = controlledQueues(sp);
    for (const ir::Queue& q : ctl.toVector()) avail.erase(q.adapter, q.domain);
  }
  return avail;
}

// Queues existing guests must take inside the shape's admissible region
// wherever they move: those whose every admissible adapter and domain lies in it.
std::size_t forcedInside(const ir::SolvedPlan& sp, const Grid& g) {
  std::size_t n = 0;
  for (const ir::Guest& guest : sp.plan.guests) {
    IdSet as = admissibleAdapters(sp.plan.host, guest);
    IdSet ds = admissibleDomains(sp.plan.host, guest);
    if ((as & ~g.adapters).none() && (ds & ~g.domains).none())
      n += std::size_t{guest.adapters.size()} * guest.domains.size();
  }
  return n;
}

struct Attempt {
  solver::SolveStatus status = solver::SolveStatus::LimitReached;
  std::vector<ir::GuestAllocation> placements;
  std::vector<std::string> moved;
};


Attempt trySolve(const ir::SolvedPlan& sp, const ir::Guest& shape, unsigned n, const FitOptions& opts,
                 const solver::Lock& lock) {
  ir::Plan plan = planWithNewGuests(sp.plan, shape, n);
  solver::SolveOptions so;
  so.z3ResourceLimit = opts.z3ResourceLimit;
  so.greedyRestarts = opts.greedyRestarts;
  if (opts.allowMoves) {
    so.lock = &lock;  // keep existing guests where they can stay
  } else {
    so.pinned.assign(plan.guests.size(), std::nullopt);
    for (std::size_t i = 0; i < sp.alloc.size(); ++i) so.pinned[i] = sp.alloc[i];
  }
  ir::DiagEngine scratch;
  solver::SolveResult r = solver::solve(plan, so, scratch);
  Attempt a;
  a.status = r.status;
  if (r.status == solver::SolveStatus::Solved && r.solved) {
    std::size_t old = sp.alloc.size();
    for (std::size_t i = old; i < r.solved->alloc.size(); ++i) a.placements.push_back(r.solved->alloc[i]);
    for (std::size_t i = 0; i < old; ++i) {
      const auto& was = sp.alloc[i];
      const auto& now = r.solved->alloc[i];
      if (was.adapters != now.adapters || was.domains != now.domains) a.moved.push_back(sp.plan.guests[i].name);
    }
  } else if (r.status == solver::SolveStatus::Solved) {
    a.status = solver::SolveStatus::LimitReached;  // no allocation to show: treat as unknown
  }
  return a;
}

}  // namespace

ir::Plan planWithNewGuests(const ir::Plan& plan, const ir::Guest& shape, unsigned n) {
  ir::Plan out = plan;
  for (unsigned i = 1; i <= n; ++i) {
    ir::Guest g = shape;
    g.name = "fit-new-" + std::to_string(i);  // nameNewGuests relies on this spelling
    g.uuid.reset();
    g.family.clear();
    g.familyIndex = 0;
    out.guests.push_back(std::move(g));
  }
  return out;
}

unsigned fitUpperBoundPinned(const ir::SolvedPlan& solved, const ir::Guest& shape) {
  Grid g = makeGrid(solved, shape, pinnedAvailable(solved), true);
  return countingBound(g, dimsOf(shape), 0);
}

namespace {
// New guests are named fit-new-1.. in placement order; their UUIDs derive
// from those names like any guest's, so pinning them later is valid as is.
void nameNewGuests(const ir::SolvedPlan& sp, std::vector<ir::GuestAllocation>& placements) {
  for (std::size_t i = 0; i < placements.size(); ++i)
    placements[i].uuid = solver::deriveUuid(sp.plan.host.name, "fit-new-" + std::to_string(i + 1));
}
}  // namespace

FitResult fit(const ir::SolvedPlan& sp, const ir::Guest& shape, const FitOptions& opts) {
  APC_BUG_CHECK(sp.alloc.size() == sp.plan.guests.size(), "allocation not parallel to guests");
  ShapeDims dims = dimsOf(shape);
  FitResult res;
  if (const auto& pct = sp.plan.policy.headroomPercent; pct && dims.a && dims.d) {
    std::size_t usable = sp.plan.host.usableQueues().size();
    std::size_t free = sp.freeQueues().size();
    std::size_t keep = (static_cast<std::size_t>(*pct) * usable + 99) / 100;  // rounded up, as the policy check
    res.headroomLimit = static_cast<unsigned>(free > keep ? (free - keep) / (std::size_t{dims.a} * dims.d) : 0);
  }
  solver::Lock lock = lockOf(sp);

  Grid pinnedGrid = makeGrid(sp, shape, pinnedAvailable(sp), true);
  res.placements = greedy(pinnedGrid, dims);
  unsigned lo = static_cast<unsigned>(res.placements.size());
  unsigned hi = countingBound(pinnedGrid, dims, 0);
  res.boundSource = "counting";
  res.bindingLimit = bindingLimit(pinnedGrid, dims, sp.plan.policy.maxGuestsPerAdapter.value_or(0));
  APC_BUG_CHECK(lo <= hi, "greedy placed more guests than the counting bound allows");

  // Pinned: close the gap with the solver (existing guests pinned).
  unsigned provenHi = hi;
  auto narrow = [&](unsigned& best, unsigned& proven, std::vector<ir::GuestAllocation>& placements,
                    std::vector<std::string>* moved) {
    unsigned top = proven;  // candidates still worth trying: (best, top]
    while (best < top && res.solverCalls < opts.maxSolverCalls) {
      // First ask for best+1 (an infeasibility proof there is what makes the
      // answer optimal), then bisect.
      unsigned n = res.solverCalls == 0 || top - best <= 1 ? best + 1 : best + (top - best + 1) / 2;
      ++res.solverCalls;
      Attempt at = trySolve(sp, shape, n, opts, lock);
      if (at.status == solver::SolveStatus::Solved) {
        best = n;
        placements = at.placements;
        if (moved) *moved = at.moved;
      } else if (at.status == solver::SolveStatus::Infeasible) {
        top = n - 1;
        if (proven > top) {
          proven = top;
          res.boundSource = "solver";
        }
      } else {
        res.limitReached = true;
        top = n - 1;  // unknown: stop looking there, but the bound stays unproven
      }
    }
  };

  if (!opts.allowMoves) {
    narrow(lo, provenHi, res.placements, nullptr);
    res.count = lo;
    res.upperBound = provenHi;
    res.pinnedCount = lo;
    res.optimal = lo == provenHi;
    nameNewGuests(sp, res.placements);
    return res;
  }

  // With moves: the pinned answer is a valid starting point; the bound counts
  // over every guest-usable queue minus what existing guests must take inside
  // the shape's region.
  res.pinnedCount = lo;
  Grid freeGrid = makeGrid(sp, shape, sp.plan.host.usableQueues(), false);
  unsigned movesHi = countingBound(freeGrid, dims, forcedInside(sp, freeGrid));
  APC_BUG_CHECK(lo <= movesHi, "the pinned fit beats the bound with moves");
  res.boundSource = "counting";
  unsigned best = lo;
  narrow(best, movesHi, res.placements, &res.moved);
  res.count = best;
  res.upperBound = movesHi;
  res.optimal = best == movesHi;
  nameNewGuests(sp, res.placements);
  return res;
}

}  // namespace apc::query
