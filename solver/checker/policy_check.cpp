// The policy judge behind `apc check`: plain counting over the solved plan,
// no solver involved, so it also judges allocations read back from a lock.
#include "solver/checker/policy_check.h"

#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/id_set.h"
#include "compiler/ir/internal_error.h"

namespace apc::checker {

namespace {

using ir::DiagCode;
using ir::SolvedPlan;

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

ir::SourceRange guestRange(const ir::Guest& g) {
  return g.range.valid() ? g.range : g.declRange;
}

// `alloc` null: judged on the requests alone (the solver found no allocation;
// a guest gets exactly as many IDs as it asks for, so the finding stands).
void checkMinCounts(const ir::Plan& plan, const std::vector<ir::GuestAllocation>* alloc, ir::DiagEngine& diags,
                    bool adapters) {
  const auto& rules = adapters ? plan.policy.minAdapters : plan.policy.minDomains;
  for (const ir::Policy::MinCount& rule : rules) {
    for (std::size_t g = 0; g < plan.guests.size(); ++g) {
      const ir::Guest& guest = plan.guests[g];
      if (rule.tag && !guest.hasTag(*rule.tag)) continue;
      const ir::IdRequirement& req = adapters ? guest.adapters : guest.domains;
      std::optional<ir::IdSet> held;
      if (alloc) held = adapters ? (*alloc)[g].adapters : (*alloc)[g].domains;
      else if (req.kind == ir::IdRequirement::Kind::Exact) held = req.exact;
      std::size_t have = held ? held->count() : req.size();
      if (have >= rule.count) continue;
      const char* noun = adapters ? "adapter" : "domain";
      std::string msg = "guest " + quoted(guest.name) + (alloc ? " has " : " asks for ") + plural(have, noun) +
                        (held && have ? " (" + ir::formatIdList(*held) + ")" : "") +
                        "; the policy requires at least " + std::to_string(rule.count) +
                        (rule.tag ? " for tag " + quoted(*rule.tag) : "");
      ir::Diagnostic& d = diags.error(adapters ? DiagCode::PolicyMinAdapters : DiagCode::PolicyMinDomains,
                                      guestRange(guest), msg);
      ir::addNote(d, rule.range, "policy set here");
      if (req.range.valid()) ir::addNote(d, req.range, std::string("the guest asks for ") +
                                                           plural(req.size(), noun) + " here");
    }
  }
}

void checkMaxGuestsPerAdapter(const SolvedPlan& sp, ir::DiagEngine& diags) {
  const ir::Policy& pol = sp.plan.policy;
  if (!pol.maxGuestsPerAdapter) return;
  for (const ir::Adapter& a : sp.plan.host.adapters) {
    std::vector<std::size_t> users;
    for (std::size_t g = 0; g < sp.alloc.size(); ++g)
      if (sp.alloc[g].adapters.test(a.id)) users.push_back(g);
    if (users.size() <= *pol.maxGuestsPerAdapter) continue;
    ir::Diagnostic& d = diags.error(
        DiagCode::PolicyMaxGuestsPerAdapter, pol.maxGuestsPerAdapterRange,
        "adapter " + ir::formatCard(a.id) + " serves " + plural(users.size(), "guest") +
            "; the policy allows at most " + std::to_string(*pol.maxGuestsPerAdapter));
    for (std::size_t g : users)
      ir::addNote(d, guestRange(sp.plan.guests[g]),
                  "guest " + quoted(sp.plan.guests[g].name) + " uses adapter " + ir::formatCard(a.id));
  }
}

void checkHeadroom(const SolvedPlan& sp, ir::DiagEngine& diags) {
  const ir::Policy& pol = sp.plan.policy;
  if (!pol.headroomPercent) return;
  std::size_t usable = sp.plan.host.usableQueues().size();
  std::size_t free = sp.freeQueues().size();
  // free/usable >= P/100, in integers so 10% of 31 queues needs 4 free (rounded up).
  if (free * 100 >= static_cast<std::size_t>(*pol.headroomPercent) * usable) return;
  std::size_t need = (static_cast<std::size_t>(*pol.headroomPercent) * usable + 99) / 100;
  diags.error(DiagCode::PolicyHeadroom, pol.headroomRange,
              std::to_string(free) + " of " + plural(usable, "guest-usable queue") +
                  " stay free; headroom " + std::to_string(*pol.headroomPercent) + "% needs at least " +
                  std::to_string(need));
}

void checkForeignControl(const SolvedPlan& sp, ir::DiagEngine& diags) {
  const ir::Policy& pol = sp.plan.policy;
  if (pol.allowForeignControl) return;
  for (std::size_t g = 0; g < sp.alloc.size(); ++g) {
    // victim -> the queues of it that guest g can change keys on
    std::vector<ir::QueueSet> hit(sp.alloc.size());
    std::vector<bool> any(sp.alloc.size(), false);
    std::vector<unsigned> firstDomain(sp.alloc.size(), 0);
    for (unsigned a : ir::toVector(sp.alloc[g].adapters))
      for (unsigned d : ir::toVector(sp.alloc[g].controlDomains)) {
        if (sp.alloc[g].domains.test(d)) continue;  // its own queue
        auto owner = sp.owner(a, d);
        if (!owner || *owner == g) continue;
        if (!any[*owner] || d < firstDomain[*owner]) firstDomain[*owner] = d;
        hit[*owner].insert(a, d);
        any[*owner] = true;
      }
    for (std::size_t h = 0; h < sp.alloc.size(); ++h) {
      if (!any[h]) continue;
      std::string queues;
      for (const ir::Queue& q : hit[h].toVector()) queues += (queues.empty() ? "" : ", ") + ir::formatQueue(q);
      const ir::Guest& guest = sp.plan.guests[g];
      // At the control domain literal that gives the control, when written.
      auto lit = guest.controlDomainRanges.find(firstDomain[h]);
      ir::SourceRange at = lit != guest.controlDomainRanges.end() && lit->second.valid() ? lit->second
                           : guest.controlDomainsRange.valid()                        ? guest.controlDomainsRange
                                                                                      : guestRange(guest);
      ir::Diagnostic& d = diags.error(
          DiagCode::ForeignControl, at,
          "guest " + quoted(guest.name) + " has control over queue" + (hit[h].size() == 1 ? " " : "s ") +
              queues + " of guest " + quoted(sp.plan.guests[h].name) +
              " and could change its keys");
      ir::addNote(d, guestRange(sp.plan.guests[h]), "guest " + quoted(sp.plan.guests[h].name) + " declared here");
      if (pol.foreignControlRange.valid())
        ir::addNote(d, pol.foreignControlRange, "foreign control denied here");
      else
        d.notes.push_back({{}, "write `allow foreign control;` in a policy block if this is intended"});
    }
  }
}

void checkApart(const SolvedPlan& sp, ir::DiagEngine& diags) {
  for (const ir::ApartGroup& grp : sp.plan.apart) {
    for (std::size_t i = 0; i < grp.guests.size(); ++i)
      for (std::size_t j = 0; j < i; ++j) {
        std::size_t gi = grp.guests[i], gj = grp.guests[j];
        ir::IdSet shared = sp.alloc[gi].adapters & sp.alloc[gj].adapters;
        if (shared.none()) continue;
        ir::SourceRange at = i < grp.guestRanges.size() ? grp.guestRanges[i] : grp.range;
        ir::Diagnostic& d = diags.error(
            DiagCode::ApartViolated, at,
            "guests " + quoted(sp.plan.guests[gj].name) + " and " + quoted(sp.plan.guests[gi].name) +
                " must be apart but share adapter" + (shared.count() == 1 ? " " : "s ") +
                ir::formatIdList(shared));
        ir::SourceRange other = j < grp.guestRanges.size() ? grp.guestRanges[j] : grp.range;
        ir::addNote(d, other, "guest " + quoted(sp.plan.guests[gj].name) + " named here");
      }
  }
}

}  // namespace

void checkPolicies(const ir::SolvedPlan& solved, ir::DiagEngine& diags) {
  APC_BUG_CHECK(solved.alloc.size() == solved.plan.guests.size(), "allocation not parallel to guests");
  checkMinCounts(solved.plan, &solved.alloc, diags, true);
  checkMinCounts(solved.plan, &solved.alloc, diags, false);
  checkMaxGuestsPerAdapter(solved, diags);
  checkHeadroom(solved, diags);
  checkForeignControl(solved, diags);
  checkApart(solved, diags);
}

void checkRequestPolicies(const ir::Plan& plan, ir::DiagEngine& diags) {
  checkMinCounts(plan, nullptr, diags, true);
  checkMinCounts(plan, nullptr, diags, false);
  const ir::Policy& pol = plan.policy;
  if (!pol.headroomPercent) return;
  // Guests never share a queue, so any allocation uses exactly the sum of
  // the requests' adapters x domains.
  std::size_t usable = plan.host.usableQueues().size(), asked = 0;
  for (const ir::Guest& g : plan.guests)
    asked += static_cast<std::size_t>(g.adapters.size()) * g.domains.size();
  std::size_t free = asked >= usable ? 0 : usable - asked;
  if (free * 100 >= static_cast<std::size_t>(*pol.headroomPercent) * usable) return;
  std::size_t need = (static_cast<std::size_t>(*pol.headroomPercent) * usable + 99) / 100;
  diags.error(DiagCode::PolicyHeadroom, pol.headroomRange,
              "the guests ask for " + std::to_string(asked) + " of " + plural(usable, "guest-usable queue") +
                  ", leaving " + std::to_string(free) + " free; headroom " +
                  std::to_string(*pol.headroomPercent) + "% needs at least " + std::to_string(need));
}

}  // namespace apc::checker
