// Test helpers: small ir::Plan values built in code (the solver's tests do not
// depend on the front end). Every element gets a distinct fake source range
// in file 0, so tests can assert where a diagnostic points.
#pragma once

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/plan_ir.h"

namespace apc::solver::testing {

class PlanBuilder {
 public:
  PlanBuilder(std::string host = "lpar", ir::Interface iface = ir::Interface::Modern) {
    plan_.path = "test.ap";
    plan_.host.name = host;
    plan_.host.interface = iface;
    plan_.host.range = next();
  }

  PlanBuilder& adapter(unsigned id, ir::CardMode mode = ir::CardMode::Cca, unsigned gen = 7) {
    ir::Adapter a;
    a.id = id;
    a.type = {gen, mode};
    a.range = next();
    plan_.host.adapters.push_back(a);
    std::sort(plan_.host.adapters.begin(), plan_.host.adapters.end(),
              [](const ir::Adapter& x, const ir::Adapter& y) { return x.id < y.id; });
    return *this;
  }
  PlanBuilder& domains(std::initializer_list<unsigned> ds) {
    for (unsigned d : ds) plan_.host.usageDomains.set(d), plan_.host.controlDomains.set(d);
    return *this;
  }
  PlanBuilder& domainRange(unsigned from, unsigned to) {
    for (unsigned d = from; d <= to; ++d) plan_.host.usageDomains.set(d), plan_.host.controlDomains.set(d);
    return *this;
  }
  PlanBuilder& controlDomain(unsigned d) {
    plan_.host.controlDomains.set(d);
    plan_.host.controlDomainsExplicit = true;
    return *this;
  }
  // nullopt: the `*` wildcard.
  PlanBuilder& reserve(std::optional<unsigned> a, std::optional<unsigned> d) {
    plan_.host.reserve.push_back({a, d, next()});
    expand(a, d, plan_.host.reservedQueues);
    return *this;
  }
  PlanBuilder& offline(std::optional<unsigned> a, std::optional<unsigned> d) {
    plan_.host.offline.push_back({a, d, next()});
    expand(a, d, plan_.host.offlineQueues);
    return *this;
  }

  ir::Guest& exactGuest(const std::string& name, std::initializer_list<unsigned> as,
                        std::initializer_list<unsigned> ds) {
    ir::Guest& g = guest(name);
    g.adapters.kind = ir::IdRequirement::Kind::Exact;
    g.adapters.exact = ir::makeIdSet(as);
    g.domains.kind = ir::IdRequirement::Kind::Exact;
    g.domains.exact = ir::makeIdSet(ds);
    return g;
  }
  ir::Guest& anyGuest(const std::string& name, unsigned nA, unsigned nD,
                      std::optional<ir::CardMode> mode = std::nullopt) {
    ir::Guest& g = guest(name);
    g.adapters.kind = ir::IdRequirement::Kind::Any;
    g.adapters.count = nA;
    g.adapters.mode = mode;
    g.domains.kind = ir::IdRequirement::Kind::Any;
    g.domains.count = nD;
    return g;
  }
  ir::Guest& guest(const std::string& name) {
    ir::Guest g;
    g.name = name;
    g.range = next();
    g.declRange = g.range;
    g.adapters.present = g.domains.present = true;
    g.adapters.range = next();
    g.domains.range = next();
    plan_.guests.push_back(g);
    return plan_.guests.back();
  }
  PlanBuilder& apart(std::vector<std::string> names) {
    ir::ApartGroup grp;
    for (const std::string& n : names) {
      grp.guests.push_back(*plan_.guestIndex(n));
      grp.guestRanges.push_back(next());
    }
    grp.range = next();
    plan_.apart.push_back(grp);
    return *this;
  }
  PlanBuilder& maxGuestsPerAdapter(unsigned n) {
    plan_.policy.maxGuestsPerAdapter = n;
    plan_.policy.maxGuestsPerAdapterRange = next();
    return *this;
  }
  PlanBuilder& allowForeignControl() {
    plan_.policy.allowForeignControl = true;
    plan_.policy.foreignControlRange = next();
    return *this;
  }
  ir::Plan& plan() { return plan_; }

 private:
  ir::SourceRange next() {
    ir::SourceRange r{0, offset_, offset_ + 1};
    offset_ += 2;
    return r;
  }
  void expand(std::optional<unsigned> a, std::optional<unsigned> d, ir::QueueSet& into) {
    for (const ir::Adapter& ad : plan_.host.adapters)
      for (unsigned dd = 0; dd < ir::kMaxIds; ++dd)
        if (plan_.host.usageDomains.test(dd) && (!a || *a == ad.id) && (!d || *d == dd)) into.insert(ad.id, dd);
  }
  ir::Plan plan_;
  std::uint32_t offset_ = 0;
};

}  // namespace apc::solver::testing
