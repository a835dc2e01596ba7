// Issue 11 end to end: `apc show` pictures and terminal widths, IDs on the
// command line, policies that combine, the lock rewrite notice, `query fit`
// wording, `apc explain CODE`, and the generated man page and completion.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "tests/support/run_command.h"

namespace apc::testing {
namespace {

namespace fs = std::filesystem;

const std::string kSeed = std::string(APC_SPEC_DIR) + "/examples/seed.ap";

// The z16 LPAR the issue measured: 10 adapters, 85 domains, 12 guests.
const char* kZ16 = R"(host z16 {
    adapter 0x00..0x03 CEX8C;
    adapter 0x04..0x05 CEX8P;
    adapter 0x06..0x07 CEX8A;
    adapter 0x10..0x11 CEX8P;
    domains 0x00..0x54;
    reserve *.0000;
}
template web { adapters any 2 mode cca; domains any 4; }
guest web[1..6] : web;
guest hsm1 { adapters any 2 mode ep11; domains any 2; }
guest hsm2 { adapters any 2 mode ep11; domains any 2; }
guest batch { adapters any 1 mode accel; domains any 8; }
guest db { adapters any 2 mode cca; domains any 6; }
guest app { adapters any 1 mode cca; domains any 3; }
guest spare { adapters 0x10; domains 0x40..0x44; }
)";

std::size_t longestLine(const std::string& text) {
  std::size_t longest = 0, at = 0;
  while (at < text.size()) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string::npos) nl = text.size();
    longest = std::max(longest, nl - at);
    at = nl + 1;
  }
  return longest;
}

TEST(CliShow, WidthFoldsTheZ16Matrix) {
  TempDir dir;
  writeText(dir / "z16.ap", kZ16);
  const std::string plan = (dir / "z16.ap").string();
  CommandResult wide = runCommand(apcBin() + " show --no-lock " + plan);
  ASSERT_EQ(wide.exitCode, 0) << wide.err;
  EXPECT_EQ(longestLine(wide.out.substr(wide.out.find("matrix:"))), 2u + 85u * 3u);  // piped: every column
  for (std::size_t width : {80u, 100u, 300u}) {
    CommandResult r = runCommand(apcBin() + " show --no-lock --width " + std::to_string(width) + " " + plan);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    std::string matrix = r.out.substr(r.out.find("matrix:"));
    EXPECT_LE(longestLine(matrix), width) << matrix;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos);  // piped: no colour
  }
  EXPECT_EQ(runCommand(apcBin() + " show --no-lock --width 3 " + plan).exitCode, 2);
}

TEST(CliShow, ColourAndWidthOnlyOnATerminal) {
  if (runCommand("command -v script").exitCode != 0) GTEST_SKIP() << "script (util-linux) is not installed";
  TempDir dir;
  writeText(dir / "z16.ap", kZ16);
  const std::string show = apcBin() + " show --no-lock " + (dir / "z16.ap").string();
  // script(1) gives apc a pseudo-terminal; stty sets its width to 100.
  CommandResult tty = runCommand("script -qec \"stty cols 100; " + show + "\" /dev/null");
  ASSERT_EQ(tty.exitCode, 0) << tty.err;
  EXPECT_NE(tty.out.find("\x1b[1;38;5;"), std::string::npos) << "no colour on a terminal";
  std::string plain = std::regex_replace(tty.out, std::regex("\x1b\\[[0-9;]*m"), "");
  plain = std::regex_replace(plain, std::regex("\r"), "");
  EXPECT_LE(longestLine(plain.substr(plain.find("matrix:"))), 100u);
  CommandResult noColour = runCommand("NO_COLOR=1 script -qec \"stty cols 100; " + show + "\" /dev/null");
  ASSERT_EQ(noColour.exitCode, 0);
  EXPECT_EQ(noColour.out.find('\x1b'), std::string::npos) << "NO_COLOR is ignored";
}

TEST(CliShow, SvgAndHtmlFiles) {
  TempDir dir;
  for (const char* format : {"svg", "html"}) {
    const std::string out = (dir / (std::string("m.") + format)).string();
    CommandResult r = runCommand(apcBin() + " show --no-lock " + kSeed + " --format " + format + " -o " + out);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    std::string bytes = slurp(out);
    EXPECT_NE(bytes.find("<svg xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
    EXPECT_NE(bytes.find("guest Guest1 (A), CEX5C CCA-Coproc"), std::string::npos);
    CommandResult again = runCommand(apcBin() + " show --no-lock " + kSeed + " --format " + format);
    EXPECT_EQ(again.out, bytes);  // same bytes to stdout and to the file, every run
  }
  EXPECT_EQ(runCommand(apcBin() + " show --no-lock " + kSeed + " --format png").exitCode, 2);
  writeText(dir / "afile", "x");  // a folder that is a file: the write fails
  CommandResult io = runCommand(apcBin() + " show --no-lock " + kSeed + " --format svg -o " + (dir / "afile").string() +
                                "/m.svg");
  EXPECT_EQ(io.exitCode, 2);
  EXPECT_NE(io.err.find("apc: error:"), std::string::npos) << io.err;
}

TEST(CliIds, TwoDigitIdsWithoutHexPrefixAreRefusedWithBothReadings) {
  CommandResult r = runCommand(apcBin() + " query fail --no-lock " + kSeed + " --adapter 11");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("write 0x11, or 0x0b for decimal 11"), std::string::npos) << r.err;
  CommandResult lsz = runCommand(apcBin() + " query fail --no-lock " + kSeed + " --domain 0c");
  EXPECT_EQ(lsz.exitCode, 2);
  EXPECT_NE(lsz.err.find("write 0x0c"), std::string::npos) << lsz.err;
  CommandResult big = runCommand(apcBin() + " query fail --no-lock " + kSeed + " --domain 171");
  EXPECT_NE(big.err.find("write 0xab for decimal 171"), std::string::npos) << big.err;
  CommandResult hex = runCommand(apcBin() + " query fail --no-lock " + kSeed + " --adapter 0x05");
  EXPECT_EQ(hex.exitCode, 0) << hex.err;
  CommandResult one = runCommand(apcBin() + " query fail --no-lock " + kSeed + " --adapter 5");
  EXPECT_EQ(one.exitCode, 0) << one.err;
  EXPECT_EQ(one.out, hex.out);
}

TEST(CliIds, DecimalIdsInAPlanWarnAndFmtWritesHex) {
  TempDir dir;
  writeText(dir / "plan.ap", "host h { adapter 11 CEX7C; domains 0x00..0x0f, 80; }\nguest g { adapters 11; domains 5; }\n");
  CommandResult check = runCommand(apcBin() + " check --no-lock " + (dir / "plan.ap").string());
  EXPECT_EQ(check.exitCode, 0) << check.err;  // a warning, not an error
  EXPECT_NE(check.err.find("decimal ID 11 is 0x0b; lszcrypt and sysfs print IDs in hex: write 0x11, or 0x0b for decimal 11 [W128]"),
            std::string::npos)
      << check.err;
  EXPECT_NE(check.err.find("decimal ID 80 is 0x50"), std::string::npos) << check.err;
  EXPECT_EQ(check.err.find("decimal ID 5 "), std::string::npos);  // one digit reads the same either way
  CommandResult fmt = runCommand(apcBin() + " fmt " + (dir / "plan.ap").string());
  EXPECT_EQ(fmt.exitCode, 0);
  EXPECT_NE(fmt.out.find("adapter 0x0b CEX7C;"), std::string::npos) << fmt.out;
  EXPECT_NE(fmt.out.find("domains 0x00..0x0f, 0x50;"), std::string::npos) << fmt.out;
}

TEST(CliPolicy, PlatformAndPlanPoliciesCombine) {
  TempDir dir;
  writeText(dir / "plan.ap", std::string(slurp(kSeed)) + "policy { headroom 10%; max guests per adapter 4; }\n");
  writeText(dir / "same.ap", "policy { headroom 10%; }\n");
  writeText(dir / "stricter.ap", "policy { headroom 20%; max guests per adapter 8; }\n");
  const std::string check = apcBin() + " check --no-lock " + (dir / "plan.ap").string() + " --policy ";
  CommandResult same = runCommand(check + (dir / "same.ap").string());
  EXPECT_EQ(same.exitCode, 0) << same.err;
  EXPECT_EQ(same.err.find("E118"), std::string::npos) << same.err;
  CommandResult stricter = runCommand(check + (dir / "stricter.ap").string());
  EXPECT_EQ(stricter.exitCode, 0) << stricter.err;
  EXPECT_NE(stricter.err.find("'headroom' is set in two policies (10% and 20%); the stricter, 20%, applies [N129]"),
            std::string::npos)
      << stricter.err;
  EXPECT_NE(stricter.err.find("the stricter, 4, applies"), std::string::npos) << stricter.err;
  EXPECT_NE(stricter.err.find("stricter.ap:1:"), std::string::npos) << stricter.err;
  EXPECT_NE(stricter.err.find("plan.ap:"), std::string::npos) << stricter.err;
  writeText(dir / "twice.ap", "policy { headroom 10%; headroom 20%; }\n");
  EXPECT_NE(runCommand(check + (dir / "twice.ap").string()).err.find("E118"), std::string::npos);
}

// The recipe of docs/ci.md, run as written: a platform policy and a team
// plan that states its own (equal and stricter) rules both pass.
TEST(CliPolicy, TheCiRecipeOfTheDocsPassesAPlanWithItsOwnPolicy) {
  const std::string doc = slurp(std::string(APC_SOURCE_DIR) + "/docs/ci.md");
  auto block = [&](const std::string& after, const std::string& fence) {
    std::size_t at = doc.find(fence, doc.find(after));
    EXPECT_NE(at, std::string::npos) << after;
    at += fence.size();
    return doc.substr(at, doc.find("```", at) - at);
  };
  TempDir dir;
  writeText(dir / "platform.ap", block("## A platform policy", "```\n"));
  writeText(dir / "ci/check-plans.sh", block("## The job", "```bash\n"));
  writeText(dir / "plans/team.ap", slurp(kSeed) + "policy { headroom 10%; max guests per adapter 4; }\n");
  const std::string cd = "cd '" + dir.path().string() + "' && ";
  ASSERT_EQ(runCommand(cd + apcBin() + " compile -q plans/team.ap -o out --policy platform.ap").exitCode, 0);
  CommandResult r = runCommand(cd + "APC=" + apcBin() + " bash ci/check-plans.sh");
  EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("ok    plans/team.ap"), std::string::npos) << r.out << r.err;
  EXPECT_TRUE(fs::exists(dir / "sarif/all.sarif.json"));
}

TEST(CliCompile, SaysWhenItWritesTheLock) {
  TempDir dir;
  fs::copy_file(kSeed, dir / "plan.ap");
  const std::string compile = apcBin() + " compile -q " + (dir / "plan.ap").string() + " -o " + (dir / "out").string();
  CommandResult first = runCommand(compile);
  ASSERT_EQ(first.exitCode, 0) << first.err;
  EXPECT_NE(first.err.find("lock file " + (dir / "plan.ap.lock").string() + " written"), std::string::npos)
      << first.err;
  CommandResult again = runCommand(compile);
  EXPECT_EQ(again.err.find("lock file"), std::string::npos) << again.err;  // unchanged: nothing to say
  writeText(dir / "plan.ap", slurp(dir / "plan.ap") + "\n# a comment changes the input hash\n");
  CommandResult changed = runCommand(compile);
  EXPECT_NE(changed.err.find("rewritten (no guest moved)"), std::string::npos) << changed.err;
}

TEST(CliQueryFit, UnknownTemplateShowsNoInternalSource) {
  CommandResult r = runCommand(apcBin() + " query fit --no-lock " + kSeed + " --template web");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(r.err.find("__apc_fit_shape"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("--template:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--template web: unknown template 'web'"), std::string::npos) << r.err;
}

TEST(CliExplain, CodesPrintTheirDocumentation) {
  CommandResult r = runCommand(apcBin() + " explain E116");
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out.rfind("E116 ExplicitOverlap\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("[E116]"), std::string::npos) << "no example";
  EXPECT_EQ(r.out.find("### E117"), std::string::npos) << "ran into the next code";
  EXPECT_EQ(runCommand(apcBin() + " explain E999").exitCode, 2);
  EXPECT_EQ(runCommand(apcBin() + " explain nonsense").exitCode, 2);
}

// docs/diagnostics.md is the one source of `apc explain`: every code of the
// catalogue has its section there, with the real output that carries the
// code (or, for the few codes nothing in apc reports yet, a sentence saying so).
TEST(CliExplain, EveryCatalogueCodeHasAnExample) {
  std::string def = slurp(std::string(APC_SOURCE_DIR) + "/compiler/ir/diag_codes.def");
  std::regex entry("APC_DIAG\\(\\s*(\\w+),\\s*\"([EWN][0-9]{3})\"");
  int codes = 0;
  for (auto it = std::sregex_iterator(def.begin(), def.end(), entry); it != std::sregex_iterator(); ++it) {
    const std::string name = (*it)[1], code = (*it)[2];
    ++codes;
    CommandResult r = runCommand(apcBin() + " explain " + code);
    ASSERT_EQ(r.exitCode, 0) << code << ": " << r.err;
    EXPECT_EQ(r.out.rfind(code + " " + name + "\n", 0), 0u) << r.out;
    const bool example = r.out.find("[" + code + "]") != std::string::npos && r.out.find("```") != std::string::npos;
    const bool notReported = r.out.find("apc does not report " + code) != std::string::npos;
    EXPECT_TRUE(example || notReported) << code << " has no example in docs/diagnostics.md:\n" << r.out;
  }
  EXPECT_GT(codes, 60);
}

TEST(CliDocs, ManPageAndCompletionComeFromTheCliDefinition) {
  const fs::path man = fs::path(APC_BINARY_DIR) / "apc.1";
  const fs::path completion = fs::path(APC_BINARY_DIR) / "apc.bash-completion";
  ASSERT_TRUE(fs::exists(man)) << "the build writes " << man;
  ASSERT_TRUE(fs::exists(completion));
  std::string page = slurp(man);
  for (const char* text : {".TH APC 1", ".SS apc show", "\\-\\-width", ".SS apc query fail", ".SS apc explain"})
    EXPECT_NE(page.find(text), std::string::npos) << text;
  if (runCommand("command -v man").exitCode == 0) {
    CommandResult rendered = runCommand("MANWIDTH=80 man -l " + man.string() + " 2>&1");
    EXPECT_EQ(rendered.exitCode, 0) << rendered.out;
  }
  // Completion: source it and ask for the words after `apc show --f` and `apc qu`.
  auto complete = [&](const std::string& line) {
    return runCommand("bash -c 'source " + completion.string() + "; COMP_WORDS=(" + line +
                      "); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); _apc; printf \"%s\\n\" \"${COMPREPLY[@]}\"'");
  };
  EXPECT_NE(complete("apc show --f").out.find("--format\n"), std::string::npos);
  EXPECT_NE(complete("apc qu").out.find("query\n"), std::string::npos);
  EXPECT_NE(complete("apc query f").out.find("fail\n"), std::string::npos);
  EXPECT_NE(complete("apc query fail --ad").out.find("--adapter\n"), std::string::npos);
}

// `apc show --live`: a plan argument or an unreadable sysfs is refused with
// exit 2, a message that says why, and no file written.
TEST(CliShowLive, RefusesAPlanArgument) {
  TempDir dir;
  const std::string out = (dir / "live.svg").string();
  CommandResult r = runCommand(apcBin() + " show --live " + kSeed + " --format svg -o " + out);
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_NE(r.err.find("show --live draws the live host and takes no plan"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
  r = runCommand(apcBin() + " show --live --policy " + kSeed + " --sysfs " + (dir / "x").string());
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_NE(r.err.find("--policy"), std::string::npos) << r.err;
}

TEST(CliShowLive, RefusesASysfsWithoutAnApBus) {
  TempDir dir;
  fs::create_directories(dir / "sys");
  for (const char* format : {"text", "svg", "html"}) {
    const std::string out = (dir / (std::string("live.") + format)).string();
    CommandResult r = runCommand(apcBin() + " show --live --sysfs " + (dir / "sys").string() + " --format " + format +
                                 " -o " + out);
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.err.find("apc: error: cannot read the live host: no AP bus at"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out)) << format;
  }
  CommandResult r = runCommand(apcBin() + " show --live --sysfs " + (dir / "missing").string());
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(CliShowLive, LiveFlagsNeedLiveAndPlanShowNeedsAPlan) {
  CommandResult r = runCommand(apcBin() + " show --sysfs /sys " + kSeed);
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_NE(r.err.find("--live"), std::string::npos) << r.err;
  r = runCommand(apcBin() + " show");
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_NE(r.err.find("show needs a PLAN to draw, or --live"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace apc::testing
