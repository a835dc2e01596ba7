// `apc fmt` round trips on every good plan (tests/frontend/good/*.ap and the
// spec examples): fmt(fmt(x)) == fmt(x), and the IR of fmt(x) equals the IR
// of x. The formatted text of each good plan is also kept as a golden file,
// rewritten with APC_UPDATE_GOLDEN=1: tests/frontend/good/<name>.ap.fmt beside
// our own plans, tests/frontend/spec_fmt/<name>.ap.fmt for the spec examples
// (the spec examples are the copies in tests/spec/examples; see tests/spec/README.md).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "tests/frontend/test_util.h"

namespace apc::compiler::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kGoodDir = fs::path(APC_SOURCE_DIR) / "tests/frontend/good";
const fs::path kSpecExamples = fs::path(APC_SPEC_DIR) / "examples";

std::vector<std::string> goodPlans() {
  std::vector<std::string> out;
  for (const fs::path& dir : {kGoodDir, kSpecExamples}) {
    // A missing folder must fail a test (SpecExamplesArePresent below),
    // not throw while gtest lists the tests.
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string name = e.path().filename().string();
      if (e.path().extension() == ".ap" && name.find("invalid") == std::string::npos) out.push_back(e.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string fmtOf(const std::string& path, const std::string& text) {
  ir::SourceManager sm;
  ir::DiagEngine diags;
  auto out = formatText(path, text, sm, diags);
  EXPECT_TRUE(out) << ir::renderTextAll(diags.all(), sm);
  return out.value_or("");
}

std::string irDump(const std::string& path, const std::string& text) {
  ir::SourceManager sm;
  ir::DiagEngine diags;
  auto plan = loadPlanFromText(path, text, sm, diags);
  EXPECT_TRUE(plan) << ir::renderTextAll(diags.all(), sm);
  return plan ? ir::dumpPlan(*plan) : std::string();
}

class RoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(RoundTrip, IdempotentAndSameMeaning) {
  const std::string path = GetParam();
  const std::string original = readAll(path);
  const std::string once = fmtOf(path, original);
  const std::string twice = fmtOf(path, once);
  EXPECT_EQ(once, twice) << "fmt is not idempotent on " << path;
  // Every comment of the original survives.
  for (const char* marker : {"#", "//", "/*"}) {
    auto count = [&](const std::string& s) {
      std::size_t n = 0;
      for (std::size_t p = s.find(marker); p != std::string::npos; p = s.find(marker, p + 1)) ++n;
      return n;
    };
    EXPECT_EQ(count(original), count(once)) << marker << " in " << path;
  }
  if (path.find(".inc.ap") == std::string::npos) {
    EXPECT_EQ(irDump(path, original), irDump(path, once)) << path;
  }

  {
    const fs::path source(path);
    const fs::path golden = source.parent_path() == kGoodDir
                                ? fs::path(path + ".fmt")
                                : fs::path(APC_SOURCE_DIR) / "tests/frontend/spec_fmt" / (source.filename().string() + ".fmt");
    const char* update = std::getenv("APC_UPDATE_GOLDEN");
    if (update && std::string(update) == "1") {
      fs::create_directories(golden.parent_path());
      std::ofstream(golden, std::ios::binary) << once;
    } else {
      ASSERT_TRUE(fs::exists(golden)) << "missing " << golden << "; run with APC_UPDATE_GOLDEN=1";
      EXPECT_EQ(once, readAll(golden.string()));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(GoodPlans, RoundTrip, ::testing::ValuesIn(goodPlans()),
                         [](const ::testing::TestParamInfo<std::string>& i) {
                           std::string n = fs::path(i.param).filename().string();
                           for (char& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

TEST(Fmt, SpecExamplesArePresent) {
  // The copies of the spec's examples the tests carry (tests/spec/README.md).
  for (const char* name : {"seed.ap", "flexible.ap", "seed-invalid.ap"})
    EXPECT_TRUE(fs::is_regular_file(kSpecExamples / name)) << (kSpecExamples / name) << " is missing";
}

#ifdef APC_SHARED_SPEC_DIR
// Only built where ../shared/spec/examples existed at configure time: every
// spec example has a copy in tests/spec/examples with the same bytes.
TEST(SpecCopies, SameBytesAsTheSpec) {
  const fs::path spec = fs::path(APC_SHARED_SPEC_DIR) / "examples";
  int compared = 0;
  for (const auto& e : fs::directory_iterator(spec)) {
    if (e.path().extension() != ".ap") continue;
    const fs::path copy = kSpecExamples / e.path().filename();
    ASSERT_TRUE(fs::exists(copy)) << copy << " is missing: copy " << e.path() << " into tests/spec/examples";
    EXPECT_EQ(readAll(copy.string()), readAll(e.path().string())) << copy << " differs from " << e.path();
    ++compared;
  }
  EXPECT_GT(compared, 0);
  for (const auto& e : fs::directory_iterator(kSpecExamples))
    EXPECT_TRUE(fs::exists(spec / e.path().filename())) << e.path() << " has no original in " << spec;
}
#endif

TEST(Fmt, CanonicalSpelling) {
  const std::string out = fmtOf("plan.ap",
                                "host h { adapter 171 CEX5C; domains 1, 4..7; reserve 5.4, ab.*; }\n"
                                "guest g { adapters any 2 mode cca in 1..3; domains 1; uuid ABCDEF01-1d2b-4c3a-9e8f-0123456789ab; }\n");
  EXPECT_EQ(out,
            "host h {\n"
            "    adapter 0xab CEX5C;\n"
            "    domains 0x01, 0x04..0x07;\n"
            "    reserve 05.0004, ab.*;\n"
            "}\n"
            "\n"
            "guest g {\n"
            "    adapters any 2 mode cca in 0x01..0x03;\n"
            "    domains 0x01;\n"
            "    uuid abcdef01-1d2b-4c3a-9e8f-0123456789ab;\n"
            "}\n");
}

TEST(Fmt, CommentsStayWhereTheyWere) {
  const std::string out = fmtOf("plan.ap",
                                "# top\nhost h { # after brace\n  adapter 1 CEX5C; // trailing\n  # own line\n"
                                "  domains 1;\n  # before close\n}\n# end\n");
  EXPECT_EQ(out,
            "# top\n"
            "host h {  # after brace\n"
            "    adapter 0x01 CEX5C;  // trailing\n"
            "    # own line\n"
            "    domains 0x01;\n"
            "    # before close\n"
            "}\n"
            "# end\n");
}

TEST(Fmt, SyntaxErrorGivesNoOutput) {
  ir::SourceManager sm;
  ir::DiagEngine diags;
  auto out = formatText("plan.ap", "host h { domains 1 }\n", sm, diags);
  EXPECT_FALSE(out);
  ASSERT_EQ(diags.errorCount(), 1u);
  EXPECT_EQ(diags.all()[0].message, "expected ';' after the domain list");
}

// Found by fuzz_roundtrip (fuzz/regressions/fmt-duplicate-setting.ap): the
// AST builder drops a setting given twice (E118), and fmt printed the plan
// without that line, so an invalid plan came out valid. fmt refuses it.
TEST(Fmt, SettingGivenTwiceGivesNoOutput) {
  ir::SourceManager sm;
  ir::DiagEngine diags;
  auto out = formatText("plan.ap", "host h {\n    adapter 1 CEX7C;\n    domains 0..3;\n    domains 1;\n}\n", sm, diags);
  EXPECT_FALSE(out) << *out;
  ASSERT_EQ(diags.errorCount(), 1u);
  EXPECT_EQ(diags.all()[0].message, "'domains' is set twice in this host block");
}

TEST(Fmt, IncludeLinesStayIncludeLines) {
  EXPECT_EQ(fmtOf("plan.ap", "include   \"a b.ap\" ;"), "include \"a b.ap\";\n");
}

}  // namespace
}  // namespace apc::compiler::testing
