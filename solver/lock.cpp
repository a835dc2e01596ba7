// plan.ap.lock as JSON: nlohmann's default object is a std::map, so keys come
// out sorted and the file is byte-stable. Format version 1:
// {"format": 1, "input_hash": "...", "guests": {"<name>": {"adapters": [..],
//  "domains": [..], "control_domains": [..], "uuid": "..."}}}
#include "solver/lock.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <nlohmann/json.hpp>

namespace apc::solver {

namespace {

constexpr std::uint64_t kLockFormat = 1;

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

// Guest names as the language spells identifiers: a lock is an input file,
// and its names reach file names and scripts (migrate.sh).
bool isIdentifier(const std::string& s) {
  if (s.empty() || s.size() > 256) return false;
  auto head = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; };
  if (!head(s[0])) return false;
  for (char c : s)
    if (!head(c) && !(c >= '0' && c <= '9') && c != '.' && c != '-') return false;
  return true;
}

// Exactly the form apc writes: lower-case 8-4-4-4-12 hex.
bool isCanonicalUuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
  }
  return true;
}

// A short, printable quote of untrusted text for an error message.
std::string quoteUntrusted(const std::string& s) {
  std::string q = nlohmann::json(s.substr(0, 80)).dump(-1, ' ', /*ensure_ascii=*/true,
                                                       nlohmann::json::error_handler_t::replace);
  return s.size() > 80 ? q + "..." : q;
}

// nlohmann keeps the last of duplicated keys silently; a lock with a guest
// twice is not one apc wrote, so the parser callback notes every duplicate.
struct DuplicateKeys {
  std::vector<std::set<std::string>> open;
  std::string first;
  bool operator()(int /*depth*/, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    if (event == E::object_start) open.emplace_back();
    else if (event == E::object_end && !open.empty()) open.pop_back();
    else if (event == E::key && !open.empty() && !open.back().insert(parsed.get<std::string>()).second &&
             first.empty())
      first = parsed.get<std::string>();
    return true;
  }
};

}  // namespace

const LockedGuest* Lock::find(const std::string& name) const {
  auto it = std::lower_bound(guests.begin(), guests.end(), name,
                             [](const LockedGuest& g, const std::string& n) { return g.name < n; });
  return it != guests.end() && it->name == name ? &*it : nullptr;
}

std::optional<Lock> parseLock(const std::string& text, std::string& error) {
  DuplicateKeys dups;
  nlohmann::json j = nlohmann::json::parse(
      text, [&dups](int d, nlohmann::json::parse_event_t e, nlohmann::json& p) { return dups(d, e, p); },
      /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    error = "not valid JSON";
    return std::nullopt;
  }
  if (!dups.first.empty()) {
    error = "the key " + quoteUntrusted(dups.first) + " appears twice in one object";
    return std::nullopt;
  }
  if (!j.is_object() || !j.contains("format") || !j["format"].is_number_integer()) {
    error = "no \"format\" number: not a lock file apc wrote";
    return std::nullopt;
  }
  // Compared as the number written (never narrowed: 4294967297 is not 1).
  if (!j["format"].is_number_unsigned() || j["format"].get<std::uint64_t>() != kLockFormat) {
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
  std::set<std::string> uuids;
  for (const auto& [name, g] : j["guests"].items()) {
    if (!isIdentifier(name)) {
      error = "guest name " + quoteUntrusted(name) + " is not an identifier ([A-Za-z_][A-Za-z0-9_.-]*)";
      return std::nullopt;
    }
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
    if (!isCanonicalUuid(lg.uuid)) {
      error = "guest \"" + name + "\": uuid " + quoteUntrusted(lg.uuid) +
              " is not a lower-case UUID (8-4-4-4-12 hex digits) as apc writes it";
      return std::nullopt;
    }
    if (!uuids.insert(lg.uuid).second) {
      error = "uuid " + lg.uuid + " is given to two guests";
      return std::nullopt;
    }
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
