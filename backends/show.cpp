// `apc show`: per guest an lszcrypt-like table, then the host's matrix with
// each queue marked by its owner (a legend maps marks to guest names); the
// matrix itself is show_terminal.cpp's.
#include <algorithm>
#include <cstdio>
#include <map>

#include "backends/backend.h"
#include "backends/common.h"
#include "backends/show_matrix.h"
#include "backends/show_render.h"

namespace apc::backends {

namespace {

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
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

std::string renderShow(const ir::SolvedPlan& solved) { return renderShow(solved, ShowOptions{}); }

std::string renderShow(const ir::SolvedPlan& solved, const ShowOptions& options) {
  const ir::Plan& plan = solved.plan;
  const ir::Inventory& host = plan.host;
  std::string out = "host " + host.name + "  interface " + std::string(ir::interfaceName(host.interface)) +
                    "  crycb format " + std::to_string(host.crycbFormat) + "\n";
  if (host.interface == ir::Interface::Modern)
    out += "apmask " + ir::formatMask(solved.apmask) + "\naqmask " + ir::formatMask(solved.aqmask) + "\n";
  out += "\n";
  for (std::size_t g = 0; g < plan.guests.size(); ++g) guestTable(solved, g, out);

  out += renderTerminalMatrix(solved, options);
  return out;
}

}  // namespace apc::backends
