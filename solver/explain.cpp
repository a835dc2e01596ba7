// Wording of the solver's errors. Counts and IDs come from the model; each
// requirement named gets a note at the line that asked for it.
#include "solver/explain.h"

#include <algorithm>

namespace apc::solver::detail {

namespace {

std::string plural(std::size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string modeWord(ir::CardMode m) {
  switch (m) {
    case ir::CardMode::Accel: return "accelerator";
    case ir::CardMode::Cca: return "CCA";
    case ir::CardMode::Ep11: return "EP11";
  }
  return "CCA";
}

ir::SourceRange requirementRange(const ir::Guest& g) {
  if (g.adapters.range.valid()) return g.adapters.range;
  if (g.domains.range.valid()) return g.domains.range;
  return g.range;
}

std::string guestName(const Model& m, std::size_t i) { return m.plan->guests[i].name; }

void noteGuest(ir::Diagnostic& d, const Model& m, std::size_t i) {
  const ir::Guest& g = m.plan->guests[i];
  ir::addNote(d, requirementRange(g), g.name + " asks for " + describeRequirement(g));
}

void noteHolder(ir::Diagnostic& d, const Model& m, std::size_t i, std::size_t queues) {
  const ir::Guest& g = m.plan->guests[i];
  std::string why;
  switch (m.guests[i].fixedBy) {
    case GuestSpec::FixedBy::Pinned: why = " (fixed by the query)"; break;
    case GuestSpec::FixedBy::Explicit: why = " (its explicit lists)"; break;
    case GuestSpec::FixedBy::Lock: why = " (kept from the lock file)"; break;
    case GuestSpec::FixedBy::None: break;
  }
  if (queues == 0) ir::addNote(d, g.range, g.name + " is already placed" + why);
  else ir::addNote(d, g.range, g.name + " already holds " + std::to_string(queues) + " of those queues" + why);
}

std::size_t queuesIn(const Placement& p, const IdSet& as, const IdSet& ds) {
  return (p.adapters & as).count() * (p.domains & ds).count();
}


// Foreign control decides it when the adapters and domains that only
// foreign control takes away would be enough: the guest's extra control
// domains are other guests' usage domains there, or other guests' extra
// control domains cover the free domains it needs. Reported as E305 with the
// guests and queues involved, instead of a bare "no free domain" E201.
bool reportForeignControl(const Model& m, const GuestSpec& spec, const State& state, const IdSet& good,
                          ir::DiagEngine& diags) {
  const ir::Plan& plan = *m.plan;
  const ir::Guest& g = plan.guests[spec.index];
  IdSet goodWithout = good;  // adapters that would serve without the rule
  forEachId(spec.candA, [&](unsigned a) {
    if (good.test(a)) return;
    if (m.maxPerAdapter && state.guestsOn[a] >= m.maxPerAdapter) return;
    for (std::size_t o : spec.apart)
      if (state.placed[o] && state.placed[o]->adapters.test(a)) return;
    if ((m.usable[a] & ~state.owned[a] & spec.candD).count() >= spec.nD) goodWithout.set(a);
  });
  if (good.count() >= spec.nA || goodWithout.count() < spec.nA) return false;
  // Who holds or controls what, on the adapters foreign control closed.
  IdSet closed = goodWithout & ~good;
  std::vector<std::string> parts;
  std::vector<std::pair<std::size_t, std::string>> others;  // guest, its queues
  for (std::size_t o = 0; o < state.placed.size(); ++o) {
    if (!state.placed[o] || o == spec.index) continue;
    const Placement& p = *state.placed[o];
    std::vector<std::string> mine, theirs;
    forEachId(p.adapters & closed, [&](unsigned a) {
      forEachId(p.domains & spec.extraControl, [&](unsigned d) { mine.push_back(ir::formatQueue(a, d)); });
      forEachId(m.guests[o].extraControl & spec.candD & m.usable[a] & ~state.owned[a],
                [&](unsigned d) { theirs.push_back(ir::formatQueue(a, d)); });
    });
    if (!mine.empty()) {
      parts.push_back(g.name + "'s control domains would control " + plan.guests[o].name + "'s " +
                      (mine.size() == 1 ? "queue " : "queues ") + joinNames(mine, 8));
      others.push_back({o, "holds " + joinNames(mine, 8)});
    } else if (!theirs.empty()) {
      parts.push_back(plan.guests[o].name + " controls the free " + (theirs.size() == 1 ? "queue " : "queues ") +
                      joinNames(theirs, 8) + " that " + g.name + " would use");
      others.push_back({o, "has extra control domains " + ir::formatIdList(m.guests[o].extraControl)});
    }
  }
  if (parts.empty()) return false;
  ir::SourceRange at = g.controlDomainsRange.valid() && (spec.extraControl.any()) ? g.controlDomainsRange : g.range;
  ir::Diagnostic& d = diags.error(ir::DiagCode::ForeignControl, at,
                                  "guest " + g.name + " cannot get " + describeRequirement(g) + " without foreign control on " +
                                      describeAdapters(plan, closed) + ": " + joinNames(parts, 6));
  noteGuest(d, m, spec.index);
  for (const auto& [o, what] : others) ir::addNote(d, plan.guests[o].range, plan.guests[o].name + " " + what);
  if (plan.policy.foreignControlRange.valid())
    ir::addNote(d, plan.policy.foreignControlRange, "the policy denies foreign control");
  else
    ir::addNote(d, {}, "foreign control is denied by default; 'allow foreign control;' in a policy permits it");
  return true;
}

}  // namespace

std::string joinNames(const std::vector<std::string>& names, std::size_t max) {
  std::size_t shown = std::min(names.size(), max);
  std::string out;
  for (std::size_t i = 0; i < shown; ++i) {
    if (i > 0) out += (i + 1 == shown && shown == names.size()) ? " and " : ", ";
    out += names[i];
  }
  if (shown < names.size()) out += " and " + std::to_string(names.size() - shown) + " more";
  return out;
}

std::string describeAdapters(const ir::Plan& plan, const IdSet& ids) {
  std::optional<ir::CardMode> mode;
  bool same = true;
  forEachId(ids, [&](unsigned a) {
    const ir::Adapter* ad = plan.host.adapter(a);
    if (!ad) return void(same = false);
    if (mode && *mode != ad->type.mode) same = false;
    mode = ad->type.mode;
  });
  std::string list = ir::formatIdList(ids);
  if (same && mode) return "the " + modeWord(*mode) + " adapter" + (ids.count() == 1 ? " " : "s ") + list;
  return std::string(ids.count() == 1 ? "adapter " : "adapters ") + list;
}

std::string describeRequirement(const ir::Guest& g) {
  std::string a, d;
  const ir::IdRequirement& ra = g.adapters;
  if (ra.kind == ir::IdRequirement::Kind::Exact) {
    a = (ra.exact.count() == 1 ? "adapter " : "adapters ") + ir::formatIdList(ra.exact);
  } else {
    a = std::to_string(ra.count) + (ra.mode ? " " + modeWord(*ra.mode) : std::string()) +
        (ra.count == 1 ? " adapter" : " adapters");
    if (!ra.types.empty()) {
      a += " of type";
      for (std::size_t i = 0; i < ra.types.size(); ++i) a += (i ? ", " : " ") + ra.types[i].str();
    }
    if (ra.in) a += " in " + ir::formatIdList(*ra.in);
  }
  const ir::IdRequirement& rd = g.domains;
  if (rd.kind == ir::IdRequirement::Kind::Exact) {
    d = (rd.exact.count() == 1 ? "domain " : "domains ") + ir::formatIdList(rd.exact);
  } else {
    d = std::to_string(rd.count) + (rd.count == 1 ? " domain" : " domains");
    if (rd.in) d += " in " + ir::formatIdList(*rd.in);
  }
  return a + " x " + d;
}

void reportShortfall(const Model& m, const Shortfall& s, ir::DiagEngine& diags) {
  std::vector<std::string> names;
  for (std::size_t g : s.guests) names.push_back(guestName(m, g));
  bool one = s.guests.size() == 1;
  std::string msg = (one ? "guest " : "guests ") + joinNames(names) + (one ? " needs " : " together need ") +
                    std::to_string(s.need) + " " + s.unit + " on " + s.scope + ", but only " +
                    std::to_string(s.have) + (s.have == 1 ? " is" : " are") + " free there";
  if (!s.message.empty()) msg = s.message;
  ir::Diagnostic& d = diags.error(s.code, m.plan->guests[s.guests.front()].range, msg);
  for (std::size_t i = 0; i < s.guests.size() && i < 12; ++i) noteGuest(d, m, s.guests[i]);
  if (s.guests.size() > 12)
    ir::addNote(d, {}, "and " + plural(s.guests.size() - 12, "more guest") + " with requirements in the same place");
}

void reportStuckGuest(const Model& m, const GuestSpec& spec, const State& state, ir::DiagEngine& diags) {
  const ir::Plan& plan = *m.plan;
  const ir::Guest& g = plan.guests[spec.index];
  // How many candidate adapters still offer enough free candidate domains?
  IdSet good;
  forEachId(spec.candA, [&](unsigned a) {
    if (adapterOpenFor(m, state, spec, a) && freeDomainsFor(m, state, spec, a).count() >= spec.nD) good.set(a);
  });
  if (m.denyForeign && reportForeignControl(m, spec, state, good, diags)) return;
  std::string msg = "guest " + g.name + " cannot get " + describeRequirement(g) + ": ";
  if (spec.candA.count() < spec.nA) {
    msg += "the host has only " + plural(spec.candA.count(), "adapter") + " that " +
           (spec.candA.count() == 1 ? "fits" : "fit");
  } else if (good.count() < spec.nA) {
    msg += (good.none() ? std::string("none") : "only " + std::to_string(good.count())) + " of " + describeAdapters(plan, spec.candA) +
           (good.count() == 1 ? " has " : " have ") + plural(spec.nD, "free domain") + " left";
  } else {
    msg += "no " + std::to_string(spec.nA) + " of " + describeAdapters(plan, good) + " have " +
           plural(spec.nD, "free domain") + " in common";
  }
  ir::Diagnostic& d = diags.error(ir::DiagCode::Infeasible, g.range, msg);
  noteGuest(d, m, spec.index);
  for (std::size_t o = 0; o < state.placed.size(); ++o) {
    if (!state.placed[o] || o == spec.index) continue;
    std::size_t q = queuesIn(*state.placed[o], spec.candA, spec.candD);
    if (q) noteHolder(d, m, o, q);
  }
  for (std::size_t o : spec.apart)
    if (state.placed[o] && (state.placed[o]->adapters & spec.candA).any())
      for (const ir::ApartGroup& grp : plan.apart)
        if (std::count(grp.guests.begin(), grp.guests.end(), o) && std::count(grp.guests.begin(), grp.guests.end(), spec.index))
          ir::addNote(d, grp.range, g.name + " must share no adapter with " + plan.guests[o].name);
  std::size_t reserved = 0, offline = 0;
  forEachId(spec.candA, [&](unsigned a) {
    forEachId(spec.candD, [&](unsigned dd) {
      if (plan.host.reservedQueues.contains(a, dd)) ++reserved;
      if (plan.host.offlineQueues.contains(a, dd)) ++offline;
    });
  });
  if (reserved && !plan.host.reserve.empty())
    ir::addNote(d, plan.host.reserve.front().range, std::to_string(reserved) + " of those queues stay with the host (reserve)");
  if (offline && !plan.host.offline.empty())
    ir::addNote(d, plan.host.offline.front().range, std::to_string(offline) + " of those queues are offline");
  if (plan.host.interface == ir::Interface::Modern && !plan.host.reserve.empty()) {
    std::size_t forced = 0;
    forEachId(spec.candA & m.reservedAdapters, [&](unsigned) { forced += (spec.candD & m.reservedDomains).count(); });
    if (forced > reserved)
      ir::addNote(d, plan.host.reserve.front().range,
                  "with interface modern the host also keeps " + std::to_string(forced - reserved) + " more of those queues" +
                      " (reserved adapters x reserved domains)");
  }
  if (m.maxPerAdapter) {
    IdSet full;
    forEachId(spec.candA, [&](unsigned a) {
      if (state.guestsOn[a] >= m.maxPerAdapter) full.set(a);
    });
    if (full.any())
      ir::addNote(d, plan.policy.maxGuestsPerAdapterRange,
                  describeAdapters(plan, full) + " already serve the most guests the policy allows");
  }
}

void reportCore(const Model& m, const std::vector<GuestSpec>& specs, const State& state,
                const std::vector<PlanElement>& core, ir::DiagEngine& diags) {
  const ir::Plan& plan = *m.plan;
  std::vector<std::size_t> guests;
  for (const PlanElement& e : core)
    if (e.kind == PlanElement::Kind::Guest) guests.push_back(e.id);
  if (guests.empty())  // cannot happen: every rule constrains some guest; stay safe
    for (const GuestSpec& s : specs) guests.push_back(s.index);
  IdSet as, ds;
  std::size_t need = 0;
  std::vector<std::string> names;
  for (std::size_t g : guests) {
    as |= specs[g].candA;
    ds |= specs[g].candD;
    need += static_cast<std::size_t>(specs[g].nA) * specs[g].nD;
    names.push_back(guestName(m, g));
  }
  std::size_t freeQ = 0;
  forEachId(as, [&](unsigned a) { freeQ += (m.usable[a] & ~state.owned[a] & ~state.controlled[a] & ds).count(); });
  std::string msg = "guests " + joinNames(names) + " cannot all be placed: they need " + plural(need, "queue") +
                    " among the " + std::to_string(freeQ) + " free queues of " + describeAdapters(plan, as) +
                    " x domains " + ir::formatIdList(ds) +
                    ", but no choice gives each its whole matrix without two of them sharing a queue";
  std::vector<std::string> rules;
  for (const PlanElement& e : core) {
    if (e.kind == PlanElement::Kind::Apart) rules.push_back("the apart group");
    if (e.kind == PlanElement::Kind::MaxPerAdapter)
      rules.push_back("at most " + std::to_string(m.maxPerAdapter) + " guests per adapter");
    if (e.kind == PlanElement::Kind::ForeignControl) rules.push_back("no foreign control");
  }
  if (!rules.empty()) msg += " (with " + joinNames(rules) + ")";
  // Apart guests need distinct adapters: say so when that alone decides it.
  for (const PlanElement& e : core) {
    if (e.kind != PlanElement::Kind::Apart) continue;
    std::size_t needA = 0;
    IdSet open;
    std::vector<std::string> members;
    for (std::size_t g : guests)
      if (std::count(plan.apart[e.id].guests.begin(), plan.apart[e.id].guests.end(), g)) {
        needA += specs[g].nA;
        open |= specs[g].candA;
        members.push_back(guestName(m, g));
      }
    if (members.size() == guests.size() && needA > open.count()) {
      msg = "guests " + joinNames(members) + " are kept apart, so they need " + plural(needA, "different adapter") +
            " between them, but only " + std::to_string(open.count()) + " (" + describeAdapters(plan, open) +
            ") can serve them";
      break;
    }
  }
  if (guests.size() == 1)
    msg = "guest " + names[0] + " cannot be placed: " + (rules.empty() ? "no choice fits its requirement" : "with " + joinNames(rules) + " no choice fits its requirement");
  ir::Diagnostic& d = diags.error(ir::DiagCode::Infeasible, plan.guests[guests.front()].range, msg);
  for (std::size_t g : guests) noteGuest(d, m, g);
  for (const PlanElement& e : core) {
    if (e.kind == PlanElement::Kind::Apart)
      ir::addNote(d, plan.apart[e.id].range, "these guests may share no adapter");
    if (e.kind == PlanElement::Kind::MaxPerAdapter)
      ir::addNote(d, plan.policy.maxGuestsPerAdapterRange, "the policy limits each adapter's guests");
    if (e.kind == PlanElement::Kind::ForeignControl)
      ir::addNote(d, plan.policy.foreignControlRange,
                  "a guest's extra control domains may not be another guest's domains on a shared adapter");
  }
  for (std::size_t o = 0; o < state.placed.size(); ++o) {
    if (!state.placed[o]) continue;
    std::size_t q = queuesIn(*state.placed[o], as, ds);
    if (q) noteHolder(d, m, o, q);
  }
}

void reportLimit(const Model& m, const std::vector<std::size_t>& component,
                 const std::vector<std::size_t>& hardest, ir::DiagEngine& diags, const std::string& budgetNote) {
  std::vector<std::string> names;
  for (std::size_t g : component) names.push_back(guestName(m, g));
  std::size_t first = hardest.empty() ? component.front() : hardest.front();
  ir::Diagnostic& d = diags.error(
      ir::DiagCode::SolverLimit, m.plan->guests[first].range,
      "the solver found no allocation for guests " + joinNames(names) +
          " within its limits, and could not prove that none exists" + (budgetNote.empty() ? "" : "; " + budgetNote) +
          "; raise the limits or loosen these requirements");
  for (std::size_t i = 0; i < hardest.size() && i < 6; ++i) noteGuest(d, m, hardest[i]);
}

void reportFixedClash(const Model& m, const State& state, const GuestSpec& g, ir::DiagEngine& diags) {
  const ir::Plan& plan = *m.plan;
  const Placement& p = *g.fixed;
  const std::string name = plan.guests[g.index].name;
  std::vector<std::string> blocked;
  forEachId(p.adapters, [&](unsigned a) {
    forEachId(p.domains, [&](unsigned dd) {
      if (!m.usable[a].test(dd)) blocked.push_back(ir::formatQueue(a, dd));
    });
  });
  std::vector<std::string> reasons;
  std::size_t foreign = 0, apart = 0;  // reasons that are foreign control, apart groups
  std::vector<std::size_t> others;
  if (!blocked.empty()) reasons.push_back("queues " + joinNames(blocked, 8) + " are not free for guests");
  for (std::size_t o = 0; o < state.placed.size(); ++o) {
    if (!state.placed[o]) continue;
    const Placement& q = *state.placed[o];
    const std::string other = plan.guests[o].name;
    IdSet sharedA = q.adapters & p.adapters;
    if (sharedA.none()) continue;
    std::size_t before = reasons.size();
    if ((q.domains & p.domains).any()) {
      std::vector<std::string> shared;
      forEachId(sharedA, [&](unsigned a) {
        forEachId(q.domains & p.domains, [&](unsigned dd) { shared.push_back(ir::formatQueue(a, dd)); });
      });
      reasons.push_back(other + " holds " + (shared.size() == 1 ? "queue " : "queues ") + joinNames(shared, 8) +
                        " too");
    }
    if (std::binary_search(g.apart.begin(), g.apart.end(), o))
      reasons.push_back(name + " and " + other + " are kept apart but share adapter " + ir::formatIdList(sharedA)),
          ++apart;
    if (m.denyForeign && ((g.extraControl & q.domains).any() || (m.guests[o].extraControl & p.domains).any())) {
      // Name the controller, the controlled guest and the queues (E305).
      const bool gControls = (g.extraControl & q.domains).any();
      const IdSet ctl = gControls ? g.extraControl & q.domains : m.guests[o].extraControl & p.domains;
      std::vector<std::string> queues;
      forEachId(sharedA, [&](unsigned a) { forEachId(ctl, [&](unsigned dd) { queues.push_back(ir::formatQueue(a, dd)); }); });
      reasons.push_back((gControls ? name : other) + "'s control " + (ctl.count() == 1 ? "domain " : "domains ") +
                        ir::formatIdList(ctl) + " would control " + (gControls ? other : name) + "'s " +
                        (queues.size() == 1 ? "queue " : "queues ") + joinNames(queues, 8) + " (foreign control)");
      ++foreign;
    }
    if (reasons.size() > before) others.push_back(o);
  }
  // A policy rule alone decides it: its own code (E303, E305, E306), so CI
  // rules keyed on the policy codes fire; mixed reasons stay E201.
  ir::DiagCode code = ir::DiagCode::Infeasible;
  if (reasons.empty()) {
    reasons.push_back("an adapter would serve more guests than the policy allows (max guests per adapter " +
                      std::to_string(m.maxPerAdapter) + ")");
    code = ir::DiagCode::PolicyMaxGuestsPerAdapter;
  } else if (foreign != 0 && foreign == reasons.size()) {
    code = ir::DiagCode::ForeignControl;
  } else if (apart != 0 && apart == reasons.size()) {
    code = ir::DiagCode::ApartViolated;
  }
  ir::Diagnostic& d = diags.error(code,
                                  plan.guests[g.index].range,
                                  "guest " + name + " cannot hold " + describeRequirement(plan.guests[g.index]) +
                                      ": " + joinNames(reasons));
  noteGuest(d, m, g.index);
  for (std::size_t o : others) noteHolder(d, m, o, queuesIn(*state.placed[o], p.adapters, p.domains));
  if (code == ir::DiagCode::PolicyMaxGuestsPerAdapter && plan.policy.maxGuestsPerAdapterRange.valid())
    ir::addNote(d, plan.policy.maxGuestsPerAdapterRange, "the policy limits each adapter's guests");
  if (code == ir::DiagCode::ApartViolated)
    for (const ir::ApartGroup& grp : plan.apart)
      if (std::count(grp.guests.begin(), grp.guests.end(), g.index))
        ir::addNote(d, grp.range, "these guests may share no adapter");
}

void explainMove(const Model& m, const ir::SolvedPlan& solved, std::size_t gi, const Placement& locked,
                 std::string& message, std::vector<ir::DiagNote>& notes) {
  const ir::Plan& plan = *m.plan;
  const ir::Guest& g = plan.guests[gi];
  std::vector<std::string> reasons;
  if (!meetsRequirement(m, m.guests[gi], locked)) {
    // Either the requirement changed or locked queues are no longer usable.
    std::vector<std::string> unusable;
    forEachId(locked.adapters, [&](unsigned a) {
      forEachId(locked.domains, [&](unsigned dd) {
        if (!m.usable[a].test(dd)) unusable.push_back(ir::formatQueue(a, dd));
      });
    });
    if (!unusable.empty()) {
      reasons.push_back((unusable.size() == 1 ? "locked queue " : "locked queues ") + joinNames(unusable, 6) +
                        (unusable.size() == 1 ? " is" : " are") + " no longer free for guests (reserved, offline or gone)");
      if (!plan.host.reserve.empty()) notes.push_back({plan.host.reserve.front().range, "the host's reserve list"});
    } else {
      reasons.push_back("its requirement (" + describeRequirement(g) + ") no longer fits the locked matrix");
      notes.push_back({requirementRange(g), g.name + " asks for " + describeRequirement(g)});
    }
  }
  std::vector<std::string> holders;
  for (std::size_t o = 0; o < solved.alloc.size(); ++o) {
    if (o == gi) continue;
    std::vector<std::string> taken;
    forEachId(solved.alloc[o].adapters & locked.adapters, [&](unsigned a) {
      forEachId(solved.alloc[o].domains & locked.domains, [&](unsigned dd) { taken.push_back(ir::formatQueue(a, dd)); });
    });
    if (taken.empty()) continue;
    holders.push_back(plan.guests[o].name);
    notes.push_back({plan.guests[o].range, plan.guests[o].name + " now holds " + joinNames(taken, 6) + ", locked for " + g.name});
  }
  if (!holders.empty()) reasons.push_back(joinNames(holders, 6) + " now " + (holders.size() == 1 ? "holds" : "hold") +
                                          " queues of the locked matrix");
  if (reasons.empty()) reasons.push_back("the other guests' requirements left no allocation that keeps it");
  message += " because " + joinNames(reasons);
}

}  // namespace apc::solver::detail
