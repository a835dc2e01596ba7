// Owns the text of every file apc reads; locations are byte ranges into it.
// Line and column are computed from the buffer only when printing, so stdin
// and included files work without re-reading anything from disk.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace apc::ir {

using FileId = std::uint32_t;
inline constexpr FileId kNoFile = ~FileId{0};

// Half-open byte range [begin, end) in one file. A default range is "nowhere"
// (a diagnostic without a location, e.g. an I/O error on the command line).
struct SourceRange {
  FileId file = kNoFile;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;

  bool valid() const { return file != kNoFile; }
  friend bool operator==(const SourceRange&, const SourceRange&) = default;
};

// 1-based line and column (column counts bytes, as clang does).
struct LineCol {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

class SourceManager {
 public:
  // Registers a buffer under a display path; returns its id. Never fails.
  FileId addBuffer(std::string path, std::string text);

  const std::string& path(FileId id) const { return files_.at(id).path; }
  const std::string& text(FileId id) const { return files_.at(id).text; }
  std::size_t fileCount() const { return files_.size(); }

  LineCol lineCol(FileId id, std::uint32_t offset) const;
  LineCol begin(const SourceRange& r) const { return lineCol(r.file, r.begin); }
  // The whole line (without its newline) that holds `offset`.
  std::string_view lineText(FileId id, std::uint32_t offset) const;
  // "path:line:col" for a range's start; "" when the range is invalid.
  std::string describe(const SourceRange& r) const;

 private:
  struct File {
    std::string path;
    std::string text;
    std::vector<std::uint32_t> lineStarts;  // byte offset of each line's first byte
  };
  std::vector<File> files_;
};

}  // namespace apc::ir
