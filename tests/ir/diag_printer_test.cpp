// The clang-style rendering: location, message, code, source line, caret.
#include <gtest/gtest.h>

#include <set>

#include "compiler/ir/diag_printer.h"

namespace apc::ir {
namespace {

TEST(DiagPrinter, ClangStyleWithNoteAndCaret) {
  SourceManager sm;
  FileId f = sm.addBuffer("plan.ap", "guest g {\n\tdomains 05;\n}\n");
  DiagEngine diags;
  Diagnostic& d = diags.error(DiagCode::LeadingZero, {f, 19, 21}, "leading zero in '05'");
  addNote(d, {f, 6, 7}, "in guest g");
  std::string out = renderTextAll(diags.all(), sm);
  EXPECT_EQ(out,
            "plan.ap:2:10: error: leading zero in '05' [E003]\n"
            "\tdomains 05;\n"
            "\t        ^~\n"
            "plan.ap:1:7: note: in guest g\n"
            "guest g {\n"
            "      ^\n"
            "1 error generated.\n");
}

TEST(DiagPrinter, NoLocationAndJson) {
  SourceManager sm;
  DiagEngine diags;
  diags.error(DiagCode::IoError, {}, "cannot read 'x.ap': No such file or directory");
  EXPECT_EQ(renderText(diags.all()[0], sm), "apc: error: cannot read 'x.ap': No such file or directory [E001]\n");
  std::string j = renderJson(diags.all(), sm);
  EXPECT_NE(j.find("\"code\": \"E001\""), std::string::npos);
  EXPECT_NE(j.find("\"file\": null"), std::string::npos);
  EXPECT_NE(j.find("\"errors\": 1"), std::string::npos);
}

TEST(DiagPrinter, CodesAreUniqueAndWellFormed) {
  std::set<std::string_view> seen;
  for (DiagCode c : allDiagCodes()) {
    std::string_view s = codeString(c);
    EXPECT_TRUE(seen.insert(s).second) << s;
    ASSERT_EQ(s.size(), 4u);
    EXPECT_TRUE(s[0] == 'E' || s[0] == 'W' || s[0] == 'N');  // error, warning, note
  }
}

}  // namespace
}  // namespace apc::ir
