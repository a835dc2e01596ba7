// Plans are built directly as IR (no front end), with invalid source ranges.
// Randomness is std::mt19937 with a fixed seed and our own modulo mapping,
// since the standard distributions differ between library implementations.
#include "bench/plan_generator.h"

#include <algorithm>
#include <array>
#include <optional>
#include <cstdio>
#include <random>
#include <vector>

namespace apc::bench {

namespace {

using ir::IdSet;

class Rng {
 public:
  explicit Rng(std::uint32_t seed) : g_(seed) {}
  unsigned below(unsigned n) { return static_cast<unsigned>(g_() % n); }
  bool chance(double p) { return (g_() % 1'000'000) < static_cast<std::uint32_t>(p * 1'000'000); }
  template <class T>
  void shuffle(std::vector<T>& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(static_cast<unsigned>(i))]);
  }

 private:
  std::mt19937 g_;
};

ir::CardMode modeOf(unsigned adapterId) {
  // Half CCA, a quarter EP11, a quarter accelerators, interleaved.
  switch (adapterId % 4) {
    case 0:
    case 1: return ir::CardMode::Cca;
    case 2: return ir::CardMode::Ep11;
    default: return ir::CardMode::Accel;
  }
}

ir::Inventory makeHost(unsigned adapters, unsigned domains, bool oneMode) {
  ir::Inventory h;
  h.name = "genhost";
  for (unsigned a = 0; a < adapters; ++a) {
    ir::Adapter ad;
    ad.id = a;
    ad.type.generation = 7;
    ad.type.mode = oneMode ? ir::CardMode::Cca : modeOf(a);
    h.adapters.push_back(ad);
  }
  for (unsigned d = 0; d < domains; ++d) h.usageDomains.set(d);
  h.controlDomains = h.usageDomains;
  return h;
}

ir::Guest anyGuest(std::string name, unsigned nA, std::optional<ir::CardMode> mode, unsigned nD) {
  ir::Guest g;
  g.name = std::move(name);
  g.adapters.kind = ir::IdRequirement::Kind::Any;
  g.adapters.count = nA;
  g.adapters.mode = mode;
  g.adapters.present = true;
  g.domains.kind = ir::IdRequirement::Kind::Any;
  g.domains.count = nD;
  g.domains.present = true;
  return g;
}

std::string guestName(unsigned i) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "g%04u", i);
  return buf;
}

// A random exact cover of adapters x domains by bicliques of at most 4 x 8
// (not necessarily contiguous, so not a guillotine tiling): random blocks
// while they fit, then each adapter's leftover domains in rows of up to 8.
// Guests of these sizes fill the host exactly.
std::vector<std::pair<unsigned, unsigned>> cover(unsigned adapters, unsigned domains, Rng& rng) {
  std::vector<IdSet> used(adapters);
  std::vector<std::pair<unsigned, unsigned>> out;
  std::vector<unsigned> as(adapters);
  for (unsigned a = 0; a < adapters; ++a) as[a] = a;
  for (unsigned attempt = 0; attempt < 4000; ++attempt) {
    unsigned nA = 1 + rng.below(4), nD = 1 + rng.below(8);
    rng.shuffle(as);
    IdSet common;
    for (unsigned d = 0; d < domains; ++d) common.set(d);
    for (unsigned k = 0; k < nA; ++k) common &= ~used[as[k]];
    std::vector<unsigned> freeD = ir::toVector(common);
    if (freeD.size() < nD) continue;
    rng.shuffle(freeD);
    IdSet ds;
    for (unsigned k = 0; k < nD; ++k) ds.set(freeD[k]);
    for (unsigned k = 0; k < nA; ++k) used[as[k]] |= ds;
    out.push_back({nA, nD});
  }
  for (unsigned a = 0; a < adapters; ++a) {
    unsigned left = domains - static_cast<unsigned>(used[a].count());
    while (left > 0) {
      unsigned k = std::min(left, 8u);
      out.push_back({1, k});
      left -= k;
    }
  }
  return out;
}

}  // namespace

std::string_view presetName(Preset p) {
  switch (p) {
    case Preset::Small: return "small";
    case Preset::Medium: return "medium";
    case Preset::Large: return "large";
    case Preset::Huge: return "huge";
    case Preset::Tight: return "tight";
    case Preset::InfeasibleByOne: return "infeasible_by_one";
    case Preset::InfeasibleIdentical: return "infeasible_identical";
  }
  return "?";
}

ir::Plan generatePlan(const GeneratorOptions& opts) {
  Rng rng(opts.seed);
  ir::Plan plan;
  plan.path = "generated.ap";
  plan.host = makeHost(opts.adapters, opts.domains, false);
  std::array<IdSet, ir::kMaxIds> used{};  // hidden allocation: per adapter, domains taken
  std::vector<unsigned> byMode[3];
  for (const ir::Adapter& a : plan.host.adapters) byMode[static_cast<int>(a.type.mode)].push_back(a.id);
  unsigned made = 0;
  for (unsigned i = 0; i < opts.guests; ++i) {
    ir::CardMode mode = modeOf(rng.below(4));
    std::vector<unsigned> pool = byMode[static_cast<int>(mode)];
    if (pool.empty()) continue;
    unsigned nA = std::min<unsigned>(1 + rng.below(4), static_cast<unsigned>(pool.size()));
    unsigned nD = std::min<unsigned>(1 + rng.below(8), opts.domains);
    // A few tries at a random biclique of free queues, shrinking on failure.
    bool placed = false;
    IdSet as, ds;
    for (unsigned attempt = 0; attempt < 40 && !placed; ++attempt) {
      if (attempt == 20 && nD > 1) nD = (nD + 1) / 2;
      rng.shuffle(pool);
      as.reset();
      for (unsigned k = 0; k < nA; ++k) as.set(pool[k]);
      IdSet common;
      for (unsigned d = 0; d < opts.domains; ++d) common.set(d);
      for (unsigned k = 0; k < nA; ++k) common &= ~used[pool[k]];
      std::vector<unsigned> freeD = ir::toVector(common);
      if (freeD.size() < nD) continue;
      rng.shuffle(freeD);
      ds.reset();
      for (unsigned k = 0; k < nD; ++k) ds.set(freeD[k]);
      placed = true;
    }
    if (!placed) continue;
    for (unsigned a : ir::toVector(as)) used[a] |= ds;
    ir::Guest g = anyGuest(guestName(made++), nA, mode, nD);
    if (rng.chance(opts.pinnedFraction)) {
      g.adapters.kind = ir::IdRequirement::Kind::Exact;
      g.adapters.exact = as;
      g.adapters.mode.reset();
      g.domains.kind = ir::IdRequirement::Kind::Exact;
      g.domains.exact = ds;
    } else if (rng.chance(opts.filterFraction)) {
      // An `in` filter that still admits the hidden domains plus a random half.
      IdSet in = ds;
      for (unsigned d = 0; d < opts.domains; ++d)
        if (rng.chance(0.5)) in.set(d);
      g.domains.in = in;
    }
    plan.guests.push_back(std::move(g));
  }
  return plan;
}

ir::Plan generatePlan(Preset p, std::uint32_t seed) {
  GeneratorOptions o;
  o.seed = seed;
  switch (p) {
    case Preset::Small: o.adapters = 4; o.domains = 16; o.guests = 5; return generatePlan(o);
    case Preset::Medium: o.adapters = 16; o.domains = 85; o.guests = 60; return generatePlan(o);
    case Preset::Large: o.adapters = 64; o.domains = 85; o.guests = 300; return generatePlan(o);
    case Preset::Huge: o.adapters = 256; o.domains = 256; o.guests = 1000; return generatePlan(o);
    case Preset::Tight:
    case Preset::InfeasibleByOne: {
      Rng rng(seed);
      ir::Plan plan;
      plan.path = "generated.ap";
      plan.host = makeHost(16, 48, true);
      std::vector<std::pair<unsigned, unsigned>> blocks = cover(16, 48, rng);
      rng.shuffle(blocks);
      unsigned i = 0;
      for (auto [a, d] : blocks) plan.guests.push_back(anyGuest(guestName(i++), a, ir::CardMode::Cca, d));
      if (p == Preset::InfeasibleByOne) plan.guests.push_back(anyGuest(guestName(i++), 1, ir::CardMode::Cca, 1));
      return plan;
    }
    case Preset::InfeasibleIdentical: {
      // Any two guests with 4 of 7 adapters share one, so all six need
      // pairwise different domains: 18 > 16, while 72 queues <= 112 free.
      ir::Plan plan;
      plan.path = "generated.ap";
      plan.host = makeHost(7, 16, true);
      for (unsigned i = 0; i < 6; ++i) {
        ir::Guest g = anyGuest(guestName(i), 4, ir::CardMode::Cca, 3);
        g.templateName = "hsm";
        plan.guests.push_back(std::move(g));
      }
      return plan;
    }
  }
  return {};
}

std::string planToAp(const ir::Plan& plan) {
  std::string out = "host " + plan.host.name + " {\n";
  out += "    interface " + std::string(ir::interfaceName(plan.host.interface)) + ";\n";
  out += "    crycb format " + std::to_string(plan.host.crycbFormat) + ";\n";
  for (const ir::Adapter& a : plan.host.adapters)
    out += "    adapter " + ir::formatSysfsId(a.id) + " " + a.type.str() + ";\n";
  out += "    domains " + ir::formatIdList(plan.host.usageDomains) + ";\n";
  if (plan.host.controlDomains != plan.host.usageDomains)
    out += "    control domains " + ir::formatIdList(plan.host.controlDomains) + ";\n";
  for (const ir::Queue& q : plan.host.reservedQueues.toVector()) out += "    reserve " + ir::formatQueue(q) + ";\n";
  for (const ir::Queue& q : plan.host.offlineQueues.toVector()) out += "    offline " + ir::formatQueue(q) + ";\n";
  out += "}\n";
  auto req = [](const ir::IdRequirement& r, const char* axis) {
    std::string s = std::string(axis) + " ";
    if (r.kind == ir::IdRequirement::Kind::Exact) return s + ir::formatIdList(r.exact) + ";";
    s += "any " + std::to_string(r.count);
    if (r.in) s += " in " + ir::formatIdList(*r.in);
    if (r.mode) s += " mode " + std::string(ir::modeKeyword(*r.mode));
    for (std::size_t i = 0; i < r.types.size(); ++i) s += (i ? ", " : " type ") + r.types[i].str();
    return s + ";";
  };
  for (const ir::Guest& g : plan.guests)
    out += "guest " + g.name + " { " + req(g.adapters, "adapters") + " " + req(g.domains, "domains") + " }\n";
  for (const ir::ApartGroup& a : plan.apart) {
    out += "apart";
    for (std::size_t i = 0; i < a.guests.size(); ++i) out += (i ? ", " : " ") + plan.guests[a.guests[i]].name;
    out += ";\n";
  }
  if (plan.policy.maxGuestsPerAdapter)
    out += "policy { max guests per adapter " + std::to_string(*plan.policy.maxGuestsPerAdapter) + "; }\n";
  return out;
}

}  // namespace apc::bench
