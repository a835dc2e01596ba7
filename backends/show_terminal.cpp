// `apc show`'s matrix for a terminal: rows of marks, folded into blocks of
// domain columns when the host is wider than the terminal, the legend
// wrapped to the same width, and ANSI colour only when the caller asks (a
// TTY without NO_COLOR: the driver decides, this stays a pure function).
#include <algorithm>
#include <array>
#include <string_view>

#include "backends/show_matrix.h"
#include "backends/show_render.h"

namespace apc::backends {

namespace {

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

// xterm-256 approximations of the Okabe-Ito hues (same order as guestColour).
constexpr std::array<int, kGuestColours> kAnsi256 = {214, 74, 36, 227, 25, 166, 175};

std::string colourise(const std::string& mark, const MatrixCell& cell, bool colour) {
  if (!colour) return mark;
  if (cell.kind != CellKind::Guest && cell.state != HwState::Ok) return "\x1b[1;31m" + mark + "\x1b[0m";
  switch (cell.kind) {
    case CellKind::Guest:
      // A drifting queue: the owner's hue, reversed, so it stands out.
      return std::string(cell.drift ? "\x1b[1;7;38;5;" : "\x1b[1;38;5;") +
             std::to_string(kAnsi256[cell.guest % kGuestColours]) + "m" + mark + "\x1b[0m";
    case CellKind::HostKept:
    case CellKind::Free: return "\x1b[2m" + mark + "\x1b[0m";
    case CellKind::Reserved: return "\x1b[1;33m" + mark + "\x1b[0m";
    case CellKind::Offline: return "\x1b[1;31m" + mark + "\x1b[0m";
  }
  return mark;
}

// Appends `items` joined by `sep` after `prefix`, starting a new line
// (indented by eight blanks) before an item that would pass `width` (0: no
// limit). An item wider than the line still goes on a line of its own.
void wrapItems(const std::vector<std::string>& items, const std::string& prefix, std::string_view sep,
               std::size_t width, std::string& out) {
  const std::string indent(8, ' ');
  std::string line = prefix;
  bool atStart = true;
  for (const std::string& item : items) {
    std::size_t add = (atStart ? 0 : sep.size()) + item.size();
    if (!atStart && width != 0 && line.size() + add > width) {
      out += line + "\n";
      line = indent;
      atStart = true;
    }
    if (!atStart) line += sep;
    line += item;
    atStart = false;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  out += line + "\n";
}

// A printed column: domain columns [first, last] of the matrix, identical in
// every row when there are several.
struct Column {
  std::size_t first = 0, last = 0;
  std::string label;  // "1d", or "10-3f" for a run
};

bool sameColumn(const ShowModel& m, std::size_t a, std::size_t b) {
  for (std::size_t r = 0; r < m.rows.size(); ++r)
    if (cellMark(m, m.at(r, a)) != cellMark(m, m.at(r, b))) return false;
  return true;
}

std::vector<Column> columnsOf(const ShowModel& m, bool compress) {
  std::vector<Column> out;
  for (std::size_t c = 0; c < m.domains.size();) {
    std::size_t end = c;
    // A run only over consecutive domain IDs, so "10-3f" means every ID in it.
    while (compress && end + 1 < m.domains.size() && m.domains[end + 1] == m.domains[end] + 1 &&
           sameColumn(m, c, end + 1))
      ++end;
    if (end - c + 1 < 3) end = c;
    out.push_back({c, end, end == c ? hex2(m.domains[c]) : hex2(m.domains[c]) + "-" + hex2(m.domains[end])});
    c = end + 1;
  }
  return out;
}

}  // namespace

std::string renderTerminalMatrix(const ir::SolvedPlan& solved, const ShowOptions& options) {
  return renderTerminalMatrix(showModelOf(solved), options);
}

std::string renderTerminalMatrix(const ShowModel& m, const ShowOptions& options) {
  const std::size_t count = m.guests.size();
  std::size_t cellWidth = 2;
  for (std::size_t r = 0; r < m.rows.size(); ++r)
    for (std::size_t c = 0; c < m.domains.size(); ++c) cellWidth = std::max(cellWidth, cellMark(m, m.at(r, c)).size());
  for (std::size_t g = 0; g < count; ++g) cellWidth = std::max(cellWidth, guestMark(g, count).size());

  std::string out = "matrix: adapters as rows, the host's usage domains as columns\n";
  std::vector<std::string> legend;
  for (std::size_t g = 0; g < count; ++g) legend.push_back(guestMark(g, count) + "=" + m.guests[g].name);
  wrapItems(legend, "legend: ", " ", options.width, out);
  wrapItems({"h=kept by the host", "R=reserved", "x=offline", ".=free (vfio_ap, no guest)"}, "        ", "  ",
            options.width, out);
  // The live marks, only when the picture has them (a plan's never does).
  std::vector<std::string> live;
  if (m.anyDrift()) live.push_back("A!=assigned to A, not usable by it (drift)");
  if (m.anyState(HwState::Deconfigured)) live.push_back("d=deconfigured");
  if (m.anyState(HwState::Checkstopped)) live.push_back("c=checkstopped");
  if (!live.empty()) wrapItems(live, "        ", "  ", options.width, out);
  std::vector<std::string> cards;
  for (const ShowRow& r : m.rows)
    if (r.state != HwState::Ok) cards.push_back(hex2(r.id) + " " + std::string(stateName(r.state)));
  if (!cards.empty()) wrapItems(cards, "cards:  ", ", ", options.width, out);

  if (options.compressRuns)
    out += "        10-3f=domains 0x10..0x3f, the same in every row\n";

  // Blocks of columns: the row label takes 2, each column 1 + its width.
  std::vector<Column> cols = columnsOf(m, options.compressRuns);
  auto widthOf = [&](const Column& c) { return std::max(cellWidth, c.label.size()); };
  std::vector<std::pair<std::size_t, std::size_t>> blocks;  // [first, last) into cols
  for (std::size_t i = 0; i < cols.size();) {
    std::size_t used = 2, j = i;
    while (j < cols.size() && (j == i || options.width == 0 || used + 1 + widthOf(cols[j]) <= options.width))
      used += 1 + widthOf(cols[j++]);
    blocks.push_back({i, j});
    i = j;
  }
  if (blocks.empty()) blocks.push_back({0, 0});
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    auto [first, last] = blocks[b];
    if (b != 0) out += "\n";
    std::string head = "  ";
    for (std::size_t c = first; c < last; ++c) head += " " + pad(cols[c].label, widthOf(cols[c]));
    while (!head.empty() && head.back() == ' ') head.pop_back();
    out += head + "\n";
    for (std::size_t r = 0; r < m.rows.size(); ++r) {
      std::string row = hex2(m.rows[r].id);
      std::string tail;  // trailing blanks are dropped, so pad lazily
      for (std::size_t c = first; c < last; ++c) {
        const MatrixCell& cell = m.at(r, cols[c].first);
        std::string mark = cellMark(m, cell);
        row += tail + " " + colourise(mark, cell, options.colour);
        tail.assign(widthOf(cols[c]) - mark.size(), ' ');
      }
      out += row + "\n";
    }
  }
  return out;
}

}  // namespace apc::backends
