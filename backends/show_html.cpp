// `apc show --format html`: one self-contained page (no scripts, fonts or
// links to fetch): the SVG matrix inline, whose cells name their queue, owner
// and mode on hover; then per guest its queues as a table; print styles keep
// the picture on the first page and the tables unbroken.
#include "backends/show_matrix.h"
#include "backends/show_render.h"

namespace apc::backends {

namespace {

constexpr const char* kStyle =
    "body{margin:0;font-family:monospace;color:#000;background:#fff}\n"
    "svg{display:block}\n"
    "svg .queues g:hover rect{stroke:#000;stroke-width:2}\n"
    "main{padding:8px}\n"
    "h2{font-size:14px;margin:16px 0 4px}\n"
    "table{border-collapse:collapse;margin-bottom:8px}\n"
    "th,td{border:1px solid #999;padding:1px 6px;text-align:left}\n"
    ".swatch{display:inline;vertical-align:middle;outline:1px solid #606060}\n"
    "@media print{svg{max-width:100%;height:auto;page-break-after:always}"
    "section{break-inside:avoid;page-break-inside:avoid}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

void guestSection(const ShowModel& m, std::size_t g, std::string& out) {
  const ShowGuest& guest = m.guests[g];
  const std::size_t count = m.guests.size();
  // The guest's swatch as in the matrix: colour, and past seven guests the
  // pattern the picture's <defs> hold (ids resolve across the document).
  std::string pattern;
  if (std::size_t p = guestPattern(g); p != 0)
    pattern = "<rect width=\"14\" height=\"14\" fill=\"url(#p" + std::to_string(p) + ")\"/>";
  out += "<section id=\"guest-" + std::to_string(g + 1) + "\">\n<h2><svg class=\"swatch\" width=\"14\" height=\"14\">"
         "<rect width=\"14\" height=\"14\" fill=\"" + std::string(guestColour(g)) + "\"/>" + pattern + "</svg> " +
         guestMark(g, count) + " " + xmlEscape(guest.name) + "</h2>\n";
  out += "<p>uuid " + xmlEscape(guest.uuid) + ", start " + (guest.start.empty() ? "?" : xmlEscape(guest.start)) +
         ", control domains " + xmlEscape(ir::formatIdList(guest.control)) + "</p>\n";
  out += "<table>\n<tr><th>CARD.DOMAIN</th><th>TYPE</th><th>MODE</th></tr>\n";
  for (unsigned ad : ir::toVector(guest.adapters)) {
    const ShowRow* row = m.row(ad);
    std::string type = row ? row->type : "?";
    std::string mode = row ? row->mode : "?";
    for (unsigned d : ir::toVector(guest.domains))
      out += "<tr><td>" + ir::formatQueue(ad, d) + "</td><td>" + xmlEscape(type) + "</td><td>" + xmlEscape(mode) +
             "</td></tr>\n";
  }
  out += "</table>\n</section>\n";
}

}  // namespace

std::string renderShowHtml(const ir::SolvedPlan& solved) { return renderShowHtml(showModelOf(solved)); }

std::string renderShowHtml(const ShowModel& m) {
  std::string title = xmlEscape(std::string(m.source.empty() ? "" : "live ") + "apc show: host " + m.hostName);
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + title +
                    "</title>\n<style>\n" + kStyle + "</style>\n</head>\n<body>\n";
  // The picture comes first, at the page's top-left corner: its geometry
  // (svgGeometry) is then the page's, which the screenshot test relies on.
  out += renderSvgElement(m);
  out += "<main>\n";
  if (!m.source.empty()) out += "<p>" + xmlEscape(m.source) + "</p>\n";
  if (!m.apmask.empty()) out += "<p>apmask " + m.apmask + "<br>aqmask " + m.aqmask + "</p>\n";
  for (std::size_t g = 0; g < m.guests.size(); ++g) guestSection(m, g, out);
  out += "</main>\n</body>\n</html>\n";
  return out;
}

}  // namespace apc::backends
