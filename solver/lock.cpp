// plan.ap.lock as JSON: nlohmann's default object is a std::map, so keys come
// out sorted and the file is byte-stable. Format version 1:
// {"format": 1, "input_hash": "...", "guests": {"<name>": {"adapters": [..],
//  "domains": [..], "control_domains": [..], "uuid": "..."}}}
#include "solver/lock.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace apc::solver {

namespace {

constexpr int kLockFormat = 1;

nlohmann::json idArray(const ir::IdSet& s) {
  nlohmann::json a = nlohmann::json::array();
  for (unsigned id : ir::toVector(s)) a.push_back(id);
  return a;
}

bool readIds(const nlohmann::json& j, const char* key, ir::IdSet& out, std::string& error,
             const std::string& guest) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) {
    error = "guest \"" + guest + "\" has no \"" + key + "\" list";
    return false;
  }
  for (const nlohmann::json& v : *it) {
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() >= ir::kMaxIds) {
      error = "guest \"" + guest + "\": \"" + key + "\" holds " + v.dump() + ", not an ID 0..255";
      return false;
    }
    out.set(v.get<unsigned>());
  }
  return true;
}

}  // namespace

const LockedGuest* Lock::find(const std::string& name) const {
  auto it = std::lower_bound(guests.begin(), guests.end(), name,
                             [](const LockedGuest& g, const std::string& n) { return g.name < n; });
  return it != guests.end() && it->name == name ? &*it : nullptr;
}

std::optional<Lock> parseLock(const std::string& text, std::string& error) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    error = "not valid JSON";
    return std::nullopt;
  }
  if (!j.is_object() || !j.contains("format") || !j["format"].is_number_integer()) {
    error = "no \"format\" number: not a lock file apc wrote";
    return std::nullopt;
  }
  if (j["format"].get<int>() != kLockFormat) {
    error = "lock format " + j["format"].dump() + " is not the format " + std::to_string(kLockFormat) +
            " this apc reads";
    return std::nullopt;
  }
  Lock lock;
  if (!j.contains("input_hash") || !j["input_hash"].is_string()) {
    error = "no \"input_hash\" string";
    return std::nullopt;
  }
  lock.inputHash = j["input_hash"].get<std::string>();
  if (!j.contains("guests") || !j["guests"].is_object()) {
    error = "no \"guests\" object";
    return std::nullopt;
  }
  for (const auto& [name, g] : j["guests"].items()) {
    if (!g.is_object()) {
      error = "guest \"" + name + "\" is not an object";
      return std::nullopt;
    }
    LockedGuest lg;
    lg.name = name;
    if (!readIds(g, "adapters", lg.adapters, error, name) || !readIds(g, "domains", lg.domains, error, name) ||
        !readIds(g, "control_domains", lg.controlDomains, error, name))
      return std::nullopt;
    if (!g.contains("uuid") || !g["uuid"].is_string()) {
      error = "guest \"" + name + "\" has no \"uuid\" string";
      return std::nullopt;
    }
    lg.uuid = g["uuid"].get<std::string>();
    lock.guests.push_back(std::move(lg));
  }
  std::sort(lock.guests.begin(), lock.guests.end(),
            [](const LockedGuest& a, const LockedGuest& b) { return a.name < b.name; });
  return lock;
}

std::string serializeLock(const ir::SolvedPlan& solved, const std::string& inputHash) {
  nlohmann::json guests = nlohmann::json::object();
  for (std::size_t i = 0; i < solved.alloc.size(); ++i) {
    const ir::GuestAllocation& a = solved.alloc[i];
    guests[solved.plan.guests[i].name] = {{"adapters", idArray(a.adapters)},
                                          {"domains", idArray(a.domains)},
                                          {"control_domains", idArray(a.controlDomains)},
                                          {"uuid", a.uuid}};
  }
  nlohmann::json j = {{"format", kLockFormat}, {"input_hash", inputHash}, {"guests", guests}};
  return j.dump(2) + "\n";
}

}  // namespace apc::solver
