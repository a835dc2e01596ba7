// The data block and small pieces shared by the three host scripts.
#include "backends/scripts_common.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "backends/common.h"
#include "backends/script_support.h"

namespace apc::backends::scripts {

namespace {
// Drops the trailing newline: bash's $(...) strips it from what it reads.
std::string chomp(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}
}  // namespace

bool isModern(const ir::SolvedPlan& solved) {
  return solved.plan.host.interface == ir::Interface::Modern;
}

std::string clearedIdsBlock(const ir::SolvedPlan& solved) {
  auto ids = [](const ir::IdSet& mask) {
    std::string t;
    for (unsigned id : ir::toVector(~mask)) t += (t.empty() ? "" : " ") + std::to_string(id);
    return t;
  };
  return "# The IDs (decimal) whose bit the planned masks clear.\nAPC_CLEAR_AP=(" + ids(solved.apmask) +
         ")\nAPC_CLEAR_AQ=(" + ids(solved.aqmask) + ")\n";
}

std::string mdevPath(const std::string& uuid, const std::string& attr) {
  return "\"$APC_PARENT\"/" + sh::quote(uuid + "/" + attr);
}

std::string guestComment(const ir::SolvedPlan& solved, std::size_t g) {
  const ir::Guest& guest = solved.plan.guests[g];
  const ir::GuestAllocation& a = solved.alloc[g];
  std::string line = "Guest " + guest.name + ": adapters " + ir::formatIdList(a.adapters) +
                     "; domains " + ir::formatIdList(a.domains) + "; control domains " +
                     ir::formatIdList(admOf(a));
  if (!guest.tags.empty()) {
    line += "; tags";
    for (const std::string& t : guest.tags) line += " " + t;
  }
  return "# " + sh::commentText(line) + "\n";
}

std::string dataBlock(const ir::SolvedPlan& solved, bool withIds) {
  std::string out;
  if (isModern(solved)) {
    out += "APC_PARENT=$SYSFS/devices/vfio_ap/matrix\n";
  } else {
    out += "APC_PARENT=$SYSFS/devices/virtual/misc/vfio_ap\n";
  }
  out += "APC_CREATE=$APC_PARENT/mdev_supported_types/vfio_ap-passthrough/create\n";
  if (isModern(solved)) {
    out += "# The host's default drivers keep exactly apmask x aqmask (MSB-0, 256 bits).\n";
    out += "APC_APMASK=" + ir::formatMask(solved.apmask) + "\n";
    out += "APC_AQMASK=" + ir::formatMask(solved.aqmask) + "\n";
  }
  out += "# Every queue the plan gives to a guest.\nAPC_QUEUES=(";
  std::vector<std::pair<ir::Queue, std::size_t>> owned;
  for (std::size_t g = 0; g < solved.alloc.size(); ++g)
    for (unsigned ad : ir::toVector(solved.alloc[g].adapters))
      for (unsigned d : ir::toVector(solved.alloc[g].domains))
        owned.push_back({ir::Queue{static_cast<std::uint8_t>(ad), static_cast<std::uint8_t>(d)}, g});
  std::sort(owned.begin(), owned.end());
  for (std::size_t i = 0; i < owned.size(); ++i) {
    out += (i % 8 == 0) ? "\n  " : " ";
    out += ir::formatQueue(owned[i].first);
  }
  out += "\n)\nAPC_UUIDS=(";
  for (std::size_t g = 0; g < solved.alloc.size(); ++g) out += "\n  " + sh::quote(solved.alloc[g].uuid);
  out += "\n)\ndeclare -A APC_OWNER=(";
  for (const auto& [q, g] : owned) out += "\n  [" + ir::formatQueue(q) + "]=" + sh::quote(solved.alloc[g].uuid);
  out += "\n)\n";
  std::string names = "declare -A APC_NAME=(", matrix = "declare -A APC_MATRIX=(",
              control = "declare -A APC_CONTROL=(";
  for (std::size_t g = 0; g < solved.alloc.size(); ++g) {
    std::string key = "\n  [" + sh::quote(solved.alloc[g].uuid) + "]=";
    names += key + sh::quote(solved.plan.guests[g].name);
    matrix += key + sh::quote(chomp(matrixText(solved.alloc[g])));
    control += key + sh::quote(chomp(controlDomainsText(solved.alloc[g])));
  }
  std::string wa = "declare -A APC_WANT_A=(", wd = "declare -A APC_WANT_D=(", wc = "declare -A APC_WANT_C=(";
  auto decimal = [](const ir::IdSet& s) {
    std::string t;
    for (unsigned id : ir::toVector(s)) t += (t.empty() ? "" : " ") + std::to_string(id);
    return sh::quote(t);
  };
  for (std::size_t g = 0; g < solved.alloc.size(); ++g) {
    std::string key = "\n  [" + sh::quote(solved.alloc[g].uuid) + "]=";
    wa += key + decimal(solved.alloc[g].adapters);
    wd += key + decimal(solved.alloc[g].domains);
    wc += key + decimal(admOf(solved.alloc[g]));
  }
  out += "# Guest names, for messages only.\n" + names + "\n)\n";
  if (withIds) {
    out += "# Each mdev's adapters, domains and control domains (decimal IDs).\n";
    out += wa + "\n)\n" + wd + "\n)\n" + wc + "\n)\n";
  }
  out += "# What each mdev's matrix and control_domains read once applied.\n";
  out += matrix + "\n)\n" + control + "\n)\n";
  return out;
}

}  // namespace apc::backends::scripts
