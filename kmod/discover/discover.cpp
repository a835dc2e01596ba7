// Discovery prints a LiveHost as a plan: host-kept queues as one `reserve`
// statement with as few entries as they need, queues a card x usage domain
// should have but that have no device as `offline`, and one guest per mdev
// named by the libvirt domain that uses it (else mdev_<uuid8>).
#include "kmod/discover/discover.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "compiler/ir/text_escape.h"
#include "kmod/discover/guest_identity.h"
#include "kmod/discover/live_host.h"
#include "kmod/discover/sysfs_read.h"

namespace apc::kmod {
namespace {

namespace fs = std::filesystem;
using ir::IdSet;

std::string hexId(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", v);
  return buf;
}

std::string domainWildcard(unsigned d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "*.%04x", d);
  return buf;
}

// Reserve entries covering `kept`: whole adapters (`05.*`) and whole domains
// (`*.0004`) where every existing queue of that row or column is kept, then
// single queues. Both orders are tried and the shorter list wins (the host's
// kept queues are a cross product under the modern interface, so one of the
// orders needs min(#adapters, #domains) entries).
std::vector<std::string> reserveEntries(const LiveHost& h, bool adaptersFirst) {
  ir::QueueSet rest = h.kept;
  std::vector<std::string> out;
  auto wholeAdapters = [&] {
    for (const auto& [a, c] : h.cards) {
      bool any = false, all = true;
      for (unsigned d = 0; d < ir::kMaxIds; ++d)
        if (h.existing.contains(a, d) && rest.contains(a, d)) any = true;
        else if (h.existing.contains(a, d) && !h.kept.contains(a, d)) all = false;
      if (!any || !all) continue;
      out.push_back(ir::formatCard(a) + ".*");
      for (unsigned d = 0; d < ir::kMaxIds; ++d) rest.erase(a, d);
    }
  };
  auto wholeDomains = [&] {
    for (unsigned d = 0; d < ir::kMaxIds; ++d) {
      bool any = false, all = true;
      for (const auto& [a, c] : h.cards)
        if (h.existing.contains(a, d) && rest.contains(a, d)) any = true;
        else if (h.existing.contains(a, d) && !h.kept.contains(a, d)) all = false;
      if (!any || !all) continue;
      out.push_back(domainWildcard(d));
      for (const auto& [a, c] : h.cards) rest.erase(a, d);
    }
  };
  if (adaptersFirst) {
    wholeAdapters();
    wholeDomains();
  } else {
    wholeDomains();
    wholeAdapters();
  }
  for (const auto& q : rest.toVector()) out.push_back(ir::formatQueue(q.adapter, q.domain));
  return out;
}

// One statement, eight entries to a line.
void printList(std::ostringstream& out, const char* keyword, const std::vector<std::string>& entries) {
  if (entries.empty()) return;
  out << "    " << keyword << " ";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i > 0) out << (i % 8 == 0 ? ",\n        " : ", ");
    out << entries[i];
  }
  out << ";\n";
}

// A plan identifier ([A-Za-z_][A-Za-z0-9_.-]*) from a libvirt domain or host
// name: other characters become '_'.
std::string identifierFrom(const std::string& s) {
  std::string out;
  for (char c : s) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
    out += ok ? c : '_';
  }
  if (!out.empty() && !(std::isalpha(static_cast<unsigned char>(out[0])) || out[0] == '_')) out = "_" + out;
  return out;
}

}  // namespace

std::string hostNameFrom(const DiscoverOptions& opts) {
  if (!opts.hostName.empty()) return opts.hostName;
  if (!opts.etcRoot.empty())
    if (auto t = readSysfsFile(fs::path(opts.etcRoot) / "etc/hostname")) {
      std::string n = trimLine(*t);
      n = n.substr(0, n.find_first_of(" \t\n"));
      if (!n.empty()) return identifierFrom(n);
    }
  return "discovered";
}

std::vector<std::string> guestNames(const LiveHost& h, const Identities& ids) {
  std::map<std::string, int> shortNames;
  for (const auto& m : h.mdevs) shortNames[m.uuid.substr(0, 8)]++;
  std::vector<std::string> names;
  std::set<std::string> used;
  for (const auto& m : h.mdevs) {
    std::string base;
    if (auto it = ids.byUuid.find(m.uuid); it != ids.byUuid.end() && !it->second.name.empty())
      base = identifierFrom(it->second.name);
    if (base.empty()) {
      base = "mdev_" + (shortNames[m.uuid.substr(0, 8)] > 1 ? m.uuid : m.uuid.substr(0, 8));
      for (char& ch : base)
        if (ch == '-') ch = '_';
    }
    std::string name = base;
    for (int k = 2; used.count(name); ++k) name = base + "-" + std::to_string(k);
    used.insert(name);
    names.push_back(name);
  }
  return names;
}

DiscoverResult discover(const DiscoverOptions& opts) {
  DiscoverResult r;
  LiveHost h;
  if (!readLiveHost(opts.root, h, r.error)) return r;
  Identities ids;
  if (!opts.etcRoot.empty()) ids = readGuestIdentities(opts.etcRoot);
  std::vector<std::string> hostNotes = h.notes;
  for (const auto& w : ids.warnings) hostNotes.push_back(w);
  r.warnings = hostNotes;

  std::ostringstream out;
  // The root is user text: escaped, a newline in it cannot add plan lines.
  out << "# Discovered by `apc discover` from " << ir::escapeForTerminal(opts.root) << " (" << h.interface << " interface).\n";
  for (const auto& n : hostNotes) out << "# note: " << n << "\n";
  out << "host " << hostNameFrom(opts) << " {\n";
  out << "    interface " << h.interface << ";\n";
  out << "    crycb format " << (h.apxa ? 2 : 1) << ";" << (h.apxa ? "" : "  # 0 and 1 look the same in sysfs")
      << "\n";
  for (const auto& [a, c] : h.cards)
    out << "    adapter " << hexId(a) << " " << c.type << ";" << (c.online ? "" : "  # offline") << "\n";
  if (h.usage.any()) out << "    domains " << ir::formatIdList(h.usage) << ";\n";
  if (h.control != h.usage && h.control.any()) out << "    control domains " << ir::formatIdList(h.control) << ";\n";
  std::vector<std::string> byAdapter = reserveEntries(h, true), byDomain = reserveEntries(h, false);
  printList(out, "reserve", byDomain.size() < byAdapter.size() ? byDomain : byAdapter);
  std::vector<std::string> offline;
  for (const auto& q : h.offline.toVector()) offline.push_back(ir::formatQueue(q.adapter, q.domain));
  printList(out, "offline", offline);
  out << "}\n";

  std::vector<std::string> names = guestNames(h, ids);
  for (std::size_t i = 0; i < h.mdevs.size(); ++i) {
    const LiveMdev& m = h.mdevs[i];
    const std::string& u = m.uuid;
    out << "\n";
    if (!m.readable) {
      r.warnings.push_back("mdev " + u + " unreadable, skipped");
      out << "# mdev " << u << ": unreadable, skipped\n";
      continue;
    }
    const bool complete = m.matrixOk && m.adapters.any() && m.domains.any();
    if (!complete) {
      std::string why = !m.matrixOk ? "an unreadable matrix"
                        : m.adapters.any() ? "adapters but no domains"
                        : m.domains.any() ? "domains but no adapters" : "an empty matrix";
      r.warnings.push_back("mdev " + u + " has " + why + "; written as a comment");
      out << "# mdev " << u << " has " << why << "; a plan guest needs both:\n";
    }
    const std::string pre = complete ? "" : "# ";
    out << pre << "guest " << names[i] << " {\n";
    if (m.adapters.any()) out << pre << "    adapters " << ir::formatIdList(m.adapters) << ";\n";
    if (m.domains.any()) out << pre << "    domains " << ir::formatIdList(m.domains) << ";\n";
    IdSet extra = m.controlDomains & ~m.domains;
    if (extra.any()) out << pre << "    control domains " << ir::formatIdList(extra) << ";\n";
    IdSet missing = m.domains & ~m.controlDomains;
    if (missing.any() && complete) {
      r.warnings.push_back("mdev " + u + " lacks usage domains as control domains");
      out << "    # note: the live ADM lacks usage domains " << ir::formatIdList(missing)
          << "; apc assigns them as control domains\n";
    }
    out << pre << "    uuid " << u << ";\n";
    if (auto it = ids.byUuid.find(u); it != ids.byUuid.end()) {
      if (!it->second.start.empty()) out << pre << "    start " << it->second.start << ";\n";
      if (!it->second.tags.empty()) {
        out << pre << "    tags ";
        for (std::size_t t = 0; t < it->second.tags.size(); ++t) out << (t ? ", " : "") << it->second.tags[t];
        out << ";\n";
      }
    }
    out << pre << "}\n";
  }
  r.plan = out.str();
  r.ok = true;
  return r;
}

}  // namespace apc::kmod
