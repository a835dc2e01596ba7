// Guest-by-guest comparison of two configurations, and its text/JSON forms.
#include "backends/migrate/config_diff.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

namespace apc::migrate {

namespace {

using Json = nlohmann::ordered_json;

void sortByName(std::vector<ConfigGuest>& gs) {
  std::sort(gs.begin(), gs.end(), [](const ConfigGuest& l, const ConfigGuest& r) { return l.name < r.name; });
}

bool sameMatrix(const ConfigGuest& a, const ConfigGuest& b) {
  return a.adapters == b.adapters && a.domains == b.domains && a.controlDomains == b.controlDomains;
}

std::string delta(const ir::IdSet& before, const ir::IdSet& after) {
  std::string s;
  ir::IdSet plus = after & ~before, minus = before & ~after;
  if (plus.any()) s += "+" + ir::formatIdList(plus);
  if (minus.any()) s += std::string(s.empty() ? "" : " ") + "-" + ir::formatIdList(minus);
  return s;
}

std::string describe(const ConfigGuest& g) {
  return "adapters " + ir::formatIdList(g.adapters) + "; domains " + ir::formatIdList(g.domains) +
         "; control domains " + ir::formatIdList(g.controlDomains) + " (mdev " + g.uuid + ")";
}

Json idsJson(const ir::IdSet& s) {
  Json j = Json::array();
  for (unsigned id : ir::toVector(s)) j.push_back(id);
  return j;
}

Json guestJson(const ConfigGuest& g) {
  Json j;
  j["uuid"] = g.uuid;
  j["adapters"] = idsJson(g.adapters);
  j["domains"] = idsJson(g.domains);
  j["control_domains"] = idsJson(g.controlDomains);
  return j;
}

std::string_view kindName(ChangeKind k) {
  switch (k) {
    case ChangeKind::Added: return "added";
    case ChangeKind::Removed: return "removed";
    case ChangeKind::Changed: return "changed";
    case ChangeKind::Unchanged: return "unchanged";
  }
  return "unchanged";
}

}  // namespace

ir::QueueSet Configuration::guestQueues() const {
  ir::QueueSet q;
  for (const ConfigGuest& g : guests) q.insertProduct(g.adapters, g.domains);
  return q;
}

Configuration fromSolved(const ir::SolvedPlan& sp) {
  Configuration c;
  for (std::size_t i = 0; i < sp.plan.guests.size(); ++i) {
    const ir::GuestAllocation& a = sp.alloc[i];
    c.guests.push_back({sp.plan.guests[i].name, a.uuid, a.adapters, a.domains, a.controlDomains | a.domains});
  }
  sortByName(c.guests);
  return c;
}

Configuration fromLock(const solver::Lock& lock) {
  Configuration c;
  for (const solver::LockedGuest& g : lock.guests)
    c.guests.push_back({g.name, g.uuid, g.adapters, g.domains, g.controlDomains | g.domains});
  sortByName(c.guests);
  return c;
}

namespace {

// The key a guest is matched by across versions: its UUID when it has one.
std::string identity(const ConfigGuest& g) { return g.uuid.empty() ? "name:" + g.name : g.uuid; }

int kindRank(ChangeKind k) { return k == ChangeKind::Removed ? 0 : 1; }

}  // namespace

std::vector<GuestChange> diffConfigurations(const Configuration& before, const Configuration& after) {
  std::map<std::string, const ConfigGuest*> oldById, oldByName, newByName;
  for (const ConfigGuest& g : before.guests) {
    oldById[identity(g)] = &g;
    oldByName[g.name] = &g;
  }
  for (const ConfigGuest& g : after.guests) newByName[g.name] = &g;
  std::vector<GuestChange> out;
  std::map<std::string, bool> matched;  // old identities that the new configuration keeps
  for (const ConfigGuest& n : after.guests) {
    auto o = oldById.find(identity(n));
    if (o == oldById.end()) {
      auto same = oldByName.find(n.name);
      bool uuidChanged = same != oldByName.end() && !same->second->uuid.empty() && !n.uuid.empty();
      out.push_back({ChangeKind::Added, n.name, std::nullopt, n, uuidChanged ? "uuid changed" : "", ""});
      continue;
    }
    matched[o->first] = true;
    const ConfigGuest& b = *o->second;
    ChangeKind k = sameMatrix(b, n) ? ChangeKind::Unchanged : ChangeKind::Changed;
    out.push_back({k, n.name, b, n, "", b.name == n.name ? "" : b.name});
  }
  for (const ConfigGuest& b : before.guests) {
    if (matched.count(identity(b))) continue;
    auto same = newByName.find(b.name);
    bool uuidChanged = same != newByName.end() && !same->second->uuid.empty() && !b.uuid.empty();
    out.push_back({ChangeKind::Removed, b.name, b, std::nullopt, uuidChanged ? "uuid changed" : "", ""});
  }
  std::stable_sort(out.begin(), out.end(), [](const GuestChange& l, const GuestChange& r) {
    if (l.name != r.name) return l.name < r.name;
    return kindRank(l.kind) < kindRank(r.kind);
  });
  return out;
}

bool changesMdevs(const std::vector<GuestChange>& changes) {
  for (const GuestChange& c : changes)
    if (c.kind != ChangeKind::Unchanged) return true;
  return false;
}

std::string diffText(const std::vector<GuestChange>& changes) {
  std::string out;
  std::size_t same = 0, changed = 0, renamed = 0;
  // "old -> new (renamed)" for a renamed guest, else its name.
  auto label = [](const GuestChange& c) { return c.renamed() ? c.renamedFrom + " -> " + c.name + " (renamed)" : c.name; };
  for (const GuestChange& c : changes) {
    std::string why = c.why.empty() ? "" : " [" + c.why + "]";
    switch (c.kind) {
      case ChangeKind::Added: out += "+ " + c.name + ": " + describe(*c.after) + why + "\n"; break;
      case ChangeKind::Removed: out += "- " + c.name + ": " + describe(*c.before) + why + "\n"; break;
      case ChangeKind::Changed: {
        out += "~ " + label(c) + ":";
        std::string parts;
        auto part = [&](const char* what, const ir::IdSet& b, const ir::IdSet& a) {
          if (b == a) return;
          parts += std::string(parts.empty() ? " " : "; ") + what + " " + ir::formatIdList(b) + " -> " +
                   ir::formatIdList(a) + " (" + delta(b, a) + ")";
        };
        part("adapters", c.before->adapters, c.after->adapters);
        part("domains", c.before->domains, c.after->domains);
        part("control domains", c.before->controlDomains, c.after->controlDomains);
        out += parts + "\n";
        break;
      }
      case ChangeKind::Unchanged:
        if (c.renamed()) {
          out += "= " + label(c) + ": same mdev " + c.after->uuid + ", no mdev operation\n";
          ++renamed;
        } else {
          ++same;
        }
        break;
    }
    if (c.kind != ChangeKind::Unchanged) ++changed;
  }
  if (changed == 0)
    out += renamed == 0 ? "no changes\n"
                        : "no changes other than labels (" + std::to_string(renamed) + " renamed)\n";
  out += std::to_string(same) + " guest" + (same == 1 ? "" : "s") + " unchanged\n";
  return out;
}

std::string diffJson(const std::vector<GuestChange>& changes) {
  Json j;
  j["changes"] = Json::array();
  for (const GuestChange& c : changes) {
    Json e;
    e["guest"] = c.name;
    e["change"] = kindName(c.kind);
    if (c.renamed()) e["renamed_from"] = c.renamedFrom;
    if (c.before) e["before"] = guestJson(*c.before);
    if (c.after) e["after"] = guestJson(*c.after);
    if (!c.why.empty()) e["why"] = c.why;
    j["changes"].push_back(e);
  }
  return j.dump(2) + "\n";
}

}  // namespace apc::migrate
