// The generators share one small builder: a CCA host of given size, guests
// with either axis exact or `any`, apart groups of two.
#include "bench/family_plans.h"

#include <cstdio>
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

}  // namespace apc::bench
