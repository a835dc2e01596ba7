// The whole plan: exactly one host (E101/E102), then guests, policies and the
// cross-guest check. Runs even when parsing failed somewhere, on what parsed.
#include "compiler/frontend/lower.h"

namespace apc::compiler {

ir::SourceRange itemRange(const ast::Item& item) {
  return std::visit([](const auto& i) { return i.range; }, item);
}

ir::Plan lowerPlan(const LoadedPlan& loaded, const std::string& path, Reporter& rep) {
  ir::Plan plan;
  plan.path = path;
  std::vector<const ast::HostDecl*> hosts;
  for (const FlatItem& fi : loaded.items)
    if (const auto* h = std::get_if<ast::HostDecl>(fi.item)) hosts.push_back(h);
  for (std::size_t i = 1; i < hosts.size(); ++i) {
    auto& d = rep.error(ir::DiagCode::DuplicateHost, hosts[i]->name.range,
                        "a plan describes one host, but this is a second host block ('" + hosts[i]->name.text + "')");
    ir::addNote(d, hosts[0]->name.range, "the first host block ('" + hosts[0]->name.text + "') is here");
  }
  if (hosts.empty() && loaded.syntaxOk)
    rep.error(ir::DiagCode::NoHost, {loaded.mainFile, 0, 0},
              "the plan has no host block; add 'host NAME { adapter ...; domains ...; }' for the LPAR");
  if (!hosts.empty()) plan.host = lowerHost(*hosts[0], rep);
  // Guests are checked against the host only when its block parsed cleanly:
  // a host with a syntax error would make every guest look wrong.
  const bool hostUsable = hosts.size() == 1 && !hosts[0]->incomplete;
  lowerGuests(loaded.items, hostUsable ? &plan.host : nullptr, plan, rep);
  for (const FlatItem& fi : loaded.items)
    if (const auto* p = std::get_if<ast::PolicyDecl>(fi.item)) lowerPolicy(*p, plan.policy, rep);
  checkExplicitOverlap(plan, rep);
  return plan;
}

}  // namespace apc::compiler
