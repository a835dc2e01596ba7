// Discovery walks bus/ap (cards, queues, masks) and the vfio_ap matrix parent
// (mdevs). Host-kept queues come from the masks (modern) or from the bound
// driver (legacy) and become `reserve` lines; queues a card x usage domain
// should have but that have no device become `offline` lines.
#include "kmod/discover/discover.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "compiler/ir/file_read.h"
#include "compiler/ir/id_set.h"
#include "compiler/ir/text_escape.h"

namespace apc::kmod {
namespace {

namespace fs = std::filesystem;
using ir::IdSet;

// Attributes are read through the bounded reader: a FIFO or /dev/zero planted
// in a --sysfs tree must not hang discover.
std::optional<std::string> readFile(const fs::path& p) {
  ir::ReadError err;
  return ir::readBoundedFile(p.string(), err, ir::kMaxAttributeBytes);
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::optional<unsigned> readUnsigned(const fs::path& p) {
  auto t = readFile(p);
  if (!t) return std::nullopt;
  unsigned v = 0;
  char tail = 0;
  if (std::sscanf(trim(*t).c_str(), "%u%c", &v, &tail) != 1) return std::nullopt;
  return v;
}

std::optional<IdSet> readMask(const fs::path& p) {
  auto t = readFile(p);
  if (!t) return std::nullopt;
  return ir::parseMask(trim(*t));
}

bool isUuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (s[i] == '-')) return false;
    if (!dash && !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

std::string hexId(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", v);
  return buf;
}

struct Card {
  unsigned id = 0;
  std::string type;  // CEX5C
  bool online = true;
};

// The card's lszcrypt type: zcrypt's `type` when bound to cex4card, else
// from hwtype (10 = CEX4 .. 14 = CEX8) and the mode bits of ap_functions.
std::optional<std::string> cardType(const fs::path& dir, unsigned hwtype) {
  if (auto t = readFile(dir / "type")) {
    std::string s = trim(*t);
    if (s.size() == 5 && s.substr(0, 3) == "CEX" && s[3] >= '4' && s[3] <= '8' &&
        (s[4] == 'A' || s[4] == 'C' || s[4] == 'P'))
      return s;
  }
  auto f = readFile(dir / "ap_functions");
  unsigned funcs = 0;
  if (!f || std::sscanf(trim(*f).c_str(), "0x%x", &funcs) != 1) return std::nullopt;
  char mode = (funcs & 0x10000000u) ? 'C' : (funcs & 0x08000000u) ? 'A' : (funcs & 0x04000000u) ? 'P' : 0;
  if (mode == 0 || hwtype < 10 || hwtype > 14) return std::nullopt;
  return "CEX" + std::to_string(hwtype - 6) + mode;
}

struct MatrixText {
  IdSet adapters, domains;
  bool ok = true;
};

// Parses what vfio_ap_mdev_matrix_show prints: "aa.dddd", "aa." or ".dddd" lines.
MatrixText parseMatrix(const std::string& text) {
  MatrixText m;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto dot = line.find('.');
    if (dot == std::string::npos) { m.ok = false; continue; }
    std::string a = line.substr(0, dot), d = line.substr(dot + 1);
    try {
      if (!a.empty()) m.adapters.set(std::stoul(a, nullptr, 16));
      if (!d.empty()) m.domains.set(std::stoul(d, nullptr, 16));
    } catch (...) {
      m.ok = false;
    }
  }
  return m;
}

}  // namespace

DiscoverResult discover(const DiscoverOptions& opts) {
  DiscoverResult r;
  const fs::path root(opts.root);
  const fs::path bus = root / "bus/ap";
  std::error_code ec;
  if (!fs::is_directory(bus, ec)) {
    r.error = "no AP bus at " + ir::escapeForTerminal(bus.string()) + " (is this an s390 host, or the sim mounted?)";
    return r;
  }
  std::ostringstream out;
  std::vector<std::string> hostNotes;
  auto note = [&](std::string s) {
    r.warnings.push_back(s);
    hostNotes.push_back(std::move(s));
  };

  fs::path parent;
  std::string iface = "modern";
  if (fs::is_directory(root / "devices/vfio_ap/matrix", ec)) {
    parent = root / "devices/vfio_ap/matrix";
  } else if (fs::is_directory(root / "devices/virtual/misc/vfio_ap", ec)) {
    parent = root / "devices/virtual/misc/vfio_ap";
    iface = "legacy";
  } else {
    note("vfio_ap is not loaded: no matrix device, so no guests were read");
  }

  unsigned maxA = readUnsigned(bus / "ap_max_adapter_id").value_or(255);
  unsigned maxD = readUnsigned(bus / "ap_max_domain_id").value_or(255);
  const bool apxa = maxA > 63 || maxD > 15;

  // Cards, sorted by id.
  std::map<unsigned, Card> cards;
  std::vector<std::string> devs;
  for (const auto& e : fs::directory_iterator(bus / "devices", ec)) devs.push_back(e.path().filename().string());
  std::sort(devs.begin(), devs.end());
  IdSet queueDomains;  // domains seen on queue devices (when the QCI masks are unavailable)
  std::map<unsigned, IdSet> queuesOf;
  for (const auto& name : devs) {
    unsigned a = 0, d = 0;
    char tail = 0;
    if (name.size() == 6 && std::sscanf(name.c_str(), "card%2x%c", &a, &tail) == 1) {
      fs::path dir = bus / "devices" / name;
      unsigned hw = readUnsigned(dir / "hwtype").value_or(0);
      auto type = cardType(dir, hw);
      if (hw < 10) {
        note("card " + hexId(a) + " (hwtype " + std::to_string(hw) +
             ", CEX2/CEX3) skipped: vfio_ap drives CEX4 and newer only");
        continue;
      }
      if (!type) {
        note("card " + hexId(a) + " skipped: its type cannot be read");
        continue;
      }
      Card c{a, *type, true};
      if (auto on = readUnsigned(dir / "online"); on && *on == 0) {
        c.online = false;
        note("card " + hexId(a) + " is offline; its queues are listed as they are");
      }
      cards[a] = c;
    } else if (name.size() == 7 && std::sscanf(name.c_str(), "%2x.%4x%c", &a, &d, &tail) == 2) {
      if (d >= ir::kMaxIds) {  // the AP architecture has domains 0..255 only
        note("queue " + hexId(a) + "." + std::to_string(d) + " skipped: domain above 0xff");
        continue;
      }
      queuesOf[a].set(d);
      queueDomains.set(d);
    }
  }

  IdSet usage, control;
  if (auto m = readMask(bus / "ap_usage_domain_mask")) usage = *m;
  else {
    usage = queueDomains;
    note("ap_usage_domain_mask unreadable: usage domains taken from the queue devices");
  }
  if (auto m = readMask(bus / "ap_control_domain_mask")) control = *m;
  else control = usage;

  // Host-kept queues: modern, inside apmask x aqmask; legacy, not bound to vfio_ap.
  IdSet apmask, aqmask;
  if (iface == "modern") {
    apmask = readMask(bus / "apmask").value_or(IdSet().set());
    aqmask = readMask(bus / "aqmask").value_or(IdSet().set());
  }
  ir::QueueSet kept, existing, offline;
  for (const auto& [a, c] : cards) {
    for (unsigned d = 0; d < ir::kMaxIds; ++d) {
      if (!usage.test(d)) continue;
      if (!queuesOf[a].test(d)) {
        offline.insert(a, d);
        continue;
      }
      existing.insert(a, d);
      bool hostKept = false;
      if (iface == "modern") {
        hostKept = apmask.test(a) && aqmask.test(d);
      } else {
        fs::path link = bus / "devices" / ir::formatQueue(a, d) / "driver";
        auto target = fs::read_symlink(link, ec);
        hostKept = ec || target.filename() != "vfio_ap";
      }
      if (hostKept) kept.insert(a, d);
    }
  }

  // The root is user text: escaped, a newline in it cannot add plan lines.
  out << "# Discovered by `apc discover` from " << ir::escapeForTerminal(opts.root) << " (" << iface << " interface).\n";
  for (const auto& n : hostNotes) out << "# note: " << n << "\n";
  out << "host " << opts.hostName << " {\n";
  out << "    interface " << iface << ";\n";
  out << "    crycb format " << (apxa ? 2 : 1) << ";" << (apxa ? "" : "  # 0 and 1 look the same in sysfs")
      << "\n";
  for (const auto& [a, c] : cards)
    out << "    adapter " << hexId(a) << " " << c.type << ";" << (c.online ? "" : "  # offline") << "\n";
  if (usage.any()) out << "    domains " << ir::formatIdList(usage) << ";\n";
  if (control != usage && control.any()) out << "    control domains " << ir::formatIdList(control) << ";\n";

  // reserve: whole adapters, then whole domains over the remaining adapters, then single queues.
  ir::QueueSet rest = kept;
  std::vector<std::string> reserveLines;
  IdSet fullAdapters;
  for (const auto& [a, c] : cards) {
    bool any = false, all = true;
    for (unsigned d = 0; d < ir::kMaxIds; ++d)
      if (existing.contains(a, d)) {
        any = true;
        all = all && kept.contains(a, d);
      }
    if (any && all) {
      fullAdapters.set(a);
      reserveLines.push_back(ir::formatCard(a) + ".*");
      for (unsigned d = 0; d < ir::kMaxIds; ++d) rest.erase(a, d);
    }
  }
  for (unsigned d = 0; d < ir::kMaxIds; ++d) {
    bool any = false, all = true;
    for (const auto& [a, c] : cards)
      if (!fullAdapters.test(a) && existing.contains(a, d)) {
        any = true;
        all = all && kept.contains(a, d);
      }
    if (any && all) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "*.%04x", d);
      reserveLines.push_back(buf);
      for (const auto& [a, c] : cards) rest.erase(a, d);
    }
  }
  for (const auto& q : rest.toVector()) reserveLines.push_back(ir::formatQueue(q.adapter, q.domain));
  for (const auto& l : reserveLines) out << "    reserve " << l << ";\n";
  for (const auto& q : offline.toVector()) out << "    offline " << ir::formatQueue(q.adapter, q.domain) << ";\n";
  out << "}\n";

  // Guests: one per mdev, sorted by uuid.
  std::vector<std::string> uuids;
  if (!parent.empty())
    for (const auto& e : fs::directory_iterator(parent, ec))
      if (isUuid(e.path().filename().string())) uuids.push_back(e.path().filename().string());
  std::sort(uuids.begin(), uuids.end());
  std::map<std::string, int> shortNames;
  for (const auto& u : uuids) shortNames[u.substr(0, 8)]++;
  for (const auto& u : uuids) {
    auto mt = readFile(parent / u / "matrix");
    auto ct = readFile(parent / u / "control_domains");
    std::string name = "mdev_" + (shortNames[u.substr(0, 8)] > 1 ? u : u.substr(0, 8));
    for (char& ch : name)
      if (ch == '-') ch = '_';
    out << "\n";
    if (!mt || !ct) {
      r.warnings.push_back("mdev " + u + " unreadable, skipped");
      out << "# mdev " << u << ": unreadable, skipped\n";
      continue;
    }
    MatrixText m = parseMatrix(*mt);
    IdSet adm;
    {
      std::istringstream in(*ct);
      std::string line;
      while (std::getline(in, line))
        if (!line.empty() && line.size() <= 4 && line.find_first_not_of("0123456789abcdef") == std::string::npos)
          adm.set(std::stoul(line, nullptr, 16) & 0xff);
    }
    const bool complete = m.ok && m.adapters.any() && m.domains.any();
    if (!complete) {
      std::string why = !m.ok ? "an unreadable matrix"
                        : m.adapters.any() ? "adapters but no domains"
                        : m.domains.any() ? "domains but no adapters" : "an empty matrix";
      r.warnings.push_back("mdev " + u + " has " + why + "; written as a comment");
      out << "# mdev " << u << " has " << why << "; a plan guest needs both:\n";
    }
    const std::string pre = complete ? "" : "# ";
    out << pre << "guest " << name << " {\n";
    if (m.adapters.any()) out << pre << "    adapters " << ir::formatIdList(m.adapters) << ";\n";
    if (m.domains.any()) out << pre << "    domains " << ir::formatIdList(m.domains) << ";\n";
    IdSet extra = adm & ~m.domains;
    if (extra.any()) out << pre << "    control domains " << ir::formatIdList(extra) << ";\n";
    IdSet missing = m.domains & ~adm;
    if (missing.any() && complete) {
      r.warnings.push_back("mdev " + u + " lacks usage domains as control domains");
      out << "    # note: the live ADM lacks usage domains " << ir::formatIdList(missing)
          << "; apc assigns them as control domains\n";
    }
    out << pre << "    uuid " << u << ";\n";
    out << pre << "}\n";
  }
  r.plan = out.str();
  r.ok = true;
  return r;
}

}  // namespace apc::kmod
