// Per column (a domain, or an adapter on the dual side): the largest total
// its users can take is the largest subset sum of their counts that fits
// the column's free queues, computed with a bitset knapsack.
#include "solver/decide/column_cut.h"

#include <algorithm>
#include <bitset>
#include <string>

namespace apc::solver::detail {

namespace {

// Largest subset sum of `counts` that is at most `cap` (cap <= kMaxIds).
std::size_t largestFit(const std::vector<unsigned>& counts, std::size_t cap) {
  std::bitset<ir::kMaxIds + 1> reach;
  reach.set(0);
  for (unsigned c : counts) {
    if (c == 0 || c > cap) continue;
    reach |= reach << c;
    if (reach.test(cap)) return cap;
  }
  for (std::size_t s = cap; s > 0; --s)
    if (reach.test(s)) return s;
  return 0;
}

struct AxisBound {
  std::size_t supply = 0;     // sum over columns of the largest fit
  std::size_t free = 0;       // sum over columns of the free queues
  unsigned columns = 0;
  IdSet columnIds;
  // The first column where parity loses queues, for the message.
  int lossColumn = -1;
  std::size_t lossFree = 0, lossFit = 0;
};

// Columns are IDs on one axis (`byDomain`: domains, else adapters). For
// column c, a guest g uses it with weight = its count on the other axis.
AxisBound boundFor(const std::vector<GuestSpec>& specs, const std::vector<std::size_t>& comp,
                   const std::array<IdSet, ir::kMaxIds>& freeQ, bool byDomain) {
  AxisBound b;
  IdSet cols;
  for (std::size_t gi : comp) cols |= byDomain ? specs[gi].candD : specs[gi].candA;
  forEachId(cols, [&](unsigned c) {
    std::vector<unsigned> counts;
    IdSet other;  // IDs on the other axis that some user of c may take
    for (std::size_t gi : comp) {
      const GuestSpec& g = specs[gi];
      if (!(byDomain ? g.candD : g.candA).test(c)) continue;
      counts.push_back(byDomain ? g.nA : g.nD);
      other |= byDomain ? g.candA : g.candD;
    }
    std::size_t freeHere = 0;
    if (byDomain) forEachId(other, [&](unsigned a) { freeHere += freeQ[a].test(c) ? 1 : 0; });
    else freeHere = (freeQ[c] & other).count();
    std::size_t fit = largestFit(counts, freeHere);
    b.supply += fit;
    b.free += freeHere;
    ++b.columns;
    b.columnIds.set(c);
    if (fit < freeHere && b.lossColumn < 0) {
      b.lossColumn = static_cast<int>(c);
      b.lossFree = freeHere;
      b.lossFit = fit;
    }
  });
  return b;
}

std::string countWord(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::optional<Shortfall> columnParityCut(const Model& m, const std::vector<GuestSpec>& specs,
                                         const std::vector<std::size_t>& component, const State& state,
                                         std::size_t* bound) {
  std::array<IdSet, ir::kMaxIds> freeQ;
  for (unsigned a = 0; a < ir::kMaxIds; ++a) freeQ[a] = m.usable[a] & ~state.owned[a] & ~state.controlled[a];
  std::size_t need = 0;
  for (std::size_t gi : component) need += static_cast<std::size_t>(specs[gi].nA) * specs[gi].nD;

  for (bool byDomain : {true, false}) {
    AxisBound b = boundFor(specs, component, freeQ, byDomain);
    if (bound) *bound = byDomain ? b.supply : std::min(*bound, b.supply);
    if (need <= b.supply) continue;
    // Plain supply and demand is the prechecks' job; this cut speaks only
    // when parity (or a subset sum) is what decides.
    const char* col = byDomain ? "domain" : "adapter";
    const char* other = byDomain ? "adapter" : "domain";
    const char* others = byDomain ? "adapters" : "domains";
    std::vector<std::string> names;
    for (std::size_t gi : component) names.push_back(m.plan->guests[gi].name);
    // The counts the guests hold per column, for the wording ("2 adapters").
    IdSet counts;
    for (std::size_t gi : component) counts.set(byDomain ? specs[gi].nA : specs[gi].nD);
    std::string each = counts.count() == 1 ? countWord(counts._Find_first(), other, others)
                                           : std::string("a fixed number of ") + others;
    Shortfall s;
    s.guests = component;
    s.need = need;
    s.have = b.supply;
    s.unit = "queues";
    s.scope = std::string(byDomain ? "domains " : "adapters ") + ir::formatIdList(b.columnIds);
    s.code = ir::DiagCode::DemandExceedsSupply;
    std::string lost;
    if (b.lossColumn >= 0)
      lost = ": " + std::string(col) + " " + ir::formatIdList(ir::makeIdSet({static_cast<unsigned>(b.lossColumn)})) +
             " has " + std::to_string(b.lossFree) + " free " + (b.lossFree == 1 ? other : others) +
             " but their counts add up to at most " + std::to_string(b.lossFit) + " of them";
    s.message = "guests " + joinNames(names) + " cannot all be placed: each holds " + each + " in every " + col +
                " it gets and guests in the same " + col + " share no " + other + ", so a " + col +
                " serves at most the largest sum of their counts that fits its free " + others + lost +
                "; the " + std::to_string(b.columns) + " " + col + "s " + ir::formatIdList(b.columnIds) +
                " hold at most " + std::to_string(b.supply) + " of the " + std::to_string(need) +
                " queues they need (" + std::to_string(b.free) + " are free)";
    return s;
  }
  return std::nullopt;
}

}  // namespace apc::solver::detail
