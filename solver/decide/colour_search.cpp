// Depth-first search with explicit undo. Work is counted in vertex scans and
// neighbour updates, so the budget tracks CPU time closely on any plan size.
#include "solver/decide/colour_search.h"

#include <array>
#include <map>
#include <numeric>
#include <random>

namespace apc::solver::detail {

using ir::IdSet;

std::vector<int> colourClasses(const ColouringProblem& p) {
  const std::size_t n = p.size();
  const std::size_t words = (n + 63) / 64;
  std::map<std::pair<unsigned, std::vector<std::uint64_t>>, int> ids;
  std::vector<int> cls(ir::kMaxIds, -1);
  for (unsigned c = 0; c < ir::kMaxIds; ++c) {
    std::vector<std::uint64_t> sig(words, 0);
    bool any = false;
    for (std::size_t v = 0; v < n; ++v)
      if (p.list[v].test(c)) sig[v / 64] |= std::uint64_t{1} << (v % 64), any = true;
    if (!any || p.cap[c] == 0) continue;
    auto [it, fresh] = ids.try_emplace({p.cap[c], std::move(sig)}, static_cast<int>(ids.size()));
    (void)fresh;
    cls[c] = it->second;
  }
  return cls;
}

namespace {

class Search {
 public:
  // `round` 0 breaks ties by index; later rounds by a seeded shuffle, so a
  // restart explores a different part of the tree (never the clock).
  Search(const ColouringProblem& p, const std::vector<int>& cls, std::uint64_t budget, unsigned round)
      : p_(p), n_(p.size()), budget_(budget), cls_(cls), chosen_(n_), left_(p.need), blocked_(n_),
        blockCount_(n_ * ir::kMaxIds, 0), usage_(ir::kMaxIds, 0), rank_(n_) {
    classCount_ = 0;
    for (int c : cls_) classCount_ = std::max(classCount_, c + 1);
    std::iota(rank_.begin(), rank_.end(), 0u);
    if (round > 0) {
      std::mt19937 rng(round);
      for (std::size_t i = n_; i > 1; --i) std::swap(rank_[i - 1], rank_[rng() % i]);
    }
  }

  ColouringOutcome run() {
    ColouringOutcome out;
    tight_ = !p_.res.empty() && slack() <= kTightSlack;
    for (std::size_t v = 0; v < n_; ++v)
      if (left_[v] == 0) ++coloured_;
    noteProgress();
    bool ok = true;
    for (std::size_t v = 0; v < n_ && ok; ++v)
      if (left_[v] > 0 && avail(v).count() < left_[v]) ok = false;
    bool found = ok && solve();
    out.work = work_;
    out.mostColoured = most_;
    out.leftAtMost = leftAtMost_;
    if (found) {
      out.status = ColouringOutcome::Status::Solved;
      out.colours = chosen_;
    } else {
      out.status = exhausted_ ? ColouringOutcome::Status::Unknown : ColouringOutcome::Status::Infeasible;
    }
    return out;
  }

 private:
  IdSet avail(std::size_t v) const { return p_.list[v] & ~blocked_[v] & ~full_ & ~chosen_[v]; }

  void noteProgress() {
    if (recorded_ && coloured_ <= most_) return;
    recorded_ = true;
    most_ = coloured_;
    leftAtMost_.clear();
    for (std::size_t v = 0; v < n_; ++v)
      if (left_[v] > 0) leftAtMost_.push_back(static_cast<unsigned>(v));
  }

  // The uncoloured vertex with the fewest spare colours; ties: more
  // neighbours, then the lower index (canonical order).
  std::size_t pick() {
    std::size_t best = n_;
    std::size_t bestSpare = 0;
    for (std::size_t v = 0; v < n_; ++v) {
      if (left_[v] == 0) continue;
      std::size_t spare = avail(v).count() - left_[v];
      if (best == n_ || spare < bestSpare ||
          (spare == bestSpare && (p_.adj[v].size() > p_.adj[best].size() ||
                                  (p_.adj[v].size() == p_.adj[best].size() && rank_[v] < rank_[best])))) {
        best = v;
        bestSpare = spare;
      }
    }
    work_ += n_;
    return best;
  }

  bool solve() {
    if (coloured_ == n_) return true;
    if (work_ > budget_) {
      exhausted_ = true;
      return false;
    }
    if (tight_ && slack() < 0) return false;
    std::size_t v = pick();
    // Candidates: colours in use first (DSATUR), then unused ones by ID.
    IdSet av = avail(v);
    std::vector<unsigned> order;
    for (std::size_t c = av._Find_first(); c < ir::kMaxIds; c = av._Find_next(c))
      if (used_.test(c)) order.push_back(static_cast<unsigned>(c));
    for (std::size_t c = av._Find_first(); c < ir::kMaxIds; c = av._Find_next(c))
      if (!used_.test(c)) order.push_back(static_cast<unsigned>(c));
    std::vector<unsigned> pickSet;
    std::vector<char> closed(static_cast<std::size_t>(classCount_), 0);
    return choose(v, order, 0, left_[v], pickSet, closed);
  }

  // Enumerates the subsets of `order` of size `k`; an unused colour passed
  // over closes its class, so unused colours of a class are taken lowest first.
  bool choose(std::size_t v, const std::vector<unsigned>& order, std::size_t i, unsigned k,
              std::vector<unsigned>& pickSet, std::vector<char>& closed) {
    if (k == 0) {
      bool ok = apply(v, pickSet);
      if (ok && solve()) return true;
      undo(v, pickSet);
      return false;
    }
    if (order.size() - i < k || exhausted_) return false;
    unsigned c = order[i];
    int k0 = cls_[c];
    bool fresh = !used_.test(c);
    if (!(fresh && closed[static_cast<std::size_t>(k0)])) {
      pickSet.push_back(c);
      if (choose(v, order, i + 1, k - 1, pickSet, closed)) return true;
      pickSet.pop_back();
      if (exhausted_) return false;
    }
    char was = fresh ? closed[static_cast<std::size_t>(k0)] : 0;
    if (fresh) closed[static_cast<std::size_t>(k0)] = 1;
    bool r = choose(v, order, i + 1, k, pickSet, closed);
    if (fresh) closed[static_cast<std::size_t>(k0)] = was;
    return r;
  }

  // Colours v with `cs`; false when some uncoloured vertex is left with too
  // few colours (the change stays applied; undo() reverts it).
  bool apply(std::size_t v, const std::vector<unsigned>& cs) {
    bool filled = false;
    for (unsigned c : cs) {
      chosen_[v].set(c);
      used_.set(c);
      if (++usage_[c] == p_.cap[c]) full_.set(c), filled = true;
      for (unsigned u : p_.adj[v])
        if (blockCount_[u * ir::kMaxIds + c]++ == 0) blocked_[u].set(c);
      work_ += p_.adj[v].size();
    }
    left_[v] = 0;
    ++coloured_;
    noteProgress();
    if (filled) {
      work_ += n_;
      for (std::size_t u = 0; u < n_; ++u)
        if (left_[u] > 0 && avail(u).count() < left_[u]) return false;
      return true;
    }
    for (unsigned u : p_.adj[v])
      if (left_[u] > 0 && avail(u).count() < left_[u]) return false;
    return true;
  }

  void undo(std::size_t v, const std::vector<unsigned>& cs) {
    for (unsigned c : cs) {
      chosen_[v].reset(c);
      if (usage_[c]-- == p_.cap[c]) full_.reset(c);
      if (usage_[c] == 0) used_.reset(c);
      for (unsigned u : p_.adj[v])
        if (--blockCount_[u * ir::kMaxIds + c] == 0) blocked_[u].reset(c);
    }
    left_[v] = p_.need[v];
    --coloured_;
  }

  // Bound on the colour slots the uncoloured vertices can still get minus
  // the slots they need: per colour, the candidates hold disjoint resources,
  // so at most as many of them as their smallest resource counts fit the
  // resources they cover (9 adapters: 4 guests of 2). Negative: prune.
  static constexpr long kTightSlack = 64;
  long slack() {
    std::vector<IdSet> cover(ir::kMaxIds);
    std::vector<std::array<unsigned, 4>> small(ir::kMaxIds);  // counts of resource sizes 1..3, and more
    IdSet seen;
    long needed = 0;
    for (std::size_t v = 0; v < n_; ++v) {
      if (left_[v] == 0) continue;
      needed += left_[v];
      IdSet av = avail(v);
      std::size_t size = p_.res[v].count();
      // A vertex holding no resource competes for none: no bound from it.
      if (size == 0) return kTightSlack;
      unsigned bucket = size >= 4 ? 3 : static_cast<unsigned>(size - 1);
      for (std::size_t c = av._Find_first(); c < ir::kMaxIds; c = av._Find_next(c)) {
        cover[c] |= p_.res[v];
        ++small[c][bucket];
        seen.set(c);
      }
      work_ += av.count() + 1;
    }
    long supply = 0;
    for (std::size_t c = seen._Find_first(); c < ir::kMaxIds; c = seen._Find_next(c)) {
      // Take the smallest sizes first (sizes of 4 and more count as 4).
      std::size_t room = cover[c].count();
      long fit = 0;
      for (unsigned b = 0; b < 4; ++b) {
        unsigned sz = b + 1;
        std::size_t take = std::min<std::size_t>(small[c][b], room / sz);
        fit += static_cast<long>(take);
        room -= take * sz;
        if (take < small[c][b]) break;
      }
      std::size_t left = p_.cap[c] > usage_[c] ? p_.cap[c] - usage_[c] : 0;
      supply += std::min<long>(fit, static_cast<long>(left));
    }
    return supply - needed;
  }

  const ColouringProblem& p_;
  bool tight_ = false;
  std::size_t n_;
  std::uint64_t budget_;
  std::uint64_t work_ = 0;
  bool exhausted_ = false;
  std::vector<int> cls_;
  int classCount_ = 0;
  std::vector<IdSet> chosen_;
  std::vector<unsigned> left_;
  std::vector<IdSet> blocked_;
  std::vector<std::uint32_t> blockCount_;
  std::vector<unsigned> usage_;
  std::vector<unsigned> rank_;
  IdSet used_, full_;
  std::size_t coloured_ = 0;
  std::size_t most_ = 0;
  bool recorded_ = false;
  std::vector<unsigned> leftAtMost_;
};

}  // namespace

// Restarts with doubling limits: a feasible plan that the first order
// misses is often found by another, and the last run gets all that is left,
// so an infeasible plan is still proved (at most about twice the work).
ColouringOutcome searchColouring(const ColouringProblem& p, std::uint64_t workBudget) {
  constexpr std::uint64_t kFirstLimit = 2'000'000;
  std::vector<int> cls = colourClasses(p);
  std::uint64_t spent = 0, limit = kFirstLimit;
  ColouringOutcome best;
  for (unsigned round = 0;; ++round) {
    std::uint64_t left = workBudget > spent ? workBudget - spent : 0;
    std::uint64_t cap = left - std::min(left, limit) < limit ? left : limit;
    ColouringOutcome o = Search(p, cls, cap, round).run();
    spent += o.work;
    o.work = spent;
    if (o.status != ColouringOutcome::Status::Unknown) return o;
    if (round == 0 || o.mostColoured > best.mostColoured) best = o;
    best.work = spent;
    if (cap == left) return best;
    limit *= 2;
  }
}

}  // namespace apc::solver::detail
