// The generators share one small builder: a CCA host of given size, guests
// with either axis exact or `any`, apart groups of two.
#include "bench/family_plans.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <utility>
#include <vector>

namespace apc::bench {

namespace {

class Builder {
 public:
  Builder(unsigned adapters, unsigned domains) {
    plan_.path = "family.ap";
    plan_.host.name = "family";
    plan_.host.range = next();
    for (unsigned a = 0; a < adapters; ++a) {
      ir::Adapter ad;
      ad.id = a;
      ad.type.generation = 8;
      ad.type.mode = ir::CardMode::Cca;
      ad.range = next();
      plan_.host.adapters.push_back(ad);
    }
    for (unsigned d = 0; d < domains; ++d) plan_.host.usageDomains.set(d);
    plan_.host.controlDomains = plan_.host.usageDomains;
  }
  // `exact` on one axis (adapters when `adaptersExact`), `any n` on the other.
  void guest(std::string name, bool adaptersExact, ir::IdSet exact, unsigned n) {
    ir::Guest g;
    g.name = std::move(name);
    g.range = next();
    g.declRange = g.range;
    g.adapters.present = g.domains.present = true;
    g.adapters.range = next();
    g.domains.range = next();
    ir::IdRequirement& fixed = adaptersExact ? g.adapters : g.domains;
    ir::IdRequirement& free = adaptersExact ? g.domains : g.adapters;
    fixed.kind = ir::IdRequirement::Kind::Exact;
    fixed.exact = exact;
    free.kind = ir::IdRequirement::Kind::Any;
    free.count = n;
    plan_.guests.push_back(std::move(g));
  }
  void anyGuest(std::string name, unsigned nA, unsigned nD) {
    ir::Guest g;
    g.name = std::move(name);
    g.range = next();
    g.declRange = g.range;
    g.adapters.present = g.domains.present = true;
    g.adapters.range = next();
    g.domains.range = next();
    g.adapters.kind = g.domains.kind = ir::IdRequirement::Kind::Any;
    g.adapters.count = nA;
    g.domains.count = nD;
    plan_.guests.push_back(std::move(g));
  }
  void apart(std::size_t a, std::size_t b) {
    ir::ApartGroup grp;
    grp.guests = {a, b};
    grp.guestRanges = {next(), next()};
    grp.range = next();
    plan_.apart.push_back(std::move(grp));
  }
  ir::Plan take() { return std::move(plan_); }

 private:
  ir::SourceRange next() {
    ir::SourceRange r{0, offset_, offset_ + 1};
    offset_ += 2;
    return r;
  }
  ir::Plan plan_;
  unsigned offset_ = 0;
};

std::string numbered(const char* prefix, unsigned i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%03u", prefix, i);
  return buf;
}

using Edges = std::vector<std::pair<unsigned, unsigned>>;

// One guest per vertex on its own domain, `adapters any 1`, apart per edge.
ir::Plan apartGraphPlan(unsigned vertices, const Edges& edges, unsigned adapters, const char* prefix) {
  Builder b(adapters, vertices);
  for (unsigned v = 0; v < vertices; ++v) b.guest(numbered(prefix, v), false, ir::makeIdSet({v}), 1);
  for (auto [u, v] : edges) b.apart(u, v);
  return b.take();
}

Edges mycielskiEdges(unsigned k, unsigned& vertices) {
  Edges e{{0, 1}};
  vertices = 2;
  for (unsigned step = 2; step < k; ++step) {
    // Vertices v_i (0..n-1), shadows u_i (n..2n-1), apex w (2n).
    unsigned n = vertices;
    Edges next = e;
    for (auto [a, b] : e) {
      next.push_back({a, n + b});
      next.push_back({b, n + a});
    }
    for (unsigned i = 0; i < n; ++i) next.push_back({n + i, 2 * n});
    e = std::move(next);
    vertices = 2 * n + 1;
  }
  return e;
}

}  // namespace

ir::Plan completeGraphPlan(unsigned m, unsigned colours, Side side) {
  bool adaptersExact = side == Side::Adapters;
  Builder b(adaptersExact ? m : colours, adaptersExact ? colours : m);
  for (unsigned i = 0; i < m; ++i)
    for (unsigned j = i + 1; j < m; ++j) {
      char name[32];
      std::snprintf(name, sizeof name, "k%02u_%02u", i, j);
      b.guest(name, adaptersExact, ir::makeIdSet({i, j}), 1);
    }
  return b.take();
}

ir::Plan ringPlan(unsigned n) {
  Builder b(n, 2);
  for (unsigned i = 0; i < n; ++i) b.guest(numbered("r", i), true, ir::makeIdSet({i, (i + 1) % n}), 1);
  return b.take();
}

ir::Plan apartCyclePlan(unsigned n, unsigned adapters) {
  Edges e;
  for (unsigned i = 0; i < n; ++i) e.push_back({i, (i + 1) % n});
  return apartGraphPlan(n, e, adapters, "c");
}

unsigned mycielskiVertices(unsigned k) {
  unsigned v = 0;
  mycielskiEdges(k, v);
  return v;
}

ir::Plan mycielskiPlan(unsigned k, unsigned adapters) {
  unsigned v = 0;
  Edges e = mycielskiEdges(k, v);
  return apartGraphPlan(v, e, adapters, "y");
}

ir::Plan replicatedMycielskiPlan(unsigned k, unsigned adapters, unsigned copies) {
  unsigned v = 0;
  Edges e = mycielskiEdges(k, v);
  Builder b(adapters * copies, v);
  ir::Plan plan = b.take();
  for (unsigned c = 0; c < copies; ++c) {
    ir::Plan one = apartGraphPlan(v, e, adapters, "y");
    ir::IdSet block;
    for (unsigned a = 0; a < adapters; ++a) block.set(c * adapters + a);
    const std::size_t base = plan.guests.size();
    for (ir::Guest& g : one.guests) {
      char name[32];
      std::snprintf(name, sizeof name, "y%02u_%s", c, g.name.c_str() + 1);
      g.name = name;
      g.adapters.in = block;
      plan.guests.push_back(std::move(g));
    }
    for (ir::ApartGroup& grp : one.apart) {
      for (std::size_t& gi : grp.guests) gi += base;
      plan.apart.push_back(std::move(grp));
    }
  }
  // Distinct source ranges across copies: shift each copy past the last.
  unsigned offset = 0;
  auto renumber = [&](ir::SourceRange& r) { r = ir::SourceRange{0, offset, offset + 1}, offset += 2; };
  renumber(plan.host.range);
  for (ir::Adapter& a : plan.host.adapters) renumber(a.range);
  for (ir::Guest& g : plan.guests) {
    renumber(g.range);
    g.declRange = g.range;
    renumber(g.adapters.range);
    renumber(g.domains.range);
  }
  for (ir::ApartGroup& grp : plan.apart) {
    for (ir::SourceRange& r : grp.guestRanges) renumber(r);
    renumber(grp.range);
  }
  return plan;
}

// Guillotine cuts: the adapters are cut into bands of 1..maxSide, each
// band's domains into blocks of 1..maxSide; one guest per block. The
// lengths come from std::mt19937 with our own modulo, so every platform
// builds the same plan.
ir::Plan tiledGridPlan(unsigned adapters, unsigned domains, unsigned maxSide, std::uint32_t seed, unsigned extra) {
  std::mt19937 rng(seed);
  auto cut = [&](unsigned total) {
    std::vector<unsigned> parts;
    for (unsigned left = total; left > 0;) {
      unsigned len = 1 + static_cast<unsigned>(rng() % maxSide);
      if (len > left) len = left;
      parts.push_back(len);
      left -= len;
    }
    return parts;
  };
  Builder b(adapters, domains);
  unsigned i = 0;
  for (unsigned h : cut(adapters))
    for (unsigned w : cut(domains)) b.anyGuest(numbered("t", i++), h, w);
  for (unsigned e = 0; e < extra; ++e) b.anyGuest(numbered("x", e), 1, 1);
  return b.take();
}

// Grows bicliques from random free queues: up to h adapters that have the
// first domain free, then up to w domains free on all of them; the queues
// left over become 1 x 1 guests. Not a guillotine tiling, so no order of
// most-demanding-first placement is bound to find it.
ir::Plan scatteredTilingPlan(unsigned n, unsigned maxSide, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::vector<char>> used(n, std::vector<char>(n, 0));
  Builder b(n, n);
  unsigned i = 0;
  std::vector<std::pair<unsigned, unsigned>> ones;
  for (unsigned tries = 0; tries < n * n; ++tries) {
    unsigned a0 = static_cast<unsigned>(rng() % n), d0 = static_cast<unsigned>(rng() % n);
    if (used[a0][d0]) continue;
    unsigned h = 1 + static_cast<unsigned>(rng() % maxSide), w = 1 + static_cast<unsigned>(rng() % maxSide);
    std::vector<unsigned> as{a0}, ds{d0};
    for (unsigned k = 0; k < n && as.size() < h; ++k) {
      unsigned a = static_cast<unsigned>((a0 + 1 + rng() % (n - 1)) % n);
      if (!used[a][d0] && std::find(as.begin(), as.end(), a) == as.end()) as.push_back(a);
    }
    for (unsigned k = 0; k < n && ds.size() < w; ++k) {
      unsigned d = static_cast<unsigned>((d0 + 1 + rng() % (n - 1)) % n);
      if (std::find(ds.begin(), ds.end(), d) != ds.end()) continue;
      bool free = true;
      for (unsigned a : as) free = free && !used[a][d];
      if (free) ds.push_back(d);
    }
    for (unsigned a : as)
      for (unsigned d : ds) used[a][d] = 1;
    b.anyGuest(numbered("s", i++), static_cast<unsigned>(as.size()), static_cast<unsigned>(ds.size()));
  }
  for (unsigned a = 0; a < n; ++a)
    for (unsigned d = 0; d < n; ++d)
      if (!used[a][d]) b.anyGuest(numbered("s", i++), 1, 1);
  return b.take();
}

}  // namespace apc::bench
