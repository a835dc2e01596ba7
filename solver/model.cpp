// Building the solver's model from the plan IR, and the small placement
// rules (free domains, open adapters, pruning) every search pass shares.
#include "solver/model.h"

#include <algorithm>

namespace apc::solver::detail {

void State::place(const GuestSpec& g, const Placement& p, bool denyForeign) {
  forEachId(p.adapters, [&](unsigned a) {
    owned[a] |= p.domains;
    if (denyForeign) controlled[a] |= g.extraControl;
    ++guestsOn[a];
  });
  placed[g.index] = p;
}

std::size_t Model::usableCount() const {
  std::size_t n = 0;
  for (const IdSet& s : usable) n += s.count();
  return n;
}

namespace {

GuestSpec specFor(const ir::Plan& plan, std::size_t index) {
  const ir::Guest& guest = plan.guests[index];
  const ir::Inventory& host = plan.host;
  GuestSpec g;
  g.index = index;
  g.nA = guest.adapters.size();
  g.nD = guest.domains.size();
  g.exactA = guest.adapters.kind == ir::IdRequirement::Kind::Exact;
  g.exactD = guest.domains.kind == ir::IdRequirement::Kind::Exact;
  if (g.exactA) {
    g.candA = guest.adapters.exact;
  } else {
    for (const ir::Adapter& a : host.adapters)
      if (guest.adapters.admitsAdapter(a)) g.candA.set(a.id);
  }
  if (g.exactD) {
    g.candD = guest.domains.exact;
  } else {
    forEachId(host.usageDomains, [&](unsigned d) {
      if (guest.domains.admitsDomain(d)) g.candD.set(d);
    });
  }
  g.extraControl = guest.extraControlDomains;
  for (const ir::ApartGroup& grp : plan.apart) {
    if (std::find(grp.guests.begin(), grp.guests.end(), index) == grp.guests.end()) continue;
    for (std::size_t o : grp.guests)
      if (o != index) g.apart.push_back(o);
  }
  std::sort(g.apart.begin(), g.apart.end());
  g.apart.erase(std::unique(g.apart.begin(), g.apart.end()), g.apart.end());
  if (g.exactA && g.exactD) {
    g.fixed = Placement{g.candA, g.candD};
    g.fixedBy = GuestSpec::FixedBy::Explicit;
  }
  return g;
}

}  // namespace

Model buildModel(const ir::Plan& plan) {
  Model m;
  m.plan = &plan;
  const ir::Inventory& host = plan.host;
  for (const ir::Queue& q : host.reservedQueues.toVector()) {
    m.reservedAdapters.set(q.adapter);
    m.reservedDomains.set(q.domain);
  }
  for (const ir::Adapter& a : host.adapters) {
    IdSet s;
    // ADM = usage + extra control domains must stay inside the host's control
    // domains, so a usage domain outside them is no use to a guest.
    forEachId(host.usageDomains & host.controlDomains, [&](unsigned d) {
      if (host.queueUsable(a.id, d)) s.set(d);
    });
    // Modern: the host keeps apmask x aqmask, a cross product, so a queue whose
    // adapter and domain both carry a reserved queue can never be released.
    if (host.interface == ir::Interface::Modern && m.reservedAdapters.test(a.id))
      s &= ~m.reservedDomains;
    m.usable[a.id] = s;
  }
  for (std::size_t i = 0; i < plan.guests.size(); ++i) m.guests.push_back(specFor(plan, i));
  m.maxPerAdapter = plan.policy.maxGuestsPerAdapter.value_or(0);
  m.denyForeign = !plan.policy.allowForeignControl;
  return m;
}

bool meetsRequirement(const Model& m, const GuestSpec& g, const Placement& p) {
  const ir::Guest& guest = m.plan->guests[g.index];
  const ir::Inventory& host = m.plan->host;
  if (p.adapters.count() != g.nA || p.domains.count() != g.nD) return false;
  if (g.exactA) {
    if (p.adapters != guest.adapters.exact) return false;
  } else {
    bool ok = true;
    forEachId(p.adapters, [&](unsigned a) {
      const ir::Adapter* ad = host.adapter(a);
      if (!ad || !guest.adapters.admitsAdapter(*ad)) ok = false;
    });
    if (!ok) return false;
  }
  if (g.exactD) {
    if (p.domains != guest.domains.exact) return false;
  } else {
    bool ok = true;
    forEachId(p.domains, [&](unsigned d) {
      if (!host.usageDomains.test(d) || !guest.domains.admitsDomain(d)) ok = false;
    });
    if (!ok) return false;
  }
  bool ok = true;
  forEachId(p.adapters, [&](unsigned a) {
    if ((p.domains & ~m.usable[a]).any()) ok = false;
  });
  return ok;
}

IdSet freeDomainsFor(const Model& m, const State& s, const GuestSpec& g, unsigned a) {
  return m.usable[a] & ~s.owned[a] & ~s.controlled[a] & g.candD;
}

bool adapterOpenFor(const Model& m, const State& s, const GuestSpec& g, unsigned a) {
  if (m.maxPerAdapter && s.guestsOn[a] >= m.maxPerAdapter) return false;
  for (std::size_t o : g.apart)
    if (s.placed[o] && s.placed[o]->adapters.test(a)) return false;
  if (m.denyForeign && (g.extraControl & s.owned[a]).any()) return false;
  return true;
}

bool pruneCandidates(const Model& m, const State& s, GuestSpec& g) {
  if (g.fixed) return compatible(m, s, g, *g.fixed);
  for (;;) {
    IdSet newA;
    forEachId(g.candA, [&](unsigned a) {
      if (!adapterOpenFor(m, s, g, a)) return;
      IdSet fd = freeDomainsFor(m, s, g, a);
      bool enough = g.exactD ? (g.candD & ~fd).none() : fd.count() >= g.nD;
      if (enough) newA.set(a);
    });
    if (g.exactA && newA != g.candA) return false;
    IdSet newD;
    if (g.nA > 0) {
      std::array<unsigned, ir::kMaxIds> offers{};
      forEachId(newA, [&](unsigned a) {
        forEachId(freeDomainsFor(m, s, g, a), [&](unsigned d) { ++offers[d]; });
      });
      forEachId(g.candD, [&](unsigned d) {
        if (offers[d] >= g.nA) newD.set(d);
      });
    } else {
      newD = g.candD;
    }
    if (g.exactD && newD != g.candD) return false;
    bool same = newA == g.candA && newD == g.candD;
    g.candA = newA;
    g.candD = newD;
    if (same) break;
  }
  return g.candA.count() >= g.nA && g.candD.count() >= g.nD;
}

bool compatible(const Model& m, const State& s, const GuestSpec& g, const Placement& p) {
  bool ok = true;
  forEachId(p.adapters, [&](unsigned a) {
    if (!adapterOpenFor(m, s, g, a)) ok = false;
    if ((p.domains & ~(m.usable[a] & ~s.owned[a] & ~s.controlled[a])).any()) ok = false;
  });
  return ok;
}

}  // namespace apc::solver::detail
