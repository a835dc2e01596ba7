// Order: the parity cut (no search), the colouring search, then a deletion
// pass that shrinks a search-proved core within what is left of the budget.
#include "solver/decide/decide.h"

#include <algorithm>

#include "solver/decide/colouring.h"
#include "solver/decide/column_cut.h"

namespace apc::solver::detail {

namespace {

ColouringProblem restrictTo(const ColouringProblem& p, const std::vector<unsigned>& keep) {
  std::vector<int> pos(p.size(), -1);
  for (std::size_t i = 0; i < keep.size(); ++i) pos[keep[i]] = static_cast<int>(i);
  ColouringProblem q;
  q.cap = p.cap;
  for (unsigned v : keep) {
    if (!p.res.empty()) q.res.push_back(p.res[v]);
    q.need.push_back(p.need[v]);
    q.list.push_back(p.list[v]);
    std::vector<unsigned> adj;
    for (unsigned u : p.adj[v])
      if (pos[u] >= 0) adj.push_back(static_cast<unsigned>(pos[u]));
    q.adj.push_back(std::move(adj));
  }
  return q;
}

// Deletion pass: drop each vertex whose removal keeps the rest proved
// infeasible. Every set kept is itself proved, so a cut-short pass is still a core.
std::vector<unsigned> shrinkCore(const ColouringProblem& p, std::uint64_t budget, std::uint64_t& spent) {
  std::vector<unsigned> core(p.size());
  for (unsigned v = 0; v < core.size(); ++v) core[v] = v;
  for (std::size_t k = 0; k < core.size() && spent < budget;) {
    std::vector<unsigned> rest = core;
    rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(k));
    ColouringOutcome o = searchColouring(restrictTo(p, rest), budget - spent);
    spent += o.work;
    if (o.status == ColouringOutcome::Status::Infeasible) core = std::move(rest);
    else ++k;
  }
  return core;
}

std::string plural(std::size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

Shortfall colouringReason(const Model& m, const ComponentColouring& cc, const std::vector<unsigned>& core,
                          std::vector<std::size_t>& apartGroups) {
  const ir::Plan& plan = *m.plan;
  Shortfall s;
  s.code = ir::DiagCode::Infeasible;
  IdSet colours, needs;
  std::vector<std::string> names;
  for (unsigned v : core) {
    s.guests.push_back(cc.guests[v]);
    names.push_back(plan.guests[cc.guests[v]].name);
    colours |= cc.problem.list[v];
    needs.set(cc.problem.need[v]);
  }
  std::sort(s.guests.begin(), s.guests.end());
  for (std::size_t k = 0; k < plan.apart.size(); ++k) {
    std::size_t in = 0;
    for (std::size_t gi : plan.apart[k].guests) in += std::binary_search(s.guests.begin(), s.guests.end(), gi);
    if (in >= 2 && !cc.coloursAreDomains) apartGroups.push_back(k);
  }
  const std::string col = cc.coloursAreDomains ? "domain" : "adapter";
  std::string each = needs.count() == 1 ? plural(needs._Find_first(), col) : std::string("its ") + col + "s";
  std::string why = cc.coloursAreDomains ? "guests that share an adapter need different domains"
                                         : std::string("guests that share a domain") +
                                               (apartGroups.empty() ? "" : " or are kept apart") +
                                               (m.denyForeign ? " (or would control each other's domains)" : "") +
                                               " need different adapters";
  std::string from = cc.coloursAreDomains ? "domains " + ir::formatIdList(colours) : describeAdapters(plan, colours);
  s.message = "guests " + joinNames(names) + " cannot all be placed: each has its " +
              (cc.coloursAreDomains ? "adapters" : "domains") + " fixed and needs " + each + " from " + from +
              ", " + why + ", and no choice does that (every choice was tried, interchangeable " + col +
              "s once)";
  return s;
}

ir::SourceRange requirementRange(const ir::Guest& g) {
  if (g.adapters.range.valid()) return g.adapters.range;
  if (g.domains.range.valid()) return g.domains.range;
  return g.range;
}

void noteGuests(ir::Diagnostic& d, const Model& m, const std::vector<std::size_t>& guests) {
  for (std::size_t i = 0; i < guests.size() && i < 12; ++i) {
    const ir::Guest& g = m.plan->guests[guests[i]];
    ir::addNote(d, requirementRange(g), g.name + " asks for " + describeRequirement(g));
  }
  if (guests.size() > 12)
    ir::addNote(d, {}, "and " + plural(guests.size() - 12, "more guest") + " with requirements in the same place");
}

}  // namespace

DecideOutcome decideComponent(const Model& m, const std::vector<GuestSpec>& specs,
                              const std::vector<std::size_t>& component, State& state, bool countingCuts,
                              std::uint64_t workBudget) {
  DecideOutcome out;
  if (component.empty()) return out;
  for (std::size_t gi : component) out.queuesNeeded += static_cast<std::size_t>(specs[gi].nA) * specs[gi].nD;
  std::optional<Shortfall> cut = columnParityCut(m, specs, component, state, &out.queueBound);
  if (cut && countingCuts) {
    out.status = DecideOutcome::Status::Infeasible;
    out.reason = std::move(cut);
    return out;
  }
  std::optional<ComponentColouring> cc = colouringOf(m, specs, component, state);
  if (!cc) return out;
  // Nothing granted (the solve's pool is spent): no search, nothing to claim.
  if (workBudget == 0) return out;
  // Three quarters for the decision, the rest for a smaller core.
  ColouringOutcome co = searchColouring(cc->problem, workBudget / 4 * 3);
  out.work = co.work;
  out.searched = true;
  out.mostPlaced = co.mostColoured;
  for (unsigned v : co.leftAtMost) out.unplaced.push_back(cc->guests[v]);
  if (co.status == ColouringOutcome::Status::Solved) {
    if (placeColouring(m, specs, *cc, co.colours, state)) out.status = DecideOutcome::Status::Solved;
    return out;
  }
  if (co.status == ColouringOutcome::Status::Unknown) return out;
  std::uint64_t left = workBudget > co.work ? workBudget - co.work : 0;
  std::uint64_t coreWork = 0;
  std::vector<unsigned> core = shrinkCore(cc->problem, left, coreWork);
  out.work += coreWork;
  out.status = DecideOutcome::Status::Infeasible;
  out.reason = colouringReason(m, *cc, core, out.apartGroups);
  return out;
}

void reportDecided(const Model& m, const DecideOutcome& out, ir::DiagEngine& diags) {
  if (!out.reason) return;
  if (out.reason->code != ir::DiagCode::Infeasible) return reportShortfall(m, *out.reason, diags);
  const std::vector<std::size_t>& guests = out.reason->guests;
  ir::Diagnostic& d = diags.error(out.reason->code, m.plan->guests[guests.front()].range, out.reason->message);
  noteGuests(d, m, guests);
  for (std::size_t k : out.apartGroups) ir::addNote(d, m.plan->apart[k].range, "these guests may share no adapter");
}

void reportUndecided(const Model& m, const std::vector<std::size_t>& component, const DecideOutcome& out,
                     ir::DiagEngine& diags) {
  std::vector<std::string> names, left;
  for (std::size_t g : component) names.push_back(m.plan->guests[g].name);
  for (std::size_t g : out.unplaced) left.push_back(m.plan->guests[g].name);
  std::size_t first = out.unplaced.empty() ? component.front() : out.unplaced.front();
  std::string msg = "the solver found no allocation for guests " + joinNames(names) +
                    " within its work budget, and could not prove that none exists: counting does not rule it out (they need " +
                    std::to_string(out.queuesNeeded) + " queues, at most " + std::to_string(out.queueBound) +
                    " can be theirs)";
  if (out.searched)
    msg += ", and " + out.searchedBy + " placed at most " + std::to_string(out.mostPlaced) + " of the " +
           std::to_string(component.size()) + " guests at once, leaving " + joinNames(left, 8) + " unplaced";
  if (out.subproblems)
    msg += "; Z3 on " + plural(out.subproblems, "subproblem") + " around them (the rest kept) found no completion";
  if (!out.budgetNote.empty()) msg += "; " + out.budgetNote;
  msg += "; loosen these requirements";
  ir::Diagnostic& d = diags.error(ir::DiagCode::SolverLimit, m.plan->guests[first].range, msg);
  noteGuests(d, m, out.unplaced.empty() ? component : out.unplaced);
}

}  // namespace apc::solver::detail
