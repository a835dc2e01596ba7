// Comments are placed by byte offsets in the original text, so the rule is
// the same on the second run: fmt(fmt(x)) == fmt(x).
#include "compiler/frontend/formatter.h"

namespace apc::compiler {

std::string formatAst(const ast::File& f, const ir::SourceManager& sm) {
  const std::string& src = sm.text(f.file);
  std::string out;
  std::size_t ci = 0;
  bool havePrev = false;
  std::uint32_t prevEnd = 0;
  bool prevItemBlock = false;  // the previous top-level item spanned several lines
  std::size_t itemLines = 0;

  auto indent = [](int n) { return std::string(static_cast<std::size_t>(n) * 4, ' '); };
  auto trailing = [&](const ast::Comment& c) {
    if (!havePrev) return false;
    if (c.range.begin < prevEnd) return true;  // inside the previous statement
    return src.find('\n', prevEnd) >= c.range.begin;
  };
  auto appendToLast = [&](const ast::Comment& c) {
    if (!out.empty() && out.back() == '\n') out.pop_back();
    out += "  " + c.text + "\n";
  };

  for (std::size_t li = 0; li < f.layout.size(); ++li) {
    const ast::LayoutLine& l = f.layout[li];
    // Comments that end the previous line.
    while (ci < f.comments.size() && f.comments[ci].range.begin < l.range.begin && trailing(f.comments[ci]))
      appendToLast(f.comments[ci++]);
    if (l.itemStart) {
      bool block = false;
      if (li + 1 < f.layout.size() && !f.layout[li + 1].itemStart) block = true;
      if (li > 0 && (block || prevItemBlock)) out += "\n";
      prevItemBlock = block;
      itemLines = 0;
    }
    ++itemLines;
    // Comments on lines of their own before this line; inside a block they
    // take the block's indent even when the next line is the closing brace.
    const int commentIndent = l.text == "}" ? 1 : l.indent;
    while (ci < f.comments.size() && f.comments[ci].range.begin < l.range.begin)
      out += indent(commentIndent) + f.comments[ci++].text + "\n";
    out += indent(l.indent) + l.text + "\n";
    havePrev = true;
    prevEnd = l.range.end;
  }
  while (ci < f.comments.size()) {
    const ast::Comment& c = f.comments[ci++];
    if (trailing(c))
      appendToLast(c);
    else
      out += c.text + "\n";
  }
  return out;
}

}  // namespace apc::compiler
