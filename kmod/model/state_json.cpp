// JSON dumps of the model (the sim's `.apc-sim/state`, and test comparisons).
// nlohmann::json objects keep keys sorted, so the bytes are deterministic.
#include <nlohmann/json.hpp>

#include "kmod/model/kernel_model.h"

namespace apc::kmod {
namespace {

nlohmann::json ids(const ir::IdSet& s) {
  auto j = nlohmann::json::array();
  for (unsigned v : ir::toVector(s)) j.push_back(v);
  return j;
}

}  // namespace

std::string KernelModel::configJson() const {
  std::lock_guard lock(mu_);
  nlohmann::json j;
  j["interface"] = std::string(ir::interfaceName(config_.interface));
  if (config_.interface == ir::Interface::Modern) {
    j["apmask"] = ir::formatMask(apmask_);
    j["aqmask"] = ir::formatMask(aqmask_);
  }
  nlohmann::json queues = nlohmann::json::object();
  for (const auto& c : config_.cards)
    for (unsigned d = 0; d < ir::kMaxIds; ++d)
      if (queueExists(c.id, d))
        queues[ir::formatQueue(c.id, d)] = std::string(driverName(drivers_[c.id * ir::kMaxIds + d]));
  j["queues"] = queues;
  auto mdevs = nlohmann::json::array();
  for (const auto& [u, m] : mdevs_)
    mdevs.push_back({{"uuid", u}, {"adapters", ids(m.apm)}, {"domains", ids(m.aqm)},
                     {"control_domains", ids(m.adm)}});
  j["mdevs"] = mdevs;
  return j.dump(1);
}

std::string KernelModel::stateJson() const {
  nlohmann::json j = nlohmann::json::parse(configJson());
  std::lock_guard lock(mu_);
  auto cards = nlohmann::json::array();
  for (const auto& c : config_.cards)
    cards.push_back({{"id", c.id}, {"hwtype", c.hwtype}, {"type", c.typeName()}, {"online", c.online}});
  j["cards"] = cards;
  for (std::size_t i = 0; i < config_.cards.size(); ++i) {
    cards[i]["configured"] = config_.cards[i].configured;
    cards[i]["checkstop"] = config_.cards[i].checkstop;
  }
  j["cards"] = cards;
  if (config_.interface == ir::Interface::Modern) j["kernel"] = std::string(kernelGenName(config_.kernel));
  j["ap_domain"] = defaultDomain_;
  auto qs = nlohmann::json::object();
  for (const auto& [q, st] : config_.queueState)
    qs[ir::formatQueue(q.adapter, q.domain)] = {{"requestq", st.requestq}, {"pendingq", st.pendingq},
                                                {"requests", st.requests}, {"driver_override", st.driverOverride}};
  j["queue_state"] = qs;
  j["usage_domains"] = ids(config_.usageDomains);
  j["control_domains"] = ids(config_.controlDomains);
  for (auto& m : j["mdevs"]) {
    const MdevState& s = mdevs_.at(m["uuid"].get<std::string>());
    m["iommu_group"] = s.iommuGroup;
    m["vfio_device"] = s.vfioDevice;
    m["held"] = s.held;
  }
  auto events = nlohmann::json::array();
  for (const auto& e : events_) events.push_back({{"path", e.path}, {"uuid", e.uuid}, {"what", e.what}});
  j["destructive_events"] = events;
  j["writes"] = writeLog_.size();
  return j.dump(1);
}

}  // namespace apc::kmod
