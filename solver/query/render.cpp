// Text tables and JSON for the query results. Percentages are computed in
// integers (per mille, rounded half up) so no floating-point text varies.
#include "solver/query/render.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace apc::query {

namespace {

using Json = nlohmann::ordered_json;

Json idsJson(const ir::IdSet& s) {
  Json j = Json::array();
  for (unsigned id : ir::toVector(s)) j.push_back(id);
  return j;
}

Json queuesJson(const std::vector<ir::Queue>& qs) {
  Json j = Json::array();
  for (const ir::Queue& q : qs) j.push_back(ir::formatQueue(q));
  return j;
}

std::vector<ir::Queue> queuesOf(const ir::GuestAllocation& g) {
  ir::QueueSet q;
  q.insertProduct(g.adapters, g.domains);
  return q.toVector();
}

std::string queueList(const std::vector<ir::Queue>& qs) {
  std::string s;
  for (const ir::Queue& q : qs) s += (s.empty() ? "" : ", ") + ir::formatQueue(q);
  return s;
}

Json allocJson(const ir::GuestAllocation& g) {
  Json j;
  j["adapters"] = idsJson(g.adapters);
  j["domains"] = idsJson(g.domains);
  j["control_domains"] = idsJson(g.controlDomains);
  j["queues"] = queuesJson(queuesOf(g));
  return j;
}

std::string permille(unsigned num, unsigned den) {
  if (den == 0) return "0.0";
  unsigned long long pm = (1000ULL * num + den / 2) / den;
  return fmt::format("{}.{}", pm / 10, pm % 10);
}

std::string names(const FailReport& r) {
  std::string s;
  for (const GuestHit& h : r.hit) s += (s.empty() ? "" : ", ") + h.name + (h.outage ? " (outage)" : " (degraded)");
  return s.empty() ? "-" : s;
}

}  // namespace

std::string fitText(const FitResult& r, bool allowMoves) {
  std::string out = fmt::format("fit {}{}\n", r.shape, allowMoves ? " (existing guests may move)"
                                                                   : " (existing guests keep their matrices)");
  if (r.optimal)
    out += fmt::format("{} more guest{} fit; optimal ({} would not fit: {} bound)\n", r.count,
                       r.count == 1 ? "" : "s", r.count + 1, r.boundSource);
  else
    out += fmt::format("at least {} more guest{} fit; at most {} ({} bound){}\n", r.count,
                       r.count == 1 ? "" : "s", r.upperBound, r.boundSource,
                       r.limitReached ? "; the solver stopped at its resource limit" : "");
  if (r.boundSource == "counting" && !r.bindingLimit.empty()) out += "binding limit: " + r.bindingLimit + "\n";
  if (r.headroomLimit)
    out += fmt::format("the plan's headroom policy allows at most {} of them\n", *r.headroomLimit);
  if (allowMoves) {
    out += fmt::format("best found {}, proven upper bound {}, without moves {}\n", r.count, r.upperBound,
                       r.pinnedCount);
    if (!r.moved.empty()) {
      std::string m;
      for (const std::string& n : r.moved) m += (m.empty() ? "" : ", ") + n;
      out += "guests that move: " + m + "\n";
    }
  }
  for (std::size_t i = 0; i < r.placements.size(); ++i) {
    const ir::GuestAllocation& g = r.placements[i];
    out += fmt::format("  new{:<4} adapters {:<20} domains {:<20} queues {}\n", i + 1,
                       ir::formatIdList(g.adapters), ir::formatIdList(g.domains), queueList(queuesOf(g)));
  }
  return out;
}

std::string fitJson(const FitResult& r, bool allowMoves) {
  Json j;
  j["query"] = "fit";
  j["shape"] = r.shape;
  j["count"] = r.count;
  j["optimal"] = r.optimal;
  j["upper_bound"] = r.upperBound;
  j["bound_source"] = r.boundSource;
  if (!r.bindingLimit.empty()) j["binding_limit"] = r.bindingLimit;
  j["limit_reached"] = r.limitReached;
  j["solver_calls"] = r.solverCalls;
  j["allow_moves"] = allowMoves;
  if (r.headroomLimit) j["headroom_limit"] = *r.headroomLimit;
  if (allowMoves) {
    j["count_without_moves"] = r.pinnedCount;
    j["moved"] = r.moved;
  }
  j["guests"] = Json::array();
  for (const ir::GuestAllocation& g : r.placements) j["guests"].push_back(allocJson(g));
  return j.dump(2) + "\n";
}

std::string failText(const FailReport& r) {
  std::string out = "failed:";
  if (r.failedAdapters.any()) out += " adapters " + ir::formatIdList(r.failedAdapters);
  if (r.failedDomains.any()) out += " domains " + ir::formatIdList(r.failedDomains);
  out += "\n";
  if (r.hit.empty()) return out + "no guest loses a queue\n";
  out += "guests hit:\n";
  for (const GuestHit& h : r.hit)
    out += fmt::format("  {:<16} {} loses {}\n", h.name, h.outage ? "outage:  " : "degraded:", queueList(h.lost));
  out += fmt::format("recovery: {}", recoveryName(r.recovery));
  if (r.recovery == Recovery::Recoverable)
    out += r.untouchedKept ? " (guests not hit keep their matrices)" : " (guests not hit must move too)";
  if (!r.reason.empty()) out += ": " + r.reason;
  out += "\n";
  if (!r.moves.empty()) out += "moves:\n";
  for (const GuestMove& m : r.moves)
    out += fmt::format("  {:<16} adapters {} -> {}; domains {} -> {}\n", m.name,
                       ir::formatIdList(m.before.adapters), ir::formatIdList(m.after.adapters),
                       ir::formatIdList(m.before.domains), ir::formatIdList(m.after.domains));
  return out;
}

namespace {
Json failJsonObj(const FailReport& r) {
  Json j;
  j["failed_adapters"] = idsJson(r.failedAdapters);
  j["failed_domains"] = idsJson(r.failedDomains);
  j["hit"] = Json::array();
  for (const GuestHit& h : r.hit)
    j["hit"].push_back({{"guest", h.name}, {"lost", queuesJson(h.lost)}, {"effect", h.outage ? "outage" : "degraded"}});
  j["recovery"] = recoveryName(r.recovery);
  j["recoverable"] = r.recovery == Recovery::NotNeeded || r.recovery == Recovery::Recoverable;
  j["untouched_kept"] = r.untouchedKept;
  if (!r.reason.empty()) j["reason"] = r.reason;
  j["moves"] = Json::array();
  for (const GuestMove& m : r.moves)
    j["moves"].push_back({{"guest", m.name}, {"before", allocJson(m.before)}, {"after", allocJson(m.after)}});
  return j;
}
}  // namespace

std::string failJson(const FailReport& r) {
  Json j;
  j["query"] = "fail";
  j.update(failJsonObj(r));
  return j.dump(2) + "\n";
}

std::string resilienceText(const ir::SolvedPlan& sp, const std::vector<ResilienceLine>& lines) {
  std::string out = fmt::format("{:<8}{:<7}{:<12}{:<6}{}\n", "ADAPTER", "TYPE", "RECOVERY", "MOVES", "GUESTS HIT");
  unsigned weak = 0, outages = 0, degraded = 0;
  for (const ResilienceLine& l : lines) {
    const ir::Adapter* a = sp.plan.host.adapter(l.adapter);
    out += fmt::format("{:<8}{:<7}{:<12}{:<6}{}\n", ir::formatCard(l.adapter), a ? a->type.str() : "?",
                       recoveryName(l.report.recovery), l.report.moves.size(), names(l.report));
    if (l.report.recovery == Recovery::Impossible || l.report.recovery == Recovery::Unknown) ++weak;
    for (const GuestHit& h : l.report.hit) ++(h.outage ? outages : degraded);
  }
  out += fmt::format("{} of {} single-adapter failures cannot be recovered by a re-plan\n", weak, lines.size());
  // Outage: the guest lost every queue; degraded: it runs on its other adapters.
  out += fmt::format("guests hit over all single-adapter failures: {} outage, {} degraded\n", outages, degraded);
  return out;
}

std::string resilienceJson(const ir::SolvedPlan& sp, const std::vector<ResilienceLine>& lines) {
  Json j;
  j["query"] = "resilience";
  j["adapters"] = Json::array();
  for (const ResilienceLine& l : lines) {
    const ir::Adapter* a = sp.plan.host.adapter(l.adapter);
    Json e;
    e["adapter"] = l.adapter;
    e["type"] = a ? a->type.str() : "";
    e.update(failJsonObj(l.report));
    e.erase("failed_adapters");
    e.erase("failed_domains");
    j["adapters"].push_back(e);
  }
  return j.dump(2) + "\n";
}

std::string usageText(const UsageReport& r) {
  auto line = [](const std::string& id, const std::string& type, const UsageLine& l) {
    return fmt::format("{:<8}{:<7}{:>7}{:>6}{:>6}{:>6}{:>7}\n", id, type, l.existing, l.used, l.hostKept, l.free,
                       l.guests);
  };
  std::string out = fmt::format("{:<8}{:<7}{:>7}{:>6}{:>6}{:>6}{:>7}\n", "ADAPTER", "TYPE", "QUEUES", "USED",
                                "HOST", "FREE", "GUESTS");
  for (const UsageLine& l : r.adapters) out += line(ir::formatCard(l.id), l.type, l);
  out += "\n" + fmt::format("{:<8}{:<7}{:>7}{:>6}{:>6}{:>6}{:>7}\n", "DOMAIN", "", "QUEUES", "USED", "HOST",
                            "FREE", "GUESTS");
  for (const UsageLine& l : r.domains) out += line(fmt::format("{:04x}", l.id), "", l);
  out += fmt::format("\n{} queues: {} usable by guests, {} used, {} kept by the host ({} reserved), {} free; "
                     "utilisation {}%\n",
                     r.total.existing, r.usable, r.total.used, r.total.hostKept, r.total.reserved, r.total.free,
                     permille(r.total.used, r.usable));
  return out;
}

std::string usageJson(const UsageReport& r) {
  auto lineJson = [](const UsageLine& l, bool adapter) {
    Json j;
    j[adapter ? "adapter" : "domain"] = l.id;
    if (adapter) j["type"] = l.type;
    j["queues"] = l.existing;
    j["used"] = l.used;
    j["host"] = l.hostKept;
    j["reserved"] = l.reserved;
    j["free"] = l.free;
    j["guests"] = l.guests;
    return j;
  };
  Json j;
  j["query"] = "usage";
  j["adapters"] = Json::array();
  for (const UsageLine& l : r.adapters) j["adapters"].push_back(lineJson(l, true));
  j["domains"] = Json::array();
  for (const UsageLine& l : r.domains) j["domains"].push_back(lineJson(l, false));
  j["total"] = {{"queues", r.total.existing}, {"usable", r.usable},   {"used", r.total.used},
                {"host", r.total.hostKept},   {"reserved", r.total.reserved}, {"free", r.total.free},
                {"guests", r.total.guests},   {"utilisation_percent", permille(r.total.used, r.usable)}};
  return j.dump(2) + "\n";
}

}  // namespace apc::query
