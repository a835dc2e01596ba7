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

std::vector<GuestChange> diffConfigurations(const Configuration& before, const Configuration& after) {
  std::map<std::string, const ConfigGuest*> old, now;
  for (const ConfigGuest& g : before.guests) old[g.name] = &g;
  for (const ConfigGuest& g : after.guests) now[g.name] = &g;
  std::map<std::string, bool> names;
  for (const auto& [n, g] : old) names[n] = true;
  for (const auto& [n, g] : now) names[n] = true;
  std::vector<GuestChange> out;
  for (const auto& [name, unused] : names) {
    auto o = old.find(name);
    auto n = now.find(name);
    if (o == old.end()) {
      out.push_back({ChangeKind::Added, name, std::nullopt, *n->second, ""});
    } else if (n == now.end()) {
      out.push_back({ChangeKind::Removed, name, *o->second, std::nullopt, ""});
    } else if (o->second->uuid != n->second->uuid) {
      out.push_back({ChangeKind::Removed, name, *o->second, std::nullopt, "uuid changed"});
      out.push_back({ChangeKind::Added, name, std::nullopt, *n->second, "uuid changed"});
    } else {
      ChangeKind k = sameMatrix(*o->second, *n->second) ? ChangeKind::Unchanged : ChangeKind::Changed;
      out.push_back({k, name, *o->second, *n->second, ""});
    }
  }
  return out;
}

std::string diffText(const std::vector<GuestChange>& changes) {
  std::string out;
  std::size_t same = 0, changed = 0;
  for (const GuestChange& c : changes) {
    std::string why = c.why.empty() ? "" : " [" + c.why + "]";
    switch (c.kind) {
      case ChangeKind::Added: out += "+ " + c.name + ": " + describe(*c.after) + why + "\n"; break;
      case ChangeKind::Removed: out += "- " + c.name + ": " + describe(*c.before) + why + "\n"; break;
      case ChangeKind::Changed: {
        out += "~ " + c.name + ":";
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
      case ChangeKind::Unchanged: ++same; break;
    }
    if (c.kind != ChangeKind::Unchanged) ++changed;
  }
  if (changed == 0) out += "no changes\n";
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
    if (c.before) e["before"] = guestJson(*c.before);
    if (c.after) e["after"] = guestJson(*c.after);
    if (!c.why.empty()) e["why"] = c.why;
    j["changes"].push_back(e);
  }
  return j.dump(2) + "\n";
}

}  // namespace apc::migrate
