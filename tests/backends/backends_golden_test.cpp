// Golden files: every artifact (and `apc show`) of the hand-built seed and of
// every spec example plan, in both interfaces, kept under
// tests/backends/golden/<case>/<interface>/. APC_UPDATE_GOLDEN=1 rewrites them.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <set>

#include "backends/show_render.h"
#include "tests/backends/fixtures.h"

#ifdef APC_GOLDEN_WITH_PIPELINE
#include "compiler/frontend/frontend.h"
#include "solver/solve.h"
#endif

namespace apc::backends {
namespace {

namespace fs = std::filesystem;

bool updating() {
  const char* v = std::getenv("APC_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

// Compares (or rewrites) one case folder: every artifact plus show.txt, and
// no stale file left in the folder.
void checkGolden(const std::string& caseName, const ir::SolvedPlan& solved) {
  fs::path dir = fs::path(APC_SOURCE_DIR) / "tests/backends/golden" / caseName /
                 std::string(ir::interfaceName(solved.plan.host.interface));
  std::vector<Artifact> all = test::emitAll(solved);
  all.push_back({"show.txt", renderShow(solved)});
  all.push_back({"show.svg", renderShowSvg(solved)});
  if (updating()) {
    fs::remove_all(dir);
    test::writeArtifacts(dir, all);
    return;
  }
  ASSERT_TRUE(fs::is_directory(dir)) << dir << " is missing; run with APC_UPDATE_GOLDEN=1";
  std::set<std::string> expected;
  for (const Artifact& a : all) {
    expected.insert(a.path);
    fs::path p = dir / a.path;
    ASSERT_TRUE(fs::exists(p)) << "no golden file " << p;
    EXPECT_EQ(test::readFile(p), a.bytes) << "differs from " << p << " (APC_UPDATE_GOLDEN=1 to accept)";
  }
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it)
    if (it->is_regular_file()) {
      EXPECT_TRUE(expected.count(fs::relative(it->path(), dir).string())) << "stale golden file " << it->path();
    }
}

TEST(BackendsGolden, HandBuiltSeed) {
  for (ir::Interface i : {ir::Interface::Modern, ir::Interface::Legacy}) checkGolden("hand_seed", test::seedSolved(i));
}

#ifdef APC_GOLDEN_WITH_PIPELINE
// Loads a spec example with its base name as display path (no absolute paths
// in the outputs) and solves it for the given interface.
ir::SolvedPlan solveExample(const std::string& file, ir::Interface iface) {
  fs::path path = fs::path(APC_SPEC_DIR) / "examples" / file;
  ir::SourceManager sm;
  ir::DiagEngine diags;
  auto plan = compiler::loadPlanFromText(file, test::readFile(path), sm, diags);
  if (!plan) throw std::runtime_error(file + " does not load");
  plan->host.interface = iface;
  solver::SolveResult r = solver::solve(*plan, solver::SolveOptions{}, diags);
  if (!r.solved) throw std::runtime_error(file + " does not solve");
  return *r.solved;
}

class BackendsSpecExample : public ::testing::TestWithParam<std::string> {};

TEST_P(BackendsSpecExample, EveryArtifactInBothInterfaces) {
  std::string file = GetParam() + ".ap";
  for (ir::Interface i : {ir::Interface::Modern, ir::Interface::Legacy}) {
    ir::SolvedPlan solved = solveExample(file, i);
    checkGolden(GetParam(), solved);
  }
}

INSTANTIATE_TEST_SUITE_P(Examples, BackendsSpecExample, ::testing::Values("seed", "flexible"),
                         [](const auto& param) { return param.param; });

TEST(BackendsSpecSeed, CrycbShowsGuest1ApmBits5And6AndLegacyFollowsTheDocument) {
  ir::SolvedPlan solved = solveExample("seed.ap", ir::Interface::Legacy);
  std::string crycb;
  for (const Artifact& a : test::emitAll(solved))
    if (a.path == "crycb.txt") crycb = a.bytes;
  auto at = crycb.find("guest Guest1");
  ASSERT_NE(at, std::string::npos);
  auto mask = ir::parseMask(crycb.substr(crycb.find("APM 0x", at) + 4, 66));
  ASSERT_TRUE(mask);
  EXPECT_EQ(ir::toVector(*mask), (std::vector<unsigned>{5, 6}));
}
#endif

}  // namespace
}  // namespace apc::backends
