// Line tables are built once per buffer; lookups are binary searches.
#include "compiler/ir/source_manager.h"

#include <algorithm>

namespace apc::ir {

FileId SourceManager::addBuffer(std::string path, std::string text) {
  File f{std::move(path), std::move(text), {0}};
  for (std::uint32_t i = 0; i < f.text.size(); ++i)
    if (f.text[i] == '\n') f.lineStarts.push_back(i + 1);
  files_.push_back(std::move(f));
  return static_cast<FileId>(files_.size() - 1);
}

LineCol SourceManager::lineCol(FileId id, std::uint32_t offset) const {
  const File& f = files_.at(id);
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(f.text.size()));
  auto it = std::upper_bound(f.lineStarts.begin(), f.lineStarts.end(), offset);
  auto line = static_cast<std::uint32_t>(it - f.lineStarts.begin());  // 1-based
  return {line, offset - f.lineStarts[line - 1] + 1};
}

std::string_view SourceManager::lineText(FileId id, std::uint32_t offset) const {
  const File& f = files_.at(id);
  LineCol lc = lineCol(id, offset);
  std::uint32_t start = f.lineStarts[lc.line - 1];
  std::uint32_t stop = lc.line < f.lineStarts.size() ? f.lineStarts[lc.line] - 1
                                                     : static_cast<std::uint32_t>(f.text.size());
  std::string_view sv(f.text);
  sv = sv.substr(start, stop - start);
  if (!sv.empty() && sv.back() == '\r') sv.remove_suffix(1);
  return sv;
}

std::string SourceManager::describe(const SourceRange& r) const {
  if (!r.valid()) return "";
  LineCol lc = begin(r);
  return path(r.file) + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

}  // namespace apc::ir
