// Line/column lookup works from the buffer alone (stdin, includes).
#include <gtest/gtest.h>

#include "compiler/ir/source_manager.h"

namespace apc::ir {
namespace {

TEST(SourceManager, LineColAndLineText) {
  SourceManager sm;
  FileId f = sm.addBuffer("plan.ap", "host a {\n  adapter 05;\r\n}");
  EXPECT_EQ(sm.lineCol(f, 0).line, 1u);
  LineCol lc = sm.lineCol(f, 19);  // the '0' of 05
  EXPECT_EQ(lc.line, 2u);
  EXPECT_EQ(lc.column, 11u);
  EXPECT_EQ(sm.lineText(f, 19), "  adapter 05;");  // CR dropped
  EXPECT_EQ(sm.lineText(f, 26), "}");
  EXPECT_EQ(sm.describe({f, 19, 21}), "plan.ap:2:11");
  EXPECT_EQ(sm.describe({}), "");
}

TEST(SourceManager, OffsetPastTheEndClamps) {
  SourceManager sm;
  FileId f = sm.addBuffer("x", "ab");
  EXPECT_EQ(sm.lineCol(f, 100).column, 3u);
  FileId e = sm.addBuffer("empty", "");
  EXPECT_EQ(sm.lineText(e, 0), "");
}

}  // namespace
}  // namespace apc::ir
