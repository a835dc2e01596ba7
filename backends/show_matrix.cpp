// The shared model of `apc show`'s pictures (see show_matrix.h).
#include "backends/show_matrix.h"

#include <array>
#include <cstdio>

#include "backends/common.h"

namespace apc::backends {

ShowMatrix buildShowMatrix(const ir::SolvedPlan& solved) {
  const ir::Inventory& host = solved.plan.host;
  ShowMatrix m;
  for (const ir::Adapter& a : host.adapters) m.adapters.push_back(&a);
  m.domains = ir::toVector(host.usageDomains);
  std::array<int, 256> col;
  col.fill(-1);
  for (std::size_t c = 0; c < m.domains.size(); ++c) col[m.domains[c]] = static_cast<int>(c);
  std::array<int, 256> row;
  row.fill(-1);
  for (std::size_t r = 0; r < m.adapters.size(); ++r) row[m.adapters[r]->id] = static_cast<int>(r);

  m.cells.assign(m.adapters.size() * m.domains.size(), MatrixCell{});
  ir::QueueSet kept = queueViews(solved).hostKept;
  for (std::size_t r = 0; r < m.adapters.size(); ++r)
    for (std::size_t c = 0; c < m.domains.size(); ++c) {
      unsigned a = m.adapters[r]->id, d = m.domains[c];
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
        if (row[a] >= 0 && col[d] >= 0)
          m.cells[static_cast<std::size_t>(row[a]) * m.domains.size() + static_cast<std::size_t>(col[d])] = {
              CellKind::Guest, g};
  return m;
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

std::string hex2(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02x", v);
  return buf;
}

std::string adapterLabel(const ir::Adapter& a) {
  return hex2(a.id) + " " + a.type.str() + " " + std::string(ir::lszcryptModeName(a.type.mode));
}

}  // namespace apc::backends
