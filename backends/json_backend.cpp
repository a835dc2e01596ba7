// plan.json: the machine-readable allocation every other artifact is lowered
// from (OUTPUTS.md section 1). Keys in a fixed order; lists ascending.
#include <nlohmann/json.hpp>

#include "backends/common.h"
#include "backends/emitters.h"
#include "compiler/ir/version.h"

namespace apc::backends {

namespace {

nlohmann::ordered_json idArray(const ir::IdSet& s) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (unsigned id : ir::toVector(s)) a.push_back(id);
  return a;
}

nlohmann::ordered_json queueArray(const ir::QueueSet& s) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const ir::Queue& q : s.toVector()) a.push_back(ir::formatQueue(q));
  return a;
}

}  // namespace

std::vector<Artifact> emitJson(const ir::SolvedPlan& solved) {
  const ir::Plan& plan = solved.plan;
  nlohmann::ordered_json j;
  j["apc"] = {{"version", kVersion}, {"plan", planBaseName(plan)}};
  j["host"] = {{"name", plan.host.name},
               {"interface", std::string(ir::interfaceName(plan.host.interface))},
               {"crycb_format", plan.host.crycbFormat},
               {"apmask", ir::formatMask(solved.apmask)},
               {"aqmask", ir::formatMask(solved.aqmask)},
               {"adapters", nlohmann::ordered_json::array()},
               {"usage_domains", idArray(plan.host.usageDomains)},
               {"control_domains", idArray(plan.host.controlDomains)}};
  for (const ir::Adapter& a : plan.host.adapters)
    j["host"]["adapters"].push_back({{"id", a.id}, {"type", a.type.str()}});
  j["guests"] = nlohmann::ordered_json::array();
  for (std::size_t g = 0; g < plan.guests.size(); ++g) {
    const ir::Guest& guest = plan.guests[g];
    const ir::GuestAllocation& a = solved.alloc[g];
    CrycbMasks m = crycbMasks(a, plan.host.crycbFormat);
    nlohmann::ordered_json tags = nlohmann::ordered_json::array();
    for (const std::string& t : guest.tags) tags.push_back(t);
    j["guests"].push_back({{"name", guest.name},
                           {"uuid", a.uuid},
                           {"start", std::string(ir::startName(guest.start))},
                           {"tags", tags},
                           {"adapters", idArray(a.adapters)},
                           {"domains", idArray(a.domains)},
                           {"control_domains", idArray(admOf(a))},
                           {"queues", queueArray(solved.guestQueues(g))},
                           {"crycb", {{"apm", m.apm}, {"aqm", m.aqm}, {"adm", m.adm}}}});
  }
  j["reserved"] = queueArray(plan.host.reservedQueues);
  j["offline"] = queueArray(plan.host.offlineQueues);
  j["host_kept"] = queueArray(solved.hostKeptQueues());
  j["free"] = queueArray(solved.freeQueues());
  return {{"plan.json", j.dump(2) + "\n"}};
}

}  // namespace apc::backends
