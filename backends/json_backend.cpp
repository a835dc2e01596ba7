// plan.json: the machine-readable allocation every other artifact is lowered
// from (OUTPUTS.md section 1). Keys in a fixed order; lists ascending. Written
// directly in nlohmann's dump(2) layout (2-space pretty JSON): building a DOM
// for the free/kept lists of a 256 x 256 host cost most of the emit budget.
// Every plan string goes through nlohmann's escaping.
#include <nlohmann/json.hpp>

#include "backends/common.h"
#include "backends/emitters.h"
#include "compiler/ir/version.h"

namespace apc::backends {

namespace {

using Members = std::vector<std::pair<std::string_view, std::string>>;

std::string indent(int depth) { return std::string(static_cast<std::size_t>(depth) * 2, ' '); }

std::string str(std::string_view s) { return nlohmann::json(std::string(s)).dump(); }

// Items already rendered at depth + 1.
std::string array(const std::vector<std::string>& items, int depth) {
  if (items.empty()) return "[]";
  std::string out = "[\n";
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += indent(depth + 1) + items[i];
    out += i + 1 < items.size() ? ",\n" : "\n";
  }
  return out + indent(depth) + "]";
}

// Member values already rendered at depth + 1.
std::string object(const Members& members, int depth) {
  if (members.empty()) return "{}";
  std::string out = "{\n";
  for (std::size_t i = 0; i < members.size(); ++i) {
    out += indent(depth + 1) + str(members[i].first) + ": " + members[i].second;
    out += i + 1 < members.size() ? ",\n" : "\n";
  }
  return out + indent(depth) + "}";
}

std::string idArray(const ir::IdSet& s, int depth) {
  std::vector<std::string> items;
  for (unsigned id : ir::toVector(s)) items.push_back(std::to_string(id));
  return array(items, depth);
}

// The host-wide lists hold up to 65536 queues: append "AA.DDDD" (the
// kernel's %02x.%04x) straight into the output instead of via snprintf.
std::string queueArray(const ir::QueueSet& s, int depth) {
  std::vector<ir::Queue> queues = s.toVector();
  if (queues.empty()) return "[]";
  static const char* kHex = "0123456789abcdef";
  const std::string pad = indent(depth + 1);
  std::string out;
  out.reserve(queues.size() * (pad.size() + 12) + 8);
  out += "[\n";
  for (std::size_t i = 0; i < queues.size(); ++i) {
    const ir::Queue& q = queues[i];
    out += pad;
    const char text[] = {'"', kHex[q.adapter >> 4], kHex[q.adapter & 15], '.', '0', '0',
                         kHex[q.domain >> 4], kHex[q.domain & 15], '"'};
    out.append(text, sizeof text);
    out += i + 1 < queues.size() ? ",\n" : "\n";
  }
  return out + indent(depth) + "]";
}

std::string guestQueueArray(const ir::GuestAllocation& a, int depth) {
  std::vector<std::string> items;
  std::vector<unsigned> domains = ir::toVector(a.domains);
  for (unsigned ad : ir::toVector(a.adapters))
    for (unsigned d : domains) items.push_back("\"" + ir::formatQueue(ad, d) + "\"");
  return array(items, depth);
}

}  // namespace

std::vector<Artifact> emitJson(const ir::SolvedPlan& solved) {
  const ir::Plan& plan = solved.plan;
  std::vector<std::string> adapters;
  for (const ir::Adapter& a : plan.host.adapters)
    adapters.push_back(object({{"id", std::to_string(a.id)}, {"type", str(a.type.str())}}, 3));
  Members host = {{"name", str(plan.host.name)},
                  {"interface", str(ir::interfaceName(plan.host.interface))},
                  {"crycb_format", std::to_string(plan.host.crycbFormat)},
                  {"apmask", str(ir::formatMask(solved.apmask))},
                  {"aqmask", str(ir::formatMask(solved.aqmask))},
                  {"adapters", array(adapters, 2)},
                  {"usage_domains", idArray(plan.host.usageDomains, 2)},
                  {"control_domains", idArray(plan.host.controlDomains, 2)}};
  std::vector<std::string> guests;
  for (std::size_t g = 0; g < plan.guests.size(); ++g) {
    const ir::Guest& guest = plan.guests[g];
    const ir::GuestAllocation& a = solved.alloc[g];
    CrycbMasks m = crycbMasks(a, plan.host.crycbFormat);
    std::vector<std::string> tags;
    for (const std::string& t : guest.tags) tags.push_back(str(t));
    guests.push_back(object({{"name", str(guest.name)},
                             {"uuid", str(a.uuid)},
                             {"start", str(ir::startName(guest.start))},
                             {"tags", array(tags, 3)},
                             {"adapters", idArray(a.adapters, 3)},
                             {"domains", idArray(a.domains, 3)},
                             {"control_domains", idArray(admOf(a), 3)},
                             {"queues", guestQueueArray(a, 3)},
                             {"crycb", object({{"apm", str(m.apm)}, {"aqm", str(m.aqm)}, {"adm", str(m.adm)}}, 3)}},
                            2));
  }
  QueueViews views = queueViews(solved);
  Members top = {{"apc", object({{"version", str(kVersion)}, {"plan", str(planBaseName(plan))}}, 1)},
                 {"host", object(host, 1)},
                 {"guests", array(guests, 1)},
                 {"reserved", queueArray(plan.host.reservedQueues, 1)},
                 {"offline", queueArray(plan.host.offlineQueues, 1)},
                 {"host_kept", queueArray(views.hostKept, 1)},
                 {"free", queueArray(views.free, 1)}};
  return {{"plan.json", object(top, 0) + "\n"}};
}

}  // namespace apc::backends
