// `apc show --format svg`: the picture's cells carry their owners' colours
// at the geometry svgGeometry promises, the document is well-formed XML,
// identical bytes every run, and a 256 x 256 host with 1,000 guests keeps
// legible cells and a legend that wraps inside the picture. The spec
// examples' SVGs are golden files (backends_golden_test).
#include <gtest/gtest.h>

#include <regex>

#include "backends/show_matrix.h"
#include "backends/show_render.h"
#include "tests/backends/fixtures.h"
#include "tests/backends/show_fixtures.h"

namespace apc::backends {
namespace {

// The fill of the first rect at exactly (x, y), or "" when none is there.
std::string fillAt(const std::string& svg, int x, int y) {
  std::string key = "<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" ";
  auto at = svg.find(key);
  if (at == std::string::npos) return "";
  auto f = svg.find("fill=\"", at);
  return svg.substr(f + 6, 7);
}

TEST(ShowSvg, CellsHaveTheirOwnersColoursAndHoverTexts) {
  ir::SolvedPlan s = test::z16Solved();
  std::string svg = renderShowSvg(s);
  SvgGeometry g = svgGeometry(s);
  EXPECT_EQ(g.cell, 14);  // 85 domains
  ShowModel m = showModelOf(s);
  for (std::size_t r = 0; r < m.rows.size(); ++r)
    for (std::size_t c = 0; c < m.domains.size(); ++c) {
      const MatrixCell& cell = m.at(r, c);
      std::string want(cell.kind == CellKind::Guest ? guestColour(cell.guest) : kindFill(cell.kind));
      ASSERT_EQ(fillAt(svg, g.x0 + static_cast<int>(c) * g.cell, g.y0 + static_cast<int>(r) * g.cell), want)
          << "row " << r << " col " << c;
    }
  // web3 owns 02.000f: a distinct Okabe-Ito hue, its mark, and the hover text.
  EXPECT_EQ(fillAt(svg, g.x0 + 0x0f * g.cell, g.y0 + 2 * g.cell), "#009e73");
  EXPECT_NE(svg.find("<title>02.000f guest web3 (C), CEX8C CCA-Coproc</title>"), std::string::npos);
  EXPECT_NE(svg.find("<title>07.0030 kept by the host, CEX8A Accelerator</title>"), std::string::npos);
  EXPECT_NE(svg.find(">10 CEX8P EP11-Coproc</text>"), std::string::npos);  // row label: hex, type, mode
  EXPECT_NE(svg.find("rotate(-90"), std::string::npos);
  EXPECT_NE(svg.find(">54</text>"), std::string::npos);  // the last domain, in hex
  EXPECT_NE(svg.find(">L spare</text>"), std::string::npos);  // legend
}

TEST(ShowSvg, WellFormedAndDeterministic) {
  test::TempDir dir;
  for (const ir::SolvedPlan& s : {test::seedSolved(), test::z16Solved(), test::hostileSolved(ir::Interface::Modern)}) {
    std::string svg = renderShowSvg(s);
    EXPECT_EQ(svg, renderShowSvg(s));
    std::filesystem::path p = dir.path / "m.svg";
    test::writeArtifacts(dir.path, {{"m.svg", svg}});
    std::string out;
    EXPECT_EQ(test::run("xmllint --noout '" + p.string() + "'", &out), 0) << out;
  }
}

TEST(ShowSvg, LargeHostStaysLegible) {
  ir::SolvedPlan s = test::gridSolved(256, 256, 1000);
  std::string svg = renderShowSvg(s);
  SvgGeometry g = svgGeometry(s);
  EXPECT_EQ(g.cell, 12);
  EXPECT_GE(g.width, g.x0 + 256 * 12);
  // Guest 1000 (g1000) sits at adapter 999 % 256, domain 999 / 256, in the
  // colour and pattern of index 999.
  const int x = g.x0 + (999 / 256) * g.cell, y = g.y0 + (999 % 256) * g.cell;
  EXPECT_EQ(fillAt(svg, x, y), std::string(guestColour(999)));
  EXPECT_NE(svg.find("<rect x=\"" + std::to_string(x) + "\" y=\"" + std::to_string(y) + "\" width=\"12\" height=\"12\" fill=\"url(#p" +
                     std::to_string(guestPattern(999)) + ")\"/>"),
            std::string::npos);
  // Every legend entry lies inside the picture: x + entry width <= width.
  std::regex legendText("<text x=\"([0-9]+)\" y=\"([0-9]+)\">g([0-9]+) ");
  int entries = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), legendText); it != std::sregex_iterator(); ++it) {
    ++entries;
    EXPECT_LT(std::stoi((*it)[1]), g.width);
    EXPECT_LT(std::stoi((*it)[2]), g.height);
  }
  EXPECT_EQ(entries, 1000);
  EXPECT_NE(svg.find("guest-with-a-long-lon..."), std::string::npos);  // long names are cut in the legend
}

TEST(ShowSvg, FewGuestsNeedNoPattern) {
  std::string svg = renderShowSvg(test::seedSolved());
  EXPECT_EQ(svg.find("url(#p"), std::string::npos);
  EXPECT_EQ(guestPattern(6), 0u);
  EXPECT_EQ(guestPattern(7), 1u);
  EXPECT_NE(guestColour(0), guestColour(1));
}

}  // namespace
}  // namespace apc::backends
