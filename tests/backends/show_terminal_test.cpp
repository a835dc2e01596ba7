// `apc show`'s terminal matrix: folded into blocks that fit the width, the
// blocks together holding exactly the unfolded matrix; the legend wrapped;
// colour only when asked for.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "backends/show_render.h"
#include "tests/backends/fixtures.h"
#include "tests/backends/show_fixtures.h"

namespace apc::backends {
namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

// Reassembles the matrix from its blocks: (adapter label, domain label) ->
// mark, checking that every block lists the same adapters in order.
std::map<std::pair<std::string, std::string>, std::string> cellsOf(const std::string& matrix, std::size_t* blocks) {
  std::map<std::pair<std::string, std::string>, std::string> cells;
  std::vector<std::string> header;
  *blocks = 0;
  for (const std::string& l : lines(matrix)) {
    if (l.rfind("   ", 0) == 0 && l.find_first_not_of(' ') == 3) {  // a block's header
      std::istringstream in(l);
      header.clear();
      for (std::string w; in >> w;) header.push_back(w);
      ++*blocks;
      continue;
    }
    if (header.empty() || l.empty() || l[0] == ' ' || l.rfind("legend", 0) == 0 || l.rfind("matrix", 0) == 0)
      continue;
    std::istringstream in(l);
    std::string adapter;
    in >> adapter;
    std::size_t c = 0;
    for (std::string mark; in >> mark; ++c) {
      EXPECT_LT(c, header.size()) << l;
      if (c < header.size()) {
        EXPECT_TRUE(cells.emplace(std::make_pair(adapter, header[c]), mark).second) << l;
      }
    }
  }
  return cells;
}

TEST(ShowTerminal, Z16FoldsToEveryWidthAndKeepsEveryCell) {
  ir::SolvedPlan s = test::z16Solved();
  std::size_t unfoldedBlocks = 0;
  auto full = cellsOf(renderTerminalMatrix(s, {}), &unfoldedBlocks);
  EXPECT_EQ(unfoldedBlocks, 1u);
  EXPECT_EQ(full.size(), 10u * 85u);
  EXPECT_EQ(full.at({"05", "1d"}), "E");  // web5: adapters 04, 05; domains 0x1d..0x22
  for (std::size_t width : {80u, 100u, 300u}) {
    std::string text = renderTerminalMatrix(s, {width, false});
    for (const std::string& l : lines(text)) EXPECT_LE(l.size(), width) << "width " << width << ": " << l;
    std::size_t blocks = 0;
    EXPECT_EQ(cellsOf(text, &blocks), full) << "width " << width;
    // 2 columns of row label, 3 per domain.
    EXPECT_EQ(blocks, (85 + (width - 2) / 3 - 1) / ((width - 2) / 3)) << "width " << width;
  }
}

// A range header "10-3f" stands for every domain in it: expand it so the
// compressed view can be compared cell by cell with the plain one.
std::map<std::pair<std::string, std::string>, std::string> expandRuns(
    const std::map<std::pair<std::string, std::string>, std::string>& cells) {
  std::map<std::pair<std::string, std::string>, std::string> out;
  for (const auto& [key, mark] : cells) {
    std::size_t dash = key.second.find('-');
    if (dash == std::string::npos) {
      out[key] = mark;
      continue;
    }
    unsigned from = std::stoul(key.second.substr(0, dash), nullptr, 16), to = std::stoul(key.second.substr(dash + 1), nullptr, 16);
    EXPECT_GE(to, from + 2) << key.second;  // runs of 3 or more only
    for (unsigned d = from; d <= to; ++d) {
      char hex[3];
      std::snprintf(hex, sizeof hex, "%02x", d);
      EXPECT_TRUE(out.emplace(std::make_pair(key.first, std::string(hex)), mark).second) << key.second;
    }
  }
  return out;
}

void expectGolden(const std::string& name, const std::string& text) {
  std::filesystem::path p = std::filesystem::path(APC_SOURCE_DIR) / "tests/backends/golden/terminal" / name;
  if (std::getenv("APC_UPDATE_GOLDEN")) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }
  EXPECT_EQ(test::readFile(p), text) << "differs from " << p << " (APC_UPDATE_GOLDEN=1 to accept)";
}

// Issue 11: runs of the same mark compress into range columns, losslessly,
// and the 85-domain host then needs fewer folded blocks at every width.
TEST(ShowTerminal, Z16CompressedRunsAreLosslessAndFoldLess) {
  ir::SolvedPlan s = test::z16Solved();
  std::size_t unfolded = 0;
  auto full = cellsOf(renderTerminalMatrix(s, {}), &unfolded);
  for (std::size_t width : {80u, 100u, 300u}) {
    std::string plain = renderTerminalMatrix(s, {width, false});
    std::string text = renderTerminalMatrix(s, {width, false, true});
    for (const std::string& l : lines(text)) EXPECT_LE(l.size(), width) << "width " << width << ": " << l;
    std::size_t blocks = 0, plainBlocks = 0;
    EXPECT_EQ(expandRuns(cellsOf(text, &blocks)), full) << "width " << width << "\n" << text;
    cellsOf(plain, &plainBlocks);
    EXPECT_LT(blocks, plainBlocks + (width >= 300 ? 1 : 0)) << "width " << width << "\n" << text;
    EXPECT_LE(blocks, plainBlocks);
    EXPECT_LT(text.size(), plain.size() + 100) << text;
    expectGolden("z16-compressed-" + std::to_string(width) + ".txt", text);
  }
  // Colour keeps the same text once the escapes are dropped (checked above
  // for the plain view); here only that runs are coloured too.
  EXPECT_NE(renderTerminalMatrix(s, {100, true, true}).find("\x1b["), std::string::npos);
}

TEST(ShowTerminal, Z16MarksMatchTheAllocation) {
  ir::SolvedPlan s = test::z16Solved();
  std::size_t blocks = 0;
  auto cells = cellsOf(renderTerminalMatrix(s, {80, false}), &blocks);
  EXPECT_EQ(cells.at({"02", "0f"}), "C");   // guest 3 (web3): adapters 02, 03; domains 0x0f..0x14
  EXPECT_EQ(cells.at({"03", "14"}), "C");
  EXPECT_EQ(cells.at({"11", "32"}), "H");   // hsm2: adapters 10, 11; domains 0x32..0x37
  EXPECT_EQ(cells.at({"11", "01"}), ".");   // web1 holds 00 and 01 only
  EXPECT_EQ(cells.at({"00", "00"}), "R");   // reserve *.0000
  EXPECT_EQ(cells.at({"07", "30"}), "h");   // apmask keeps 07
  EXPECT_EQ(cells.at({"06", "54"}), "x");   // offline
  EXPECT_EQ(cells.at({"05", "54"}), ".");   // free
}

TEST(ShowTerminal, LegendWrapsToTheWidth) {
  ir::SolvedPlan s = test::gridSolved(4, 16, 60);
  std::string text = renderTerminalMatrix(s, {80, false});
  for (const std::string& l : lines(text)) EXPECT_LE(l.size(), 80u) << l;
  for (std::size_t g = 1; g <= 60; ++g)
    EXPECT_NE(text.find("g" + std::to_string(g) + "=guest-with-a-long-long-name-" + std::to_string(g)), std::string::npos);
}

TEST(ShowTerminal, ColourOnlyWhenAskedAndOtherwiseTheSameText) {
  ir::SolvedPlan s = test::z16Solved();
  std::string plain = renderTerminalMatrix(s, {100, false});
  std::string coloured = renderTerminalMatrix(s, {100, true});
  EXPECT_EQ(plain.find('\x1b'), std::string::npos);
  ASSERT_NE(coloured.find("\x1b[1;38;5;214mA\x1b[0m"), std::string::npos);  // web1 in Okabe-Ito orange
  std::string stripped;
  for (std::size_t i = 0; i < coloured.size(); ++i) {
    if (coloured[i] == '\x1b') {
      i = coloured.find('m', i);
      continue;
    }
    stripped += coloured[i];
  }
  EXPECT_EQ(stripped, plain);
}

TEST(ShowTerminal, UnlimitedWidthIsTheClassicView) {
  std::string text = renderShow(test::seedSolved(), ShowOptions{});
  EXPECT_EQ(text, renderShow(test::seedSolved()));
  EXPECT_NE(text.find("   04 47 ab ff\n05 A  B  A  B\n"), std::string::npos) << text;
}

}  // namespace
}  // namespace apc::backends
