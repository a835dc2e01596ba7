// Reads bus/ap (cards, queues, masks) and the vfio_ap matrix parent (mdevs).
// Host-kept queues come from the masks (modern) or from the bound driver
// (legacy); a card x usage domain without a queue device is offline.
#include "kmod/discover/live_host.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <sstream>

#include "compiler/ir/text_escape.h"
#include "kmod/discover/sysfs_read.h"

namespace apc::kmod {
namespace {

using ir::IdSet;

std::optional<unsigned> readUnsigned(const SysfsView& v, const std::string& p) {
  auto t = v.read(p);
  if (!t) return std::nullopt;
  unsigned value = 0;
  char tail = 0;
  if (std::sscanf(trimLine(*t).c_str(), "%u%c", &value, &tail) != 1) return std::nullopt;
  return value;
}

std::optional<IdSet> readMask(const SysfsView& v, const std::string& p) {
  auto t = v.read(p);
  if (!t) return std::nullopt;
  return ir::parseMask(trimLine(*t));
}

std::string hexId(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", v);
  return buf;
}

// The card's lszcrypt type: zcrypt's `type` when bound to cex4card, else
// from hwtype (10 = CEX4 .. 14 = CEX8) and the mode bits of ap_functions.
std::optional<std::string> cardType(const SysfsView& v, const std::string& dir, unsigned hwtype) {
  if (auto t = v.read(dir + "/type")) {
    std::string s = trimLine(*t);
    if (s.size() == 5 && s.substr(0, 3) == "CEX" && s[3] >= '4' && s[3] <= '8' &&
        (s[4] == 'A' || s[4] == 'C' || s[4] == 'P'))
      return s;
  }
  auto f = v.read(dir + "/ap_functions");
  unsigned funcs = 0;
  if (!f || std::sscanf(trimLine(*f).c_str(), "0x%x", &funcs) != 1) return std::nullopt;
  char mode = (funcs & 0x10000000u) ? 'C' : (funcs & 0x08000000u) ? 'A' : (funcs & 0x04000000u) ? 'P' : 0;
  if (mode == 0 || hwtype < 10 || hwtype > 14) return std::nullopt;
  return "CEX" + std::to_string(hwtype - 6) + mode;
}

// Parses what vfio_ap_mdev_matrix_show prints: "aa.dddd", "aa." or ".dddd" lines.
void parseMatrix(const std::string& text, LiveMdev& m) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto dot = line.find('.');
    if (dot == std::string::npos) {
      m.matrixOk = false;
      continue;
    }
    std::string a = line.substr(0, dot), d = line.substr(dot + 1);
    try {
      // An ID above 0xff is no AP ID: the matrix is unreadable, never folded.
      unsigned long av = a.empty() ? 0 : std::stoul(a, nullptr, 16);
      unsigned long dv = d.empty() ? 0 : std::stoul(d, nullptr, 16);
      if (av >= ir::kMaxIds || dv >= ir::kMaxIds) {
        m.matrixOk = false;
        continue;
      }
      if (!a.empty()) m.adapters.set(av);
      if (!d.empty()) m.domains.set(dv);
    } catch (...) {
      m.matrixOk = false;
    }
  }
}

// control_domains prints one hex domain per line.
IdSet parseControlDomains(const std::string& text) {
  IdSet adm;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty() && line.size() <= 4 && line.find_first_not_of("0123456789abcdef") == std::string::npos) {
      unsigned long v = std::stoul(line, nullptr, 16);
      if (v < ir::kMaxIds) adm.set(v);
    }
  return adm;
}

void readCards(const SysfsView& v, LiveHost& h, std::map<unsigned, IdSet>& queuesOf, IdSet& queueDomains) {
  std::vector<std::string> devs = v.list("bus/ap/devices");
  std::sort(devs.begin(), devs.end());
  for (const auto& name : devs) {
    unsigned a = 0, d = 0;
    char tail = 0;
    if (name.size() == 6 && std::sscanf(name.c_str(), "card%2x%c", &a, &tail) == 1) {
      const std::string dir = "bus/ap/devices/" + name;
      unsigned hw = readUnsigned(v, dir + "/hwtype").value_or(0);
      auto type = cardType(v, dir, hw);
      if (hw < 10) {
        h.notes.push_back("card " + hexId(a) + " (hwtype " + std::to_string(hw) +
                          ", CEX2/CEX3) skipped: vfio_ap drives CEX4 and newer only");
        continue;
      }
      if (!type) {
        h.notes.push_back("card " + hexId(a) + " skipped: its type cannot be read");
        continue;
      }
      LiveCard c{a, *type, true};
      if (auto cf = readUnsigned(v, dir + "/config"); cf && *cf == 0) c.configured = false;
      if (auto cs = readUnsigned(v, dir + "/chkstop"); cs && *cs == 1) c.checkstop = true;
      if (auto on = readUnsigned(v, dir + "/online"); on && *on == 0) {
        c.online = false;
        h.notes.push_back("card " + hexId(a) + " is offline; its queues are listed as they are");
      }
      h.cards[a] = c;
    } else if (name.size() == 7 && std::sscanf(name.c_str(), "%2x.%4x%c", &a, &d, &tail) == 2) {
      if (d >= ir::kMaxIds) {  // the AP architecture has domains 0..255 only
        h.notes.push_back("queue " + hexId(a) + "." + std::to_string(d) + " skipped: domain above 0xff");
        continue;
      }
      queuesOf[a].set(d);
      queueDomains.set(d);
    }
  }
}

}  // namespace

bool readLiveHost(const std::string& sysfsRoot, LiveHost& h, std::string& error) {
  return readLiveHost(*fileSysfs(sysfsRoot), h, error);
}

bool readLiveHost(const SysfsView& v, LiveHost& h, std::string& error) {
  if (!v.isDirectory("bus/ap")) {
    error = "no AP bus at " + ir::escapeForTerminal(v.describe("bus/ap")) + " (is this an s390 host, or the sim mounted?)";
    return false;
  }
  std::string parent;
  h.interface = "modern";
  if (v.isDirectory("devices/vfio_ap/matrix")) {
    parent = "devices/vfio_ap/matrix";
  } else if (v.isDirectory("devices/virtual/misc/vfio_ap")) {
    parent = "devices/virtual/misc/vfio_ap";
    h.interface = "legacy";
  } else {
    h.notes.push_back("vfio_ap is not loaded: no matrix device, so no guests were read");
  }
  h.vfioAp = !parent.empty();
  const std::string bus = "bus/ap/";

  unsigned maxA = readUnsigned(v, bus + "ap_max_adapter_id").value_or(255);
  unsigned maxD = readUnsigned(v, bus + "ap_max_domain_id").value_or(255);
  h.apxa = maxA > 63 || maxD > 15;

  std::map<unsigned, IdSet> queuesOf;
  IdSet queueDomains;  // domains seen on queue devices (when the QCI masks are unavailable)
  readCards(v, h, queuesOf, queueDomains);

  if (auto m = readMask(v, bus + "ap_usage_domain_mask")) {
    h.usage = *m;
  } else {
    h.usage = queueDomains;
    h.notes.push_back("ap_usage_domain_mask unreadable: usage domains taken from the queue devices");
  }
  if (auto m = readMask(v, bus + "ap_control_domain_mask")) h.control = *m;
  else h.control = h.usage;

  if (h.interface == "modern") {
    h.apmask = readMask(v, bus + "apmask").value_or(IdSet().set());
    h.aqmask = readMask(v, bus + "aqmask").value_or(IdSet().set());
  }
  for (const auto& [a, c] : h.cards) {
    for (unsigned d = 0; d < ir::kMaxIds; ++d) {
      if (!h.usage.test(d)) continue;
      if (!queuesOf[a].test(d)) {
        h.offline.insert(a, d);
        continue;
      }
      h.existing.insert(a, d);
      const std::string qdir = bus + "devices/" + ir::formatQueue(a, d);
      auto target = v.linkTarget(qdir + "/driver");
      const bool bound = target && (target->ends_with("/vfio_ap") || *target == "vfio_ap");
      if (bound) h.vfioBound.insert(a, d);
      bool hostKept = false;
      if (h.interface == "modern") hostKept = h.apmask.test(a) && h.aqmask.test(d);
      else hostKept = !bound;
      if (hostKept) h.kept.insert(a, d);
      // A queue's own state where it has the attributes (ap_queue.c), else its card's.
      auto cf = readUnsigned(v, qdir + "/config");
      if (cf ? *cf == 0 : !c.configured) h.deconfigured.insert(a, d);
      auto cs = readUnsigned(v, qdir + "/chkstop");
      if (cs ? *cs == 1 : c.checkstop) h.checkstopped.insert(a, d);
    }
  }

  std::vector<std::string> uuids;
  if (h.vfioAp)
    for (const std::string& name : v.list(parent))
      if (isCanonicalUuidText(name)) uuids.push_back(name);
  std::sort(uuids.begin(), uuids.end());
  for (const auto& u : uuids) {
    LiveMdev m;
    m.uuid = u;
    auto mt = v.read(parent + "/" + u + "/matrix");
    auto ct = v.read(parent + "/" + u + "/control_domains");
    if (!mt || !ct) {
      m.readable = false;
    } else {
      parseMatrix(*mt, m);
      m.controlDomains = parseControlDomains(*ct);
      if (auto gt = v.read(parent + "/" + u + "/guest_matrix")) {
        LiveMdev g;
        parseMatrix(*gt, g);
        if (g.matrixOk) {
          m.hasGuestMatrix = true;
          m.guestAdapters = g.adapters;
          m.guestDomains = g.domains;
        }
      }
    }
    h.mdevs.push_back(std::move(m));
  }
  return true;
}

}  // namespace apc::kmod
