// The reduction keeps every rule: queues a colour would need must be free
// (list), rules between two guests that hold for any common colour become
// edges, rules tied to one colour and one guest trim that guest's list.
#include "solver/decide/colouring.h"

#include <algorithm>

namespace apc::solver::detail {

namespace {

bool isApart(const GuestSpec& g, std::size_t other) {
  return std::binary_search(g.apart.begin(), g.apart.end(), other);
}

}  // namespace

std::optional<ComponentColouring> colouringOf(const Model& m, const std::vector<GuestSpec>& specs,
                                              const std::vector<std::size_t>& component, const State& state) {
  bool adaptersFixed = true, domainsFixed = true;
  for (std::size_t gi : component) {
    adaptersFixed = adaptersFixed && specs[gi].candA.count() == specs[gi].nA;
    domainsFixed = domainsFixed && specs[gi].candD.count() == specs[gi].nD;
  }
  if (!adaptersFixed && !domainsFixed) return std::nullopt;
  ComponentColouring cc;
  cc.coloursAreDomains = adaptersFixed;
  cc.guests = component;
  const std::size_t n = component.size();
  ColouringProblem& p = cc.problem;
  p.need.resize(n);
  p.list.resize(n);
  p.adj.resize(n);
  std::array<IdSet, ir::kMaxIds> freeQ;
  for (unsigned a = 0; a < ir::kMaxIds; ++a) freeQ[a] = m.usable[a] & ~state.owned[a] & ~state.controlled[a];

  if (cc.coloursAreDomains) {
    std::array<unsigned, ir::kMaxIds> holders{};
    for (std::size_t v = 0; v < n; ++v) {
      const GuestSpec& g = specs[component[v]];
      cc.fixed.push_back(g.candA);
      p.res.push_back(g.candA);
      p.need[v] = g.nD;
      IdSet list = g.candD;
      bool open = true;
      forEachId(g.candA, [&](unsigned a) {
        list &= freeQ[a];
        open = open && adapterOpenFor(m, state, g, a);
        ++holders[a];
      });
      p.list[v] = open ? list : IdSet{};
    }
    // Every guest holds its fixed adapters, so the policy limit is a fact
    // to check, not a choice; leave a breach to the exact pass's core.
    if (m.maxPerAdapter)
      for (unsigned a = 0; a < ir::kMaxIds; ++a)
        if (holders[a] && state.guestsOn[a] + holders[a] > m.maxPerAdapter) return std::nullopt;
    for (std::size_t v = 0; v < n; ++v)
      for (std::size_t u = v + 1; u < n; ++u) {
        const GuestSpec& g = specs[component[v]];
        const GuestSpec& h = specs[component[u]];
        if ((g.candA & h.candA).none()) continue;
        if (isApart(g, h.index)) return std::nullopt;  // a clash on fixed adapters: not a colouring
        p.adj[v].push_back(static_cast<unsigned>(u));
        p.adj[u].push_back(static_cast<unsigned>(v));
        if (m.denyForeign) {
          p.list[u] &= ~g.extraControl;
          p.list[v] &= ~h.extraControl;
        }
      }
  } else {
    for (std::size_t v = 0; v < n; ++v) {
      const GuestSpec& g = specs[component[v]];
      cc.fixed.push_back(g.candD);
      p.res.push_back(g.candD);
      p.need[v] = g.nA;
      IdSet list;
      forEachId(g.candA, [&](unsigned a) {
        if (adapterOpenFor(m, state, g, a) && (g.candD & ~freeQ[a]).none()) list.set(a);
      });
      p.list[v] = list;
    }
    if (m.maxPerAdapter)
      for (unsigned a = 0; a < ir::kMaxIds; ++a)
        p.cap[a] = m.maxPerAdapter > state.guestsOn[a] ? m.maxPerAdapter - state.guestsOn[a] : 0;
    for (std::size_t v = 0; v < n; ++v)
      for (std::size_t u = v + 1; u < n; ++u) {
        const GuestSpec& g = specs[component[v]];
        const GuestSpec& h = specs[component[u]];
        bool clash = (g.candD & h.candD).any() || isApart(g, h.index) ||
                     (m.denyForeign && ((g.extraControl & h.candD).any() || (h.extraControl & g.candD).any()));
        if (!clash) continue;
        p.adj[v].push_back(static_cast<unsigned>(u));
        p.adj[u].push_back(static_cast<unsigned>(v));
      }
  }
  return cc;
}

bool placeColouring(const Model& m, const std::vector<GuestSpec>& specs, const ComponentColouring& cc,
                    const std::vector<IdSet>& colours, State& state) {
  State next = state;
  for (std::size_t v = 0; v < cc.guests.size(); ++v) {
    const GuestSpec& g = specs[cc.guests[v]];
    Placement p = cc.coloursAreDomains ? Placement{cc.fixed[v], colours[v]} : Placement{colours[v], cc.fixed[v]};
    if (!meetsRequirement(m, g, p) || !compatible(m, next, g, p)) return false;
    next.place(g, p, m.denyForeign);
  }
  state = std::move(next);
  return true;
}

}  // namespace apc::solver::detail
