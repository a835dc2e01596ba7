// `apc show`: per guest an lszcrypt-like table, then the host's matrix with
// each queue marked by its owner (a legend maps marks to guest names).
#include <algorithm>
#include <cstdio>
#include <map>

#include "backends/backend.h"
#include "backends/common.h"

namespace apc::backends {

namespace {

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string hex2(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02x", v);
  return buf;
}

// Marks: A..Z for up to 26 guests, else g1, g2, ... (plan order).
std::string guestMark(std::size_t g, std::size_t count) {
  if (count <= 26) return std::string(1, static_cast<char>('A' + g));
  return "g" + std::to_string(g + 1);
}

void guestTable(const ir::SolvedPlan& solved, std::size_t g, std::string& out) {
  const ir::Guest& guest = solved.plan.guests[g];
  const ir::GuestAllocation& a = solved.alloc[g];
  out += "guest " + guest.name + "  uuid " + a.uuid + "  start " + std::string(ir::startName(guest.start)) +
         "\n";
  out += "CARD.DOMAIN TYPE  MODE\n";
  for (unsigned ad : ir::toVector(a.adapters)) {
    const ir::Adapter* adapter = solved.plan.host.adapter(ad);
    std::string type = adapter ? adapter->type.str() : "?";
    std::string mode = adapter ? std::string(ir::lszcryptModeName(adapter->type.mode)) : "?";
    out += pad(ir::formatCard(ad), 12) + pad(type, 6) + mode + "\n";
    for (unsigned d : ir::toVector(a.domains))
      out += pad(ir::formatQueue(ad, d), 12) + pad(type, 6) + mode + "\n";
  }
  out += "control domains: " + ir::formatIdList(admOf(a)) + "\n\n";
}

}  // namespace

std::string renderShow(const ir::SolvedPlan& solved) {
  const ir::Plan& plan = solved.plan;
  const ir::Inventory& host = plan.host;
  std::string out = "host " + host.name + "  interface " + std::string(ir::interfaceName(host.interface)) +
                    "  crycb format " + std::to_string(host.crycbFormat) + "\n";
  if (host.interface == ir::Interface::Modern)
    out += "apmask " + ir::formatMask(solved.apmask) + "\naqmask " + ir::formatMask(solved.aqmask) + "\n";
  out += "\n";
  for (std::size_t g = 0; g < plan.guests.size(); ++g) guestTable(solved, g, out);

  // Owner of each queue; queues are unique to one guest (solver invariant).
  std::map<std::pair<unsigned, unsigned>, std::size_t> owner;
  for (std::size_t g = 0; g < solved.alloc.size(); ++g)
    for (unsigned ad : ir::toVector(solved.alloc[g].adapters))
      for (unsigned d : ir::toVector(solved.alloc[g].domains)) owner.emplace(std::make_pair(ad, d), g);
  std::size_t width = 2;
  for (std::size_t g = 0; g < plan.guests.size(); ++g)
    width = std::max(width, guestMark(g, plan.guests.size()).size());
  ir::QueueSet kept = queueViews(solved).hostKept;

  out += "matrix: adapters as rows, the host's usage domains as columns\n";
  out += "legend:";
  for (std::size_t g = 0; g < plan.guests.size(); ++g)
    out += " " + guestMark(g, plan.guests.size()) + "=" + plan.guests[g].name;
  out += "\n        h=kept by the host  R=reserved  x=offline  .=free (vfio_ap, no guest)\n";
  std::vector<unsigned> domains = ir::toVector(host.usageDomains);
  out += "  ";
  for (unsigned d : domains) out += " " + pad(hex2(d), width);
  out += "\n";
  for (const ir::Adapter& adapter : host.adapters) {
    std::string row = hex2(adapter.id);
    for (unsigned d : domains) {
      std::string mark;
      auto it = owner.find({adapter.id, d});
      if (it != owner.end()) mark = guestMark(it->second, plan.guests.size());
      else if (host.offlineQueues.contains(adapter.id, d)) mark = "x";
      else if (host.reservedQueues.contains(adapter.id, d)) mark = "R";
      else if (kept.contains(adapter.id, d)) mark = "h";
      else mark = ".";
      row += " " + pad(mark, width);
    }
    while (!row.empty() && row.back() == ' ') row.pop_back();
    out += row + "\n";
  }
  return out;
}

}  // namespace apc::backends
