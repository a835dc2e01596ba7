// `apc show --live`'s model (backends/live/show_live.h) over a fake sysfs
// tree: an applied host draws the plan's picture (apart from labels), and
// the queues a guest cannot use, deconfigured and checkstopped ones are
// marked. Golden files hold the live text of the drift cases.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>

#include "backends/common.h"
#include "backends/live/show_live.h"
#include "backends/show_render.h"
#include "kmod/discover/live_host.h"
#include "tests/backends/fake_sysfs.h"
#include "tests/backends/fixtures.h"
#include "tests/backends/show_fixtures.h"

namespace apc::backends {

// gtest prints cells by their marks' ingredients, not as bytes.
void PrintTo(const MatrixCell& c, std::ostream* os) {
  *os << "{kind " << static_cast<int>(c.kind) << " guest " << c.guest << " drift " << c.drift << " state "
      << static_cast<int>(c.state) << "}";
}

namespace {

namespace fs = std::filesystem;

void put(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// The live model of the tree under `sysfs`, with a fixed source line so
// goldens do not depend on the temporary folder.
ShowModel liveOf(const fs::path& sysfs) {
  kmod::LiveHost h;
  std::string error;
  EXPECT_TRUE(kmod::readLiveHost(sysfs.string(), h, error)) << error;
  kmod::Identities ids;
  std::vector<std::string> names;
  for (const auto& m : h.mdevs) names.push_back("mdev_" + m.uuid.substr(0, 8));
  return liveShowModel(h, names, ids, "lpar", "live sysfs /sys");
}

// The live picture equals the plan's: same rows, types, modes, columns;
// every cell of the same kind, its guest the one with the same UUID; a
// plan's reserved queue reads as what the masks made it, kept or free (a
// host cannot tell reserved from kept).
void expectSamePicture(const ir::SolvedPlan& solved, const ShowModel& live) {
  const ShowModel plan = showModelOf(solved);
  const ir::QueueSet kept = queueViews(solved).hostKept;
  ASSERT_EQ(plan.rows.size(), live.rows.size());
  for (std::size_t r = 0; r < plan.rows.size(); ++r) {
    EXPECT_EQ(plan.rows[r].id, live.rows[r].id);
    EXPECT_EQ(plan.rows[r].type, live.rows[r].type);
    EXPECT_EQ(plan.rows[r].mode, live.rows[r].mode);
    EXPECT_EQ(live.rows[r].state, HwState::Ok);
  }
  ASSERT_EQ(plan.domains, live.domains);
  ASSERT_EQ(plan.guests.size(), live.guests.size());
  std::map<std::string, std::size_t> liveByUuid;
  for (std::size_t g = 0; g < live.guests.size(); ++g) liveByUuid[live.guests[g].uuid] = g;
  for (std::size_t r = 0; r < plan.rows.size(); ++r)
    for (std::size_t c = 0; c < plan.domains.size(); ++c) {
      MatrixCell want = plan.at(r, c);
      if (want.kind == CellKind::Reserved)
        want.kind = kept.contains(plan.rows[r].id, plan.domains[c]) ? CellKind::HostKept : CellKind::Free;
      if (want.kind == CellKind::Guest) want.guest = liveByUuid.at(plan.guests[want.guest].uuid);
      EXPECT_EQ(live.at(r, c), want) << "cell " << hex2(plan.rows[r].id) << "." << hex2(plan.domains[c]);
    }
}

class ShowLiveTest : public ::testing::TestWithParam<ir::Interface> {};

TEST_P(ShowLiveTest, AppliedHostDrawsThePlansPicture) {
  ir::SolvedPlan solved = test::seedSolved(GetParam());
  test::TempDir tmp;
  test::FakeHost h = test::makeAppliedHost(tmp.path, solved);
  ShowModel live = liveOf(h.sysfs);
  expectSamePicture(solved, live);
  EXPECT_FALSE(live.anyDrift());
  std::string text = renderShow(live, ShowOptions{});
  EXPECT_EQ(text.rfind("live sysfs /sys\nhost lpar  interface " + std::string(ir::interfaceName(GetParam())), 0), 0u)
      << text;
  EXPECT_EQ(text.find("A!"), std::string::npos) << text;
}

TEST_P(ShowLiveTest, TheZ16HostDrawsThePlansPicture) {
  ir::SolvedPlan solved = test::z16Solved();
  solved.plan.host.interface = GetParam();
  if (GetParam() == ir::Interface::Legacy) {
    solved.apmask.set();
    solved.aqmask.set();
  }
  test::TempDir tmp;
  test::FakeHost h = test::makeAppliedHost(tmp.path, solved);
  expectSamePicture(solved, liveOf(h.sysfs));
}

// A queue the guest is assigned but cannot use: bound to another driver
// (both interfaces), or dropped from guest_matrix (modern).
TEST_P(ShowLiveTest, AQueueNotBoundToVfioApIsDrift) {
  ir::SolvedPlan solved = test::seedSolved(GetParam());
  test::TempDir tmp;
  test::FakeHost h = test::makeAppliedHost(tmp.path, solved);
  test::bindQueue(h, "05.0047", "cex4queue");
  // Without guest_matrix (older kernels, legacy) the binding decides.
  fs::remove(h.parent() / solved.alloc[1].uuid / "guest_matrix");
  ShowModel live = liveOf(h.sysfs);
  ASSERT_TRUE(live.anyDrift());
  std::size_t drifting = 0;
  for (std::size_t r = 0; r < live.rows.size(); ++r)
    for (std::size_t c = 0; c < live.domains.size(); ++c) {
      const MatrixCell& cell = live.at(r, c);
      bool want = live.rows[r].id == 5 && live.domains[c] == 0x47;
      EXPECT_EQ(cell.drift, want) << hex2(live.rows[r].id) << "." << hex2(live.domains[c]);
      drifting += cell.drift;
      if (want) {
        EXPECT_EQ(cellMark(live, cell), "B!");
      }
    }
  EXPECT_EQ(drifting, 1u);
  std::string text = renderShow(live, ShowOptions{});
  EXPECT_NE(text.find("05 A  B! A  B"), std::string::npos) << text;
  EXPECT_NE(text.find("A!=assigned to A, not usable by it (drift)"), std::string::npos) << text;
}

TEST(ShowLive, GuestMatrixDecidesWhereTheKernelHasOne) {
  ir::SolvedPlan solved = test::seedSolved(ir::Interface::Modern);
  test::TempDir tmp;
  test::FakeHost h = test::makeAppliedHost(tmp.path, solved);
  // vfio_ap filtered adapter 06 out of Guest1's CRYCB (bound, but e.g. a
  // queue of it missing): its two queues drift, Guest2's do not.
  put(h.parent() / solved.alloc[0].uuid / "guest_matrix", "05.0004\n05.00ab\n");
  ShowModel live = liveOf(h.sysfs);
  for (std::size_t r = 0; r < live.rows.size(); ++r)
    for (std::size_t c = 0; c < live.domains.size(); ++c)
      EXPECT_EQ(live.at(r, c).drift, live.rows[r].id == 6 && live.at(r, c).kind == CellKind::Guest)
          << hex2(live.rows[r].id) << "." << hex2(live.domains[c]);
}

bool updating() {
  const char* v = std::getenv("APC_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

void checkGolden(const std::string& name, const std::string& bytes) {
  fs::path p = fs::path(APC_SOURCE_DIR) / "tests/backends/golden/live" / name;
  if (updating()) {
    put(p, bytes);
    return;
  }
  ASSERT_TRUE(fs::exists(p)) << "no golden file " << p << "; run with APC_UPDATE_GOLDEN=1";
  EXPECT_EQ(test::readFile(p), bytes) << "differs from " << p << " (APC_UPDATE_GOLDEN=1 to accept)";
}

// Card 06 checkstopped, queues 05.0047 (a guest's) and 05.0010 (free)
// deconfigured, 05.00ff unbound: the
// text picture with every live mark and its legend (golden), and the same
// marks in the SVG's hover texts and legend.
TEST(ShowLive, DeconfiguredCheckstoppedAndDriftGolden) {
  for (ir::Interface i : {ir::Interface::Modern, ir::Interface::Legacy}) {
    ir::SolvedPlan solved = test::seedSolved(i);
    solved.plan.host.usageDomains.set(0x10);  // a free column (modern) to show 'c' on
    solved.plan.host.controlDomains.set(0x10);
    test::TempDir tmp;
    test::FakeHost h = test::makeAppliedHost(tmp.path, solved);
    put(h.sysfs / "devices/ap/card06/chkstop", "1\n");
    put(h.sysfs / "devices/ap/card05/05.0047/config", "0\n");
    put(h.sysfs / "devices/ap/card05/05.0010/config", "0\n");
    test::bindQueue(h, "05.00ff", "cex4queue");
    if (h.modern) put(h.parent() / solved.alloc[1].uuid / "guest_matrix", ".0047\n.00ff\n");
    ShowModel live = liveOf(h.sysfs);
    ASSERT_NE(live.row(6), nullptr);
    EXPECT_EQ(live.row(6)->state, HwState::Checkstopped);
    EXPECT_TRUE(live.anyState(HwState::Deconfigured));
    const std::string iface(ir::interfaceName(i));
    std::string text = renderShow(live, ShowOptions{});
    checkGolden("seed-marks-" + iface + ".txt", text);
    EXPECT_NE(text.find("c=checkstopped"), std::string::npos) << text;
    EXPECT_NE(text.find("d=deconfigured"), std::string::npos) << text;
    EXPECT_NE(text.find("cards:  06 checkstopped"), std::string::npos) << text;
    std::string svg = renderShowSvg(live);
    EXPECT_NE(svg.find("06 CEX5A Accelerator (checkstopped)</text>"), std::string::npos);
    EXPECT_NE(svg.find("<title>05.0047 guest mdev_3d1c9e8f (B), assigned but not usable by the guest (drift), "
                       "deconfigured, CEX5C CCA-Coproc</title>"),
              std::string::npos)
        << svg;
    EXPECT_NE(svg.find(std::string("stroke=\"") + std::string(kDriftStroke) + "\""), std::string::npos);
    std::string html = renderShowHtml(live);
    EXPECT_NE(html.find("<p>live sysfs /sys</p>"), std::string::npos);
  }
}

TEST(ShowLive, NoApBusIsAnError) {
  test::TempDir tmp;
  LiveShowOptions o;
  o.sysfsRoot = (tmp.path / "nothing").string();
  LiveShowResult r = readLiveShow(o);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("no AP bus"), std::string::npos) << r.error;
}

INSTANTIATE_TEST_SUITE_P(Interfaces, ShowLiveTest, ::testing::Values(ir::Interface::Modern, ir::Interface::Legacy),
                         [](const auto& i) { return std::string(ir::interfaceName(i.param)); });

}  // namespace
}  // namespace apc::backends
