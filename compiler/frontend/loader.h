// Reads the main plan and, recursively, the files it includes (each path is
// relative to the including file). Each file is parsed once: a second include
// of the same file is ignored, a cycle is E012 and a missing file E011, both
// with a note at every include line of the chain.
#pragma once

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "compiler/frontend/ast.h"
#include "compiler/frontend/diag_limiter.h"

namespace apc::compiler {

struct FlatItem {
  const ast::Item* item;
  ir::FileId file;
};

struct LoadedPlan {
  std::deque<ast::File> files;   // every parsed file (deque: stable addresses)
  std::vector<FlatItem> items;   // source order, includes expanded in place
  ir::FileId mainFile = ir::kNoFile;
  bool readable = false;         // the main file could be read
  bool syntaxOk = true;          // no lexical/syntax/include error anywhere
};

// Reads a whole file; nullopt plus a reason ("no such file", "is a directory").
std::optional<std::string> readFile(const std::string& path, std::string& why);

// `text` given: the main file's contents (display path `path`); else read `path`.
LoadedPlan loadFiles(const std::string& path, std::optional<std::string> text, ir::SourceManager& sm,
                     Reporter& rep, bool wantLayout);

}  // namespace apc::compiler
