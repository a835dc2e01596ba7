// `apc show --format svg`: the matrix as a picture. Each queue is a square in
// its owner's colour (Okabe-Ito; past seven guests also a pattern) with the
// owner's mark when it fits; host-kept, reserved, offline and free queues in
// four greys; rows labelled "05 CEX8C CCA-Coproc", columns with the domain in
// hex; a legend that wraps below. Every coordinate is an integer computed
// from counts, so the bytes depend on the plan only.
#include <algorithm>

#include "backends/show_matrix.h"
#include "backends/show_render.h"

namespace apc::backends {

namespace {

constexpr int kMargin = 8;
constexpr int kTitleHeight = 28;
constexpr int kLabelFont = 12;
constexpr int kCharWidth = 8;  // generous for a 12 px monospace glyph
constexpr int kLegendRow = 20;
constexpr int kSwatch = 14;
constexpr std::size_t kLegendNameMax = 32;

// The base cell size by domain count, before the marks' needs.
int baseCellSize(std::size_t domains) {
  if (domains <= 32) return 24;
  if (domains <= 64) return 18;
  if (domains <= 128) return 14;
  return 12;
}

// The mark font in a cell of size s for marks of up to `chars` glyphs: 55 %
// of the cell, less until the mark fits (0.6 em a monospace glyph, one
// pixel of air each side).
int markFontFor(int s, std::size_t chars) {
  int font = s * 55 / 100;
  while (font > 0 && static_cast<int>(chars) * font * 6 / 10 > s - 2) --font;
  return font;
}

// The cell size: the base size, grown until the longest mark fits at
// kSvgMarkFontMin, so that every cell's mark stays readable (the picture
// grows instead; the HTML page scrolls).
int cellSize(std::size_t domains, std::size_t markChars) {
  int s = baseCellSize(domains);
  while (markFontFor(s, markChars) < kSvgMarkFontMin) ++s;
  return s;
}

// The longest mark a cell can carry: the last guest's, plus '!' when a
// queue drifts; at least one glyph for the hardware-state letters.
std::size_t longestMark(const ShowModel& m) {
  std::size_t n = m.guests.empty() ? 1 : guestMark(m.guests.size() - 1, m.guests.size()).size();
  return n + (m.anyDrift() ? 1 : 0);
}

std::string num(int v) { return std::to_string(v); }

std::string kindName(CellKind k) {
  switch (k) {
    case CellKind::Free: return "free (vfio_ap, no guest)";
    case CellKind::HostKept: return "kept by the host";
    case CellKind::Reserved: return "reserved";
    case CellKind::Offline: return "offline";
    case CellKind::Guest: break;
  }
  return "";
}

// A long name is cut in the middle, so that the end, which tells names of
// one family apart ("web-frontend-17"), stays; the hover text has it whole.
std::string legendName(const std::string& name) {
  if (name.size() <= kLegendNameMax) return name;
  const std::size_t head = (kLegendNameMax - 3) / 2, tail = kLegendNameMax - 3 - head;
  return name.substr(0, head) + "..." + name.substr(name.size() - tail);
}

std::string titleText(const ShowModel& m) {
  return std::string(m.source.empty() ? "" : "live ") + "host " + m.hostName + "  interface " + m.interfaceName +
         "  " + std::to_string(m.rows.size()) + " adapters x " + std::to_string(m.domains.size()) + " domains, " +
         std::to_string(m.guests.size()) + " guests";
}

// The legend's entries: the four kinds, the live marks the picture has, then
// every guest.
struct LegendEntry {
  MatrixCell cell;
  std::string text;
};

std::vector<LegendEntry> legendEntries(const ShowModel& m) {
  std::vector<LegendEntry> out;
  for (CellKind k : {CellKind::Free, CellKind::HostKept, CellKind::Reserved, CellKind::Offline})
    out.push_back({MatrixCell{k, 0, false, HwState::Ok}, kindName(k)});
  if (m.anyDrift())
    out.push_back({MatrixCell{CellKind::Guest, 0, true, HwState::Ok}, guestMark(0, m.guests.size()) + "! assigned, not usable (drift)"});
  for (HwState s : {HwState::Deconfigured, HwState::Checkstopped})
    if (m.anyState(s)) out.push_back({MatrixCell{CellKind::Free, 0, false, s}, std::string(stateName(s))});
  const std::size_t count = m.guests.size();
  for (std::size_t g = 0; g < count; ++g)
    out.push_back({MatrixCell{CellKind::Guest, g, false, HwState::Ok},
                   guestMark(g, count) + " " + legendName(m.guests[g].name)});
  return out;
}

struct Layout {
  SvgGeometry g;
  int markFont = 0;
  int columnLabelHeight = 0;
  int legendTop = 0, entryWidth = 0, perRow = 1;
  std::size_t legendEntries = 0;
};

Layout layout(const ShowModel& m) {
  Layout l;
  l.g.cell = cellSize(m.domains.size(), longestMark(m));
  l.markFont = markFontFor(l.g.cell, longestMark(m));
  std::size_t label = 0;
  for (const ShowRow& r : m.rows) label = std::max(label, adapterLabel(r).size());
  l.columnLabelHeight = 2 * kCharWidth + 8;
  l.g.x0 = kMargin + static_cast<int>(label) * kCharWidth + 8;
  l.g.y0 = kTitleHeight + l.columnLabelHeight;
  int gridW = static_cast<int>(m.domains.size()) * l.g.cell;
  int gridH = static_cast<int>(m.rows.size()) * l.g.cell;
  std::vector<LegendEntry> entries = legendEntries(m);
  std::size_t entryChars = 26;  // the widest kind name
  for (const LegendEntry& e : entries) entryChars = std::max(entryChars, e.text.size());
  l.entryWidth = kSwatch + 6 + static_cast<int>(entryChars) * kCharWidth + 12;
  // Wide enough for the grid, two legend entries and the title (14 px bold
  // monospace: at most 9 px a glyph).
  l.g.width = std::max({l.g.x0 + gridW + kMargin, 2 * kMargin + 2 * l.entryWidth,
                        2 * kMargin + static_cast<int>(titleText(m).size()) * 9});
  l.perRow = std::max(1, (l.g.width - 2 * kMargin) / l.entryWidth);
  l.legendTop = l.g.y0 + gridH + 16;
  l.legendEntries = entries.size();
  int rows = static_cast<int>((l.legendEntries + static_cast<std::size_t>(l.perRow) - 1) / static_cast<std::size_t>(l.perRow));
  l.g.height = l.legendTop + rows * kLegendRow + kMargin;
  return l;
}

// Pattern overlays for guests 8..28: stripes, dots, cross-hatch.
std::string patternDefs() {
  return "<defs>\n"
         "<pattern id=\"p1\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><path d=\"M0 6L6 0\" "
         "stroke=\"#000000\" stroke-opacity=\"0.45\" stroke-width=\"1.5\"/></pattern>\n"
         "<pattern id=\"p2\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><circle cx=\"3\" cy=\"3\" "
         "r=\"1.3\" fill=\"#000000\" fill-opacity=\"0.45\"/></pattern>\n"
         "<pattern id=\"p3\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><path d=\"M0 0L6 6M0 6L6 0\" "
         "stroke=\"#000000\" stroke-opacity=\"0.45\" stroke-width=\"1\"/></pattern>\n"
         "</defs>\n";
}

std::string fillOf(const MatrixCell& c) { return std::string(cellFill(c)); }

std::string cellTitle(const ShowModel& m, std::size_t r, std::size_t c) {
  const MatrixCell& cell = m.at(r, c);
  const ShowRow& a = m.rows[r];
  std::string who = cell.kind == CellKind::Guest
                        ? "guest " + m.guests[cell.guest].name + " (" + guestMark(cell.guest, m.guests.size()) + ")"
                        : kindName(cell.kind);
  if (cell.drift) who += ", assigned but not usable by the guest (drift)";
  if (cell.state != HwState::Ok) who += ", " + std::string(stateName(cell.state));
  return ir::formatQueue(a.id, m.domains[c]) + " " + who + ", " + a.type + " " + a.mode;
}

// One guest's (or kind's) square at (x, y), size s, with its mark in
// markFont px (0: no mark; the layout sized the cell so every mark fits).
void swatch(std::string& out, int x, int y, int s, const MatrixCell& c, std::size_t count, int markFont) {
  const bool withMark = markFont > 0;
  out += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(s) + "\" height=\"" + num(s) +
         "\" fill=\"" + fillOf(c) + "\"/>";
  if (c.kind != CellKind::Guest) {
    // A queue in a hardware state: its letter, as the terminal prints it.
    if (c.state == HwState::Ok || !withMark) return;
    const int font = markFont;
    out += "<text x=\"" + num(x + s / 2) + "\" y=\"" + num(y + s / 2 + font * 35 / 100) + "\" font-size=\"" +
           num(font) + "\" text-anchor=\"middle\" fill=\"" +
           (c.state == HwState::Checkstopped ? "#ffffff" : "#000000") + "\">" +
           (c.state == HwState::Checkstopped ? "c" : "d") + "</text>";
    return;
  }
  // Drift: the owner's colour outlined in red, the mark followed by '!'.
  if (c.drift)
    out += "<rect x=\"" + num(x + 1) + "\" y=\"" + num(y + 1) + "\" width=\"" + num(s - 2) + "\" height=\"" +
           num(s - 2) + "\" fill=\"none\" stroke=\"" + std::string(kDriftStroke) + "\" stroke-width=\"2\"/>";
  if (std::size_t p = guestPattern(c.guest); p != 0)
    out += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(s) + "\" height=\"" + num(s) +
           "\" fill=\"url(#p" + std::to_string(p) + ")\"/>";
  if (!withMark) return;
  std::string mark = guestMark(c.guest, count) + (c.drift ? "!" : "");
  const int font = markFont;
  out += "<text x=\"" + num(x + s / 2) + "\" y=\"" + num(y + s / 2 + font * 35 / 100) + "\" font-size=\"" +
         num(font) + "\" text-anchor=\"middle\" fill=\"" + std::string(guestInk(c.guest)) + "\">" + mark +
         "</text>";
}

}  // namespace

std::string xmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

SvgGeometry svgGeometry(const ir::SolvedPlan& solved) { return svgGeometry(showModelOf(solved)); }
SvgGeometry svgGeometry(const ShowModel& m) { return layout(m).g; }

std::string renderSvgElement(const ShowModel& m) {
  Layout l = layout(m);
  const int cell = l.g.cell;
  const std::size_t count = m.guests.size();
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(l.g.width) + "\" height=\"" +
                    num(l.g.height) + "\" viewBox=\"0 0 " + num(l.g.width) + " " + num(l.g.height) +
                    "\" font-family=\"monospace\" font-size=\"" + num(kLabelFont) + "\">\n";
  out += "<title>" + xmlEscape(std::string(m.source.empty() ? "" : "live ") + "host " + m.hostName + ": queue matrix") +
         "</title>\n";
  out += patternDefs();
  out += "<rect width=\"" + num(l.g.width) + "\" height=\"" + num(l.g.height) + "\" fill=\"#ffffff\"/>\n";
  out += "<text x=\"" + num(kMargin) + "\" y=\"19\" font-size=\"14\" font-weight=\"bold\">" +
         xmlEscape(titleText(m)) + "</text>\n";

  // Column labels: the domain in hex, turned upright to fit narrow cells.
  out += "<g class=\"domains\">\n";
  for (std::size_t c = 0; c < m.domains.size(); ++c) {
    int x = l.g.x0 + static_cast<int>(c) * cell + cell / 2 + 4;
    int y = l.g.y0 - 4;
    out += "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\" transform=\"rotate(-90 " + num(x) + " " + num(y) +
           ")\">" + hex2(m.domains[c]) + "</text>\n";
  }
  out += "</g>\n<g class=\"adapters\">\n";
  for (std::size_t r = 0; r < m.rows.size(); ++r)
    out += "<text x=\"" + num(kMargin) + "\" y=\"" + num(l.g.y0 + static_cast<int>(r) * cell + cell / 2 + 4) +
           "\">" + xmlEscape(adapterLabel(m.rows[r])) + "</text>\n";
  out += "</g>\n<g class=\"queues\">\n";
  for (std::size_t r = 0; r < m.rows.size(); ++r)
    for (std::size_t c = 0; c < m.domains.size(); ++c) {
      out += "<g><title>" + xmlEscape(cellTitle(m, r, c)) + "</title>";
      swatch(out, l.g.x0 + static_cast<int>(c) * cell, l.g.y0 + static_cast<int>(r) * cell, cell, m.at(r, c), count,
             l.markFont);
      out += "</g>\n";
    }
  out += "</g>\n";
  // Grid: white lines between cells, one path.
  int gridW = static_cast<int>(m.domains.size()) * cell, gridH = static_cast<int>(m.rows.size()) * cell;
  out += "<path fill=\"none\" stroke=\"#ffffff\" stroke-width=\"1\" d=\"";
  for (std::size_t c = 0; c <= m.domains.size(); ++c)
    out += "M" + num(l.g.x0 + static_cast<int>(c) * cell) + " " + num(l.g.y0) + "v" + num(gridH);
  for (std::size_t r = 0; r <= m.rows.size(); ++r)
    out += "M" + num(l.g.x0) + " " + num(l.g.y0 + static_cast<int>(r) * cell) + "h" + num(gridW);
  out += "\"/>\n";
  out += "<rect x=\"" + num(l.g.x0) + "\" y=\"" + num(l.g.y0) + "\" width=\"" + num(gridW) + "\" height=\"" +
         num(gridH) + "\" fill=\"none\" stroke=\"#606060\" stroke-width=\"1\"/>\n";

  // Legend: the four kinds, the live marks present, then every guest,
  // wrapped into rows.
  out += "<g class=\"legend\">\n";
  std::vector<LegendEntry> entries = legendEntries(m);
  for (std::size_t i = 0; i < l.legendEntries; ++i) {
    int x = kMargin + static_cast<int>(i % static_cast<std::size_t>(l.perRow)) * l.entryWidth;
    int y = l.legendTop + static_cast<int>(i / static_cast<std::size_t>(l.perRow)) * kLegendRow;
    const MatrixCell& c = entries[i].cell;
    const std::string& text = entries[i].text;
    const bool isGuest = c.kind == CellKind::Guest && !c.drift;
    out += "<g>";
    if (isGuest) out += "<title>" + xmlEscape("guest " + m.guests[c.guest].name) + "</title>";
    swatch(out, x, y, kSwatch, c, count, 0);
    if (c.kind != CellKind::Guest)
      out += "<rect x=\"" + num(x) + "\" y=\"" + num(y) + "\" width=\"" + num(kSwatch) + "\" height=\"" +
             num(kSwatch) + "\" fill=\"none\" stroke=\"#606060\"/>";
    out += "<text x=\"" + num(x + kSwatch + 6) + "\" y=\"" + num(y + 11) + "\">" + xmlEscape(text) + "</text></g>\n";
  }
  out += "</g>\n</svg>\n";
  return out;
}

std::string renderShowSvg(const ir::SolvedPlan& solved) { return renderShowSvg(showModelOf(solved)); }

std::string renderShowSvg(const ShowModel& m) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + renderSvgElement(m);
}

}  // namespace apc::backends
