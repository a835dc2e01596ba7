// mdevctl definitions are JSON (nlohmann); libvirt domains are XML, read with
// expat's namespace-aware parser so the apc metadata element is matched by
// its namespace, whatever prefix the file uses.
#include "kmod/discover/guest_identity.h"

#include <expat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "kmod/discover/sysfs_read.h"

namespace apc::kmod {
namespace {

namespace fs = std::filesystem;

constexpr const char* kApcNs = "urn:apc:guest:1";
constexpr char kNsSep = '\x01';  // expat joins "URI<sep>local"

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<fs::path> sortedEntries(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// etc/mdevctl.d/<parent>/<uuid>: {"mdev_type": ..., "start": "auto|manual", "attrs": [...]}
void readMdevctl(const fs::path& dir, Identities& ids) {
  for (const fs::path& parent : sortedEntries(dir)) {
    std::error_code ec;
    if (!fs::is_directory(parent, ec)) continue;
    for (const fs::path& file : sortedEntries(parent)) {
      std::string uuid = file.filename().string();
      if (!isCanonicalUuidText(uuid)) continue;
      auto text = readSysfsFile(file);
      nlohmann::json j = text ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json();
      if (!j.is_object() || !j.contains("start") || !j["start"].is_string()) {
        ids.warnings.push_back("mdevctl definition " + file.string() + " has no start policy; ignored");
        continue;
      }
      std::string start = j["start"].get<std::string>();
      if (start != "auto" && start != "manual") {
        ids.warnings.push_back("mdevctl definition " + file.string() + " has start \"" + start + "\"; ignored");
        continue;
      }
      ids.byUuid[lower(uuid)].start = start;
    }
  }
}

// What one domain file says: its name, the mdev UUIDs of its AP hostdevs, its tags.
struct DomainScan {
  std::vector<std::string> path;  // element stack, "URI\x01local" or "local"
  std::string name, text, tags;
  std::vector<std::string> uuids;
  bool inMdevHostdev = false;
  std::size_t hostdevDepth = 0;
};

std::string attr(const XML_Char** atts, const char* key) {
  for (int i = 0; atts[i]; i += 2)
    if (std::string(atts[i]) == key) return atts[i + 1];
  return "";
}

void XMLCALL onStart(void* data, const XML_Char* el, const XML_Char** atts) {
  auto* s = static_cast<DomainScan*>(data);
  std::string e = el;
  s->path.push_back(e);
  s->text.clear();
  if (e == "hostdev" && s->path.size() == 3 && s->path[1] == "devices" && attr(atts, "type") == "mdev") {
    s->inMdevHostdev = true;
    s->hostdevDepth = s->path.size();
  }
  if (s->inMdevHostdev && e == "address") {
    std::string u = attr(atts, "uuid");
    if (isCanonicalUuidText(u)) s->uuids.push_back(lower(u));
  }
}

void XMLCALL onEnd(void* data, const XML_Char*) {
  auto* s = static_cast<DomainScan*>(data);
  const std::string apcTags = std::string(kApcNs) + kNsSep + "tags";
  const std::string apcGuest = std::string(kApcNs) + kNsSep + "guest";
  std::size_t depth = s->path.size();
  if (depth == 2 && s->path[0] == "domain" && s->path[1] == "name") s->name = s->text;
  // `virsh metadata --set` may leave the children of the apc element unprefixed.
  if (depth == 4 && s->path[1] == "metadata" && s->path[2] == apcGuest &&
      (s->path[3] == apcTags || s->path[3] == "tags"))
    s->tags = s->text;
  if (s->inMdevHostdev && depth == s->hostdevDepth) s->inMdevHostdev = false;
  s->path.pop_back();
  s->text.clear();
}

void XMLCALL onText(void* data, const XML_Char* t, int len) {
  static_cast<DomainScan*>(data)->text.append(t, static_cast<std::size_t>(len));
}

bool isIdentifier(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
  });
}

std::vector<std::string> splitTags(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (isIdentifier(cur) && std::find(out.begin(), out.end(), cur) == out.end()) out.push_back(cur);
    cur.clear();
  };
  for (char c : text) {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) flush();
    else cur += c;
  }
  flush();
  return out;
}

void readLibvirt(const fs::path& dir, Identities& ids) {
  for (const fs::path& file : sortedEntries(dir)) {
    if (file.extension() != ".xml") continue;
    auto text = readSysfsFile(file);
    if (!text) {
      ids.warnings.push_back("cannot read libvirt domain " + file.string());
      continue;
    }
    DomainScan scan;
    XML_Parser p = XML_ParserCreateNS(nullptr, kNsSep);
    XML_SetUserData(p, &scan);
    XML_SetElementHandler(p, onStart, onEnd);
    XML_SetCharacterDataHandler(p, onText);
    bool ok = XML_Parse(p, text->data(), static_cast<int>(text->size()), 1) == XML_STATUS_OK;
    std::string why = ok ? "" : XML_ErrorString(XML_GetErrorCode(p));
    XML_ParserFree(p);
    if (!ok) {
      ids.warnings.push_back("libvirt domain " + file.string() + " is not valid XML (" + why + "); ignored");
      continue;
    }
    for (const std::string& u : scan.uuids) {
      GuestIdentity& g = ids.byUuid[u];
      g.name = scan.name;
      g.tags = splitTags(scan.tags);
    }
  }
}

}  // namespace

Identities readGuestIdentities(const std::string& root) {
  Identities ids;
  readMdevctl(fs::path(root) / "etc/mdevctl.d", ids);
  readLibvirt(fs::path(root) / "etc/libvirt/qemu", ids);
  return ids;
}

}  // namespace apc::kmod
