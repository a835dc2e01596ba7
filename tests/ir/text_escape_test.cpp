// Terminal-safe text (issue 13): control characters from a plan are shown
// escaped in diagnostics (text and JSON), and the caret still lines up.
#include <gtest/gtest.h>

#include "compiler/ir/diag_printer.h"
#include "compiler/ir/text_escape.h"

namespace apc::ir {
namespace {

TEST(TextEscape, ControlsAreEscaped) {
  EXPECT_EQ(escapeForTerminal("plain é text"), "plain é text");
  EXPECT_EQ(escapeForTerminal("a\x1b[2Jb\x07"), "a\\e[2Jb\\x07");
  EXPECT_EQ(escapeForTerminal("t\tn\nr\r\x7f"), "t\\tn\\nr\\r\\x7f");
  EXPECT_EQ(escapeForTerminal("t\tx", /*keepTabs=*/true), "t\tx");
  EXPECT_EQ(escapeForTerminal("csi\xc2\x9b" "31m"), "csi\\u{9b}31m");
  EXPECT_EQ(escapeForTerminal(std::string("nul\0", 4)), "nul\\x00");
  EXPECT_FALSE(needsTerminalEscape("guest web-1.a"));
}

TEST(TextEscape, DiagnosticsNeverCarryRawControls) {
  SourceManager sm;
  FileId f = sm.addBuffer("p\x1b.ap", "guest \"x\x1b]0;pwned\x07\" { bad; }\n");
  Diagnostic d;
  d.severity = Severity::Error;
  d.code = DiagCode::IoError;
  d.range = {f, 22, 25};
  d.message = "unknown \x1b[31mthing\x07";
  std::string text = renderText(d, sm, {});
  for (char ch : text) EXPECT_TRUE(ch == '\n' || static_cast<unsigned char>(ch) >= 0x20) << text;
  EXPECT_NE(text.find("unknown \\e[31mthing\\x07"), std::string::npos) << text;
  // The caret sits under "bad" in the escaped line.
  std::size_t lineStart = text.find("guest");
  std::size_t lineEnd = text.find('\n', lineStart);
  std::string line = text.substr(lineStart, lineEnd - lineStart);
  std::string caret = text.substr(lineEnd + 1, text.find('\n', lineEnd + 1) - lineEnd - 1);
  EXPECT_EQ(line.substr(caret.find('^'), 3), "bad") << line << "\n" << caret;

  std::string json = renderJson({d}, sm);
  for (char ch : json) EXPECT_TRUE(ch == '\n' || (ch >= 0x20 && ch < 0x7f)) << json;
  d.message = "bad utf-8 \xff\xfe and del \x7f";
  EXPECT_NO_THROW(json = renderJson({d}, sm));
  EXPECT_NE(json.find("\\u007f"), std::string::npos) << json;
}

}  // namespace
}  // namespace apc::ir
