// The shared model of `apc show`'s pictures (see show_matrix.h).
#include "backends/show_matrix.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "backends/common.h"

namespace apc::backends {

ShowModel showModelOf(const ir::SolvedPlan& solved) {
  const ir::Plan& plan = solved.plan;
  const ir::Inventory& host = plan.host;
  ShowModel m;
  m.hostName = host.name;
  m.interfaceName = std::string(ir::interfaceName(host.interface));
  m.crycbFormat = host.crycbFormat;
  if (host.interface == ir::Interface::Modern) {
    m.apmask = ir::formatMask(solved.apmask);
    m.aqmask = ir::formatMask(solved.aqmask);
  }
  for (const ir::Adapter& a : host.adapters)
    m.rows.push_back({a.id, a.type.str(), std::string(ir::lszcryptModeName(a.type.mode)), HwState::Ok});
  m.domains = ir::toVector(host.usageDomains);
  for (std::size_t g = 0; g < plan.guests.size(); ++g) {
    const ir::GuestAllocation& a = solved.alloc[g];
    m.guests.push_back({plan.guests[g].name, a.uuid, std::string(ir::startName(plan.guests[g].start)), a.adapters,
                        a.domains, admOf(a)});
  }
  std::array<int, 256> col;
  col.fill(-1);
  for (std::size_t c = 0; c < m.domains.size(); ++c) col[m.domains[c]] = static_cast<int>(c);
  std::array<int, 256> row;
  row.fill(-1);
  for (std::size_t r = 0; r < m.rows.size(); ++r) row[m.rows[r].id] = static_cast<int>(r);

  m.cells.assign(m.rows.size() * m.domains.size(), MatrixCell{});
  ir::QueueSet kept = queueViews(solved).hostKept;
  for (std::size_t r = 0; r < m.rows.size(); ++r)
    for (std::size_t c = 0; c < m.domains.size(); ++c) {
      unsigned a = m.rows[r].id, d = m.domains[c];
      MatrixCell& cell = m.cells[r * m.domains.size() + c];
      if (host.offlineQueues.contains(a, d)) cell.kind = CellKind::Offline;
      else if (host.reservedQueues.contains(a, d)) cell.kind = CellKind::Reserved;
      else if (kept.contains(a, d)) cell.kind = CellKind::HostKept;
    }
  // Guests last: a guest's queue wins over every other kind (queues are
  // unique to one guest, a solver invariant).
  for (std::size_t g = 0; g < solved.alloc.size(); ++g)
    for (unsigned a : ir::toVector(solved.alloc[g].adapters))
      for (unsigned d : ir::toVector(solved.alloc[g].domains))
        if (row[a] >= 0 && col[d] >= 0) {
          MatrixCell& cell =
              m.cells[static_cast<std::size_t>(row[a]) * m.domains.size() + static_cast<std::size_t>(col[d])];
          cell.kind = CellKind::Guest;
          cell.guest = g;
        }
  return m;
}

const ShowRow* ShowModel::row(unsigned id) const {
  for (const ShowRow& r : rows)
    if (r.id == id) return &r;
  return nullptr;
}

bool ShowModel::anyDrift() const {
  return std::any_of(cells.begin(), cells.end(), [](const MatrixCell& c) { return c.drift; });
}

bool ShowModel::anyState(HwState s) const {
  return std::any_of(rows.begin(), rows.end(), [s](const ShowRow& r) { return r.state == s; }) ||
         std::any_of(cells.begin(), cells.end(), [s](const MatrixCell& c) { return c.state == s; });
}

std::string cellMark(const ShowModel& m, const MatrixCell& cell) {
  if (cell.kind == CellKind::Guest) return guestMark(cell.guest, m.guests.size()) + (cell.drift ? "!" : "");
  if (cell.state == HwState::Checkstopped) return "c";
  if (cell.state == HwState::Deconfigured) return "d";
  return std::string(1, kindMark(cell.kind));
}

std::string guestMark(std::size_t g, std::size_t guestCount) {
  if (guestCount <= 26) return std::string(1, static_cast<char>('A' + g));
  return "g" + std::to_string(g + 1);
}

char kindMark(CellKind k) {
  switch (k) {
    case CellKind::Offline: return 'x';
    case CellKind::Reserved: return 'R';
    case CellKind::HostKept: return 'h';
    case CellKind::Free: return '.';
    case CellKind::Guest: break;
  }
  return '?';
}

namespace {
// Okabe & Ito (2008), "Color Universal Design": orange, sky blue, bluish
// green, yellow, blue, vermillion, reddish purple.
constexpr std::array<std::string_view, kGuestColours> kOkabeIto = {"#e69f00", "#56b4e9", "#009e73", "#f0e442",
                                                                   "#0072b2", "#d55e00", "#cc79a7"};
// Black text on the light hues, white on blue, vermillion and green.
constexpr std::array<std::string_view, kGuestColours> kInk = {"#000000", "#000000", "#ffffff", "#000000",
                                                              "#ffffff", "#ffffff", "#000000"};
}  // namespace

std::string_view guestColour(std::size_t g) { return kOkabeIto[g % kGuestColours]; }
std::size_t guestPattern(std::size_t g) { return (g / kGuestColours) % kGuestPatterns; }
std::string_view guestInk(std::size_t g) { return kInk[g % kGuestColours]; }

std::string_view kindFill(CellKind k) {
  switch (k) {
    case CellKind::Free: return "#ffffff";
    case CellKind::HostKept: return "#d0d0d0";
    case CellKind::Reserved: return "#8c8c8c";
    case CellKind::Offline: return "#303030";
    case CellKind::Guest: break;
  }
  return "#ff00ff";
}

std::string_view stateFill(HwState s) {
  switch (s) {
    case HwState::Deconfigured: return "#f4b6b6";
    case HwState::Checkstopped: return "#a01818";
    case HwState::Ok: break;
  }
  return "#ff00ff";
}

std::string_view cellFill(const MatrixCell& c) {
  if (c.kind == CellKind::Guest) return guestColour(c.guest);
  if (c.state != HwState::Ok) return stateFill(c.state);
  return kindFill(c.kind);
}

std::string_view stateName(HwState s) {
  switch (s) {
    case HwState::Deconfigured: return "deconfigured";
    case HwState::Checkstopped: return "checkstopped";
    case HwState::Ok: break;
  }
  return "";
}

std::string hex2(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02x", v);
  return buf;
}

std::string adapterLabel(const ShowRow& r) {
  std::string label = hex2(r.id) + " " + r.type + " " + r.mode;
  if (r.state != HwState::Ok) label += " (" + std::string(stateName(r.state)) + ")";
  return label;
}

std::string adapterLabel(const ir::Adapter& a) {
  return adapterLabel(ShowRow{a.id, a.type.str(), std::string(ir::lszcryptModeName(a.type.mode)), HwState::Ok});
}

}  // namespace apc::backends
