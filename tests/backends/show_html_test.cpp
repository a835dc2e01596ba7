// `apc show --format html`: the page is self-contained and carries the
// per-guest tables and print styles; opened in headless Chromium, its
// screenshot shows every queue in its owner's colour at the cell
// svgGeometry places it (the page draws the SVG at its top-left corner).
#include <gtest/gtest.h>

#include <cstdlib>

#include "backends/show_matrix.h"
#include "backends/show_render.h"
#include "tests/backends/fixtures.h"
#include "tests/backends/png_image.h"
#include "tests/backends/show_fixtures.h"

namespace apc::backends {
namespace {

bool near(test::Rgb a, test::Rgb b) {
  auto d = [](int x, int y) { return std::abs(x - y) <= 6; };
  return d(a.r, b.r) && d(a.g, b.g) && d(a.b, b.b);
}

TEST(ShowHtml, SelfContainedWithTablesAndPrintStyles) {
  std::string html = renderShowHtml(test::z16Solved());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  for (const char* external : {"https://", "<script", "<link", "@import", "url(http", "<img"}) {
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  }
  // The only http:// is the SVG namespace name, which is never fetched.
  std::string rest = html;
  for (std::size_t at; (at = rest.find("http://www.w3.org/2000/svg")) != std::string::npos;) rest.erase(at, 26);
  EXPECT_EQ(rest.find("http://"), std::string::npos);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_NE(html.find("<rect width=\"14\" height=\"14\" fill=\"#009e73\"/></svg> C web3</h2>"), std::string::npos);
  EXPECT_NE(html.find("fill=\"#e69f00\"/><rect width=\"14\" height=\"14\" fill=\"url(#p1)\"/></svg> H hsm2</h2>"),
            std::string::npos);  // the eighth guest: orange again, striped
  EXPECT_NE(html.find("<tr><td>02.000f</td><td>CEX8C</td><td>CCA-Coproc</td></tr>"), std::string::npos);
  EXPECT_NE(html.find("<title>02.000f guest web3 (C), CEX8C CCA-Coproc</title>"), std::string::npos);  // hover
  EXPECT_EQ(html, renderShowHtml(test::z16Solved()));
  test::TempDir dir;
  test::writeArtifacts(dir.path, {{"page.html", html}});
  std::string out;
  EXPECT_EQ(test::run("xmllint --html --noout '" + (dir.path / "page.html").string() + "'", &out), 0) << out;
}

TEST(ShowHtml, ChromiumScreenshotShowsTheOwnersColours) {
  if (test::run("command -v chromium >/dev/null") != 0)
    GTEST_SKIP() << "chromium is not installed (tools/setup.sh installs Debian's chromium for this test)";
  ir::SolvedPlan s = test::z16Solved();
  SvgGeometry g = svgGeometry(s);
  test::TempDir dir;
  test::writeArtifacts(dir.path, {{"page.html", renderShowHtml(s)}});
  const std::string png = (dir.path / "shot.png").string();
  std::string out;
  int rc = test::run("cd '" + dir.path.string() + "' && timeout 120 chromium --headless --no-sandbox --disable-gpu " +
                         "--hide-scrollbars --force-device-scale-factor=1 --no-first-run --user-data-dir=profile " +
                         "--window-size=" + std::to_string(g.width) + "," + std::to_string(g.height) +
                         " --screenshot='" + png + "' 'file://" + (dir.path / "page.html").string() + "'",
                     &out);
  ASSERT_EQ(rc, 0) << out;
  std::string error;
  auto img = test::decodePng(test::readFile(png), &error);
  ASSERT_TRUE(img) << error;
  ASSERT_GE(img->width, static_cast<unsigned>(g.width));
  ASSERT_GE(img->height, static_cast<unsigned>(g.y0 + 10 * g.cell));
  ShowModel m = showModelOf(s);
  int guestCells = 0;
  for (std::size_t r = 0; r < m.rows.size(); ++r)
    for (std::size_t c = 0; c < m.domains.size(); ++c) {
      const MatrixCell& cell = m.at(r, c);
      std::string want(cell.kind == CellKind::Guest ? guestColour(cell.guest) : kindFill(cell.kind));
      // A 3 x 3 block one pixel in from the cell's corner: past the grid
      // line, clear of the centred letter. Solid cells are the colour
      // throughout; patterned ones (guests past the seventh) show it
      // between their stripes, dots or hatching.
      const unsigned x0 = static_cast<unsigned>(g.x0 + static_cast<int>(c) * g.cell + 1);
      const unsigned y0 = static_cast<unsigned>(g.y0 + static_cast<int>(r) * g.cell + 1);
      int matching = 0;
      test::Rgb other;
      for (unsigned dy = 0; dy < 3; ++dy)
        for (unsigned dx = 0; dx < 3; ++dx) {
          test::Rgb px = img->at(x0 + dx, y0 + dy);
          if (near(px, test::rgbOf(want))) ++matching;
          else other = px;
        }
      const bool patterned = cell.kind == CellKind::Guest && guestPattern(cell.guest) != 0;
      if (patterned) {
        ASSERT_GT(matching, 0) << "cell " << hex2(m.rows[r].id) << "." << hex2(m.domains[c]) << ": no pixel is "
                               << want << " between the pattern's marks";
      } else {
        ASSERT_EQ(matching, 9) << "cell " << hex2(m.rows[r].id) << "." << hex2(m.domains[c]) << ": screenshot "
                                << test::hexOf(other) << ", expected " << want;
      }
      guestCells += cell.kind == CellKind::Guest;
    }
  EXPECT_EQ(guestCells, 12 * 2 * 6);
}

}  // namespace
}  // namespace apc::backends
