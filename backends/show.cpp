// `apc show`: per guest an lszcrypt-like table, then the host's matrix with
// each queue marked by its owner (a legend maps marks to guest names); the
// matrix itself is show_terminal.cpp's.
#include <algorithm>
#include <cstdio>
#include <map>

#include "backends/backend.h"
#include "backends/show_matrix.h"
#include "backends/show_render.h"

namespace apc::backends {

namespace {

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

void guestTable(const ShowModel& m, std::size_t g, std::string& out) {
  const ShowGuest& guest = m.guests[g];
  out += "guest " + guest.name + "  uuid " + guest.uuid + "  start " + (guest.start.empty() ? "?" : guest.start) +
         "\n";
  out += "CARD.DOMAIN TYPE  MODE\n";
  for (unsigned ad : ir::toVector(guest.adapters)) {
    const ShowRow* row = m.row(ad);
    std::string type = row ? row->type : "?";
    std::string mode = row ? row->mode : "?";
    out += pad(ir::formatCard(ad), 12) + pad(type, 6) + mode + "\n";
    for (unsigned d : ir::toVector(guest.domains))
      out += pad(ir::formatQueue(ad, d), 12) + pad(type, 6) + mode + "\n";
  }
  out += "control domains: " + ir::formatIdList(guest.control) + "\n\n";
}

}  // namespace

std::string renderShow(const ir::SolvedPlan& solved) { return renderShow(showModelOf(solved), ShowOptions{}); }

std::string renderShow(const ir::SolvedPlan& solved, const ShowOptions& options) {
  return renderShow(showModelOf(solved), options);
}

std::string renderShow(const ShowModel& m, const ShowOptions& options) {
  std::string out;
  // A live picture says where it was read, so it is never taken for a plan's.
  if (!m.source.empty()) out += m.source + "\n";
  out += "host " + m.hostName + "  interface " + m.interfaceName + "  crycb format " +
         std::to_string(m.crycbFormat) + "\n";
  if (!m.apmask.empty()) out += "apmask " + m.apmask + "\naqmask " + m.aqmask + "\n";
  out += "\n";
  for (std::size_t g = 0; g < m.guests.size(); ++g) guestTable(m, g, out);

  out += renderTerminalMatrix(m, options);
  return out;
}

}  // namespace apc::backends
