// Renders diagnostics for people (clang style: location, message, source line,
// caret) and for machines (JSON). SARIF lives in diag_sarif.h.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/diagnostic.h"

namespace apc::ir {

struct TextStyle {
  bool color = false;  // ANSI colours, only when writing to a terminal
};

// One diagnostic with its notes, each followed by the source line and caret.
std::string renderText(const Diagnostic& d, const SourceManager& sm, TextStyle style = {});
// All diagnostics, then a summary line ("2 errors, 1 warning generated.") when any.
std::string renderTextAll(const std::vector<Diagnostic>& ds, const SourceManager& sm,
                          TextStyle style = {});
// {"diagnostics":[{"severity","code","message","file","line","column",
//  "end_line","end_column","notes":[...]}], "errors":N, "warnings":N}
std::string renderJson(const std::vector<Diagnostic>& ds, const SourceManager& sm);

}  // namespace apc::ir
