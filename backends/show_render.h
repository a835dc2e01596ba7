// The renderers of `apc show`: the terminal text, an SVG picture and a
// self-contained HTML page. Each draws a ShowModel (show_matrix.h) only, so a
// plan's picture and a live host's come out of the same code; the SolvedPlan
// overloads are showModelOf() and the model's renderer.
#pragma once

#include <string>
#include <string_view>

#include "backends/show_matrix.h"
#include "compiler/ir/solved_plan.h"

namespace apc::backends {

struct ShowOptions {
  std::size_t width = 0;  // terminal columns the matrix may use; 0: no limit
  bool colour = false;    // ANSI colour (the driver: a TTY without NO_COLOR)
  // Runs of 3 or more adjacent domain columns that read the same in every
  // adapter row become one column headed by their range ("10-3f"), so a
  // wide host takes fewer folded blocks. Lossless: the marks are kept.
  bool compressRuns = false;
};

// The per-guest tables and the matrix, as `apc show` prints them.
std::string renderShow(const ShowModel& model, const ShowOptions& options);
std::string renderShow(const ir::SolvedPlan& solved, const ShowOptions& options);
// The matrix part alone (show_terminal.cpp).
std::string renderTerminalMatrix(const ShowModel& model, const ShowOptions& options);
std::string renderTerminalMatrix(const ir::SolvedPlan& solved, const ShowOptions& options);
// The matrix as an SVG document (show_svg.cpp): fixed integer geometry, so
// the same model gives the same bytes.
std::string renderShowSvg(const ShowModel& model);
std::string renderShowSvg(const ir::SolvedPlan& solved);
// A self-contained HTML page (show_html.cpp): the SVG matrix inline with
// hover texts, the legend, the per-guest tables and print styles.
std::string renderShowHtml(const ShowModel& model);
std::string renderShowHtml(const ir::SolvedPlan& solved);

}  // namespace apc::backends

namespace apc::backends {

// Where the SVG draws the matrix, in CSS pixels from the picture's top-left
// corner: cell (row, col) covers [x0 + col*cell, x0 + (col+1)*cell) and the
// same for y. The cell size starts from the domain count (24 px up to 32
// domains, 18, 14, then 12 px for 129..256) and grows until the longest
// guest mark fits in it at kSvgMarkFontMin px or more ("g1000" needs 29 px),
// so that 256 x 256 with 1,000 guests stays readable: the picture grows.
inline constexpr int kSvgMarkFontMin = 9;
struct SvgGeometry {
  int x0 = 0, y0 = 0, cell = 0, width = 0, height = 0;
};
SvgGeometry svgGeometry(const ShowModel& model);
SvgGeometry svgGeometry(const ir::SolvedPlan& solved);
// The <svg> element alone (no XML declaration), for the HTML page.
std::string renderSvgElement(const ShowModel& model);
// Escapes &, <, >, " and ' for XML/HTML text and attribute values.
std::string xmlEscape(std::string_view s);

}  // namespace apc::backends
