// `apc show --live` against `apc sim` after apply.sh: the live picture is the
// plan's apart from labels (guest names and their order, which the host
// does not know), in text, SVG and HTML; a checkstopped card shows.
#include <algorithm>

#include "e2e_fixture.h"

namespace apc::kmod {
namespace {

// The matrix block of `apc show` text (piped: one block, every column):
// per row the adapter ID and its marks.
std::vector<std::vector<std::string>> gridOf(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text.substr(text.find("\nmatrix:")));
  std::string line;
  bool header = false;
  while (std::getline(in, line)) {
    if (!header) {
      // The column header: nothing but two-digit lower-case hex domain IDs.
      std::istringstream words(line);
      std::size_t n = 0;
      bool ids = line.rfind("   ", 0) == 0;
      for (std::string w; ids && words >> w; ++n)
        ids = w.size() == 2 && w.find_first_not_of("0123456789abcdef") == std::string::npos;
      header = ids && n > 0;
      continue;
    }
    std::istringstream words(line);
    std::vector<std::string> row;
    for (std::string w; words >> w;) row.push_back(w);
    if (!row.empty()) rows.push_back(row);
  }
  return rows;
}

bool isGuestMark(const std::string& m) { return !m.empty() && (std::isupper(static_cast<unsigned char>(m[0])) && m != "R"); }

// The two grids agree cell by cell, guest marks up to one consistent
// renaming, a plan's reserved queue (R) read back as the masks left it:
// kept (h) or, where the plan released it with its adapter, free (.).
void expectSameGrid(const std::string& planText, const std::string& liveText) {
  auto plan = gridOf(planText), live = gridOf(liveText);
  ASSERT_FALSE(plan.empty()) << planText;
  ASSERT_EQ(plan.size(), live.size()) << planText << liveText;
  std::map<std::string, std::string> rename, back;
  for (std::size_t r = 0; r < plan.size(); ++r) {
    ASSERT_EQ(plan[r].size(), live[r].size()) << "row " << plan[r][0] << "\n" << planText << liveText;
    EXPECT_EQ(plan[r][0], live[r][0]);
    for (std::size_t c = 1; c < plan[r].size(); ++c) {
      const std::string &p = plan[r][c], &l = live[r][c];
      if (isGuestMark(p)) {
        ASSERT_TRUE(isGuestMark(l) && l.back() != '!') << "row " << plan[r][0] << " col " << c << ": " << p << " vs " << l;
        auto [it, fresh] = rename.emplace(p, l);
        EXPECT_EQ(it->second, l) << "guest " << p << " drawn as two live guests";
        auto [bt, bfresh] = back.emplace(l, p);
        EXPECT_EQ(bt->second, p) << "live guest " << l << " holds two plan guests' queues";
      } else {
        const bool same = p == "R" ? (l == "h" || l == ".") : p == l;
        EXPECT_TRUE(same) << "row " << plan[r][0] << " col " << c << ": plan " << p << ", live " << l;
      }
    }
  }
}

class ShowLiveE2eTest : public E2eTest {};

TEST_P(ShowLiveE2eTest, LivePictureIsThePlansAfterApply) {
  auto m = mount();
  ASSERT_TRUE(m->ok());
  auto r = script(*m, "apply.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  const std::string empty = dir + "/root";
  fs::create_directories(empty);
  std::map<std::string, std::string> env{{"APC", apcBin()}, {"P", plan}, {"R", m->root()}, {"E", empty}, {"D", dir}};
  auto planShow = runShell("\"$APC\" show \"$P\"", env, 120);
  ASSERT_EQ(planShow.status, 0) << planShow.err;
  auto liveShow = runShell("\"$APC\" show --live --sysfs \"$R\" --root \"$E\"", env, 120);
  ASSERT_EQ(liveShow.status, 0) << liveShow.err;
  EXPECT_EQ(liveShow.out.rfind("live sysfs " + m->root() + "\n", 0), 0u) << liveShow.out;
  expectSameGrid(planShow.out, liveShow.out);
  for (const auto& g : expected["guests"])
    EXPECT_NE(liveShow.out.find("uuid " + g["uuid"].get<std::string>()), std::string::npos) << liveShow.out;
  EXPECT_EQ(liveShow.out.find("A!="), std::string::npos) << "drift after a clean apply:\n" << liveShow.out;

  // The pictures: as many queue cells as the plan's, each with a hover text.
  for (const char* format : {"svg", "html"}) {
    env["F"] = format;
    r = runShell("\"$APC\" show \"$P\" --format $F -o \"$D/plan.$F\" && "
                 "\"$APC\" show --live --sysfs \"$R\" --root \"$E\" --format $F -o \"$D/live.$F\"",
                 env, 120);
    ASSERT_EQ(r.status, 0) << r.out << r.err;
    auto count = [](const std::string& s) {
      std::size_t n = 0;
      for (std::size_t at = 0; (at = s.find("<g><title>", at)) != std::string::npos; ++at) ++n;
      return n;
    };
    std::string planPic = test::readText(dir + "/plan." + format), livePic = test::readText(dir + "/live." + format);
    EXPECT_GT(count(planPic), 0u);
    EXPECT_EQ(count(livePic), count(planPic)) << format;
  }
}

// A card the SE deconfigured or that checkstopped after apply: its queues
// are drift for their guests, the card's state is on its row.
TEST_P(ShowLiveE2eTest, ACheckstoppedCardIsMarked) {
  auto m = mount({"--card-state", "05=checkstop"});
  ASSERT_TRUE(m->ok());
  auto r = script(*m, "apply.sh");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  auto live = runShell("\"$APC\" show --live --sysfs \"$R\" --root \"$E\"",
                       {{"APC", apcBin()}, {"R", m->root()}, {"E", dir}}, 120);
  ASSERT_EQ(live.status, 0) << live.err;
  EXPECT_NE(live.out.find("cards:  05 checkstopped"), std::string::npos) << live.out;
  EXPECT_NE(live.out.find("c=checkstopped"), std::string::npos) << live.out;
  for (const auto& row : gridOf(live.out)) {
    if (row[0] != "05") continue;
    for (std::size_t c = 1; c < row.size(); ++c)
      EXPECT_TRUE(row[c] == "c" || row[c].back() == '!') << "05 col " << c << ": " << row[c] << "\n" << live.out;
  }
}

INSTANTIATE_TEST_SUITE_P(Examples, ShowLiveE2eTest,
                         ::testing::Values(Case{"seed.ap", false}, Case{"seed.ap", true}, Case{"flexible.ap", false},
                                           Case{"flexible.ap", true}),
                         caseName);

}  // namespace
}  // namespace apc::kmod
