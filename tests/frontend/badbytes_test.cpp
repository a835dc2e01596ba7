// Bad bytes never crash or hang the front end: empty files, binary garbage,
// invalid UTF-8, a 10 MB line, runaway nesting, a missing file and a
// directory each give a clear diagnostic (and, through the CLI, the right exit code).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <sys/wait.h>
#include <unistd.h>

using namespace std::string_literals;

#include "tests/frontend/test_util.h"

namespace apc::compiler::testing {
namespace {

namespace fs = std::filesystem;

TEST(BadBytes, EmptyFileHasNoHost) {
  auto c = check("");
  EXPECT_FALSE(c->plan);
  ASSERT_EQ(c->diags.all().size(), 1u) << c->text();
  EXPECT_EQ(c->diags.all()[0].code, ir::DiagCode::NoHost);
  EXPECT_TRUE(c->diags.all()[0].range.valid());  // a plan error (exit 1), not an I/O error
}

TEST(BadBytes, BinaryGarbageIsOneError) {
  std::mt19937 rng(42);
  std::string junk(64 * 1024, '\0');
  for (char& ch : junk) ch = static_cast<char>(rng() & 0xff);
  auto c = check(junk);
  EXPECT_FALSE(c->plan);
  ASSERT_EQ(c->diags.all().size(), 1u) << c->text();
  EXPECT_EQ(c->diags.all()[0].code, ir::DiagCode::BinaryInput);
}

TEST(BadBytes, NulByteInOtherwiseGoodText) {
  auto c = check("host h { adapter 1 CEX7C; domains 1; }\n# a\0b\n"s);
  ASSERT_EQ(c->diags.all().size(), 1u) << c->text();
  EXPECT_EQ(c->diags.all()[0].code, ir::DiagCode::BinaryInput);
  EXPECT_EQ(c->where(c->diags.all()[0]), "2:4");
}

TEST(BadBytes, InvalidUtf8) {
  for (std::string bad : {"\xff\xfe", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x82"}) {
    auto c = check("# ok\n# " + bad + "\nhost h { adapter 1 CEX7C; domains 1; }\n");
    ASSERT_EQ(c->diags.all().size(), 1u) << c->text();
    EXPECT_EQ(c->diags.all()[0].code, ir::DiagCode::BinaryInput);
    EXPECT_EQ(c->where(c->diags.all()[0]), "2:3");
  }
}

TEST(BadBytes, ValidUtf8IsFine) {
  auto c = check("# Größe, 日本, 🙂\nhost h { adapter 1 CEX7C; domains 1; }\n");
  EXPECT_TRUE(c->plan) << c->text();
}

TEST(BadBytes, TenMegabyteCommentLine) {
  std::string text = "host h { adapter 1 CEX7C; domains 1; }\n# " + std::string(10 << 20, 'x') + "\n";
  auto c = check(text);
  EXPECT_TRUE(c->plan) << c->text();
}

TEST(BadBytes, TenMegabyteWord) {
  auto c = check("host h { adapter 1 CEX7C; domains 1; }\n" + std::string(10 << 20, 'a'));
  EXPECT_FALSE(c->plan);
  EXPECT_LE(c->diags.all().size(), 3u) << c->text().substr(0, 2000);
}

TEST(BadBytes, TenMegabytesOfSemicolonsAreFewErrors) {
  // Error recovery swallows the run of ';' as one error; the token cap stops the lexer.
  auto c = check(std::string(10 << 20, ';'));
  EXPECT_FALSE(c->plan);
  EXPECT_EQ(c->count(ir::DiagCode::FileTooLarge), 1u) << c->text().substr(0, 2000);
  EXPECT_LE(c->diags.all().size(), 3u);
}

TEST(BadBytes, ErrorsPerFileAreCapped) {
  std::string text = "host h { adapter 1 CEX7C; domains 1; }\n";
  for (int i = 0; i < 500; ++i) text += "guest g" + std::to_string(i) + " { domains @; }\n";
  auto c = check(text);
  EXPECT_EQ(c->count(ir::DiagCode::TooManyErrors), 1u);
  EXPECT_EQ(c->diags.all().size(), 51u);
}

TEST(BadBytes, TenMegabytesOfWordsHitTheTokenCap) {
  std::string text;
  text.reserve(10 << 20);
  while (text.size() < (10u << 20)) text += "ab ";
  auto c = check(text);
  EXPECT_FALSE(c->plan);
  EXPECT_EQ(c->count(ir::DiagCode::FileTooLarge), 1u) << c->text().substr(0, 2000);
}

TEST(BadBytes, DeepNestingIsCut) {
  auto c = check("host h " + std::string(10000, '{'));
  EXPECT_FALSE(c->plan);
  EXPECT_EQ(c->count(ir::DiagCode::NestingTooDeep), 1u) << c->text().substr(0, 2000);
  EXPECT_LE(c->diags.all().size(), 3u);
}

TEST(BadBytes, MissingFileIsAnIoErrorWithoutPlace) {
  Checked c;
  c.plan = loadPlan("/nonexistent/dir/plan.ap", c.sm, c.diags);
  EXPECT_FALSE(c.plan);
  ASSERT_EQ(c.diags.all().size(), 1u);
  EXPECT_EQ(c.diags.all()[0].code, ir::DiagCode::IoError);
  EXPECT_FALSE(c.diags.all()[0].range.valid());
  EXPECT_NE(c.diags.all()[0].message.find("no such file"), std::string::npos);
}

TEST(BadBytes, DirectoryIsAnIoErrorWithoutPlace) {
  Checked c;
  c.plan = loadPlan(fs::temp_directory_path().string(), c.sm, c.diags);
  ASSERT_EQ(c.diags.all().size(), 1u);
  EXPECT_EQ(c.diags.all()[0].code, ir::DiagCode::IoError);
  EXPECT_FALSE(c.diags.all()[0].range.valid());
  EXPECT_NE(c.diags.all()[0].message.find("directory"), std::string::npos);
}

// Through the CLI (skipped until build/apc exists): exit 2 for I/O, 1 for a bad plan.
int runApc(const std::string& args) {
  const char* bin = std::getenv("APC_BIN");
  std::string cmd = std::string(bin) + " check " + args + " >/dev/null 2>&1";
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

TEST(BadBytes, CliExitCodes) {
  const char* bin = std::getenv("APC_BIN");
  if (!bin || !fs::exists(bin)) GTEST_SKIP() << "apc CLI not built";
  const fs::path dir = fs::temp_directory_path() / ("apc_fe_badbytes_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "empty.ap").flush();
  {
    std::ofstream junk(dir / "junk.ap", std::ios::binary);
    junk << std::string("\x00\x01\xff garbage", 12);
  }
  EXPECT_EQ(runApc((dir / "missing.ap").string()), 2);
  EXPECT_EQ(runApc(dir.string()), 2);
  EXPECT_EQ(runApc((dir / "empty.ap").string()), 1);
  EXPECT_EQ(runApc((dir / "junk.ap").string()), 1);
  EXPECT_EQ(runApc(std::string(APC_SPEC_DIR) + "/examples/seed.ap"), 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace apc::compiler::testing
