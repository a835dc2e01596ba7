// The one Diagnostic type of apc (clang's model): severity, stable code,
// message, source range, notes and an optional fix-it; and the engine that
// collects them so every phase reports all it finds before the driver stops.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/source_manager.h"

namespace apc::ir {

enum class Severity { Error, Warning, Note };

enum class DiagCode {
#define APC_DIAG(name, code, summary) name,
#include "compiler/ir/diag_codes.def"
#undef APC_DIAG
};

std::string_view codeString(DiagCode c);    // "E012"
std::string_view codeSummary(DiagCode c);
std::string_view severityString(Severity s);  // "error", "warning", "note"
// Every code in catalogue order (for docs and tests).
const std::vector<DiagCode>& allDiagCodes();

struct DiagNote {
  SourceRange range;  // may be invalid: a note without a place
  std::string message;
};

struct FixIt {
  SourceRange range;
  std::string replacement;
};

struct Diagnostic {
  Severity severity = Severity::Error;
  DiagCode code = DiagCode::Internal;
  std::string message;
  SourceRange range;
  std::vector<DiagNote> notes;
  std::optional<FixIt> fixit;
};

// Collects diagnostics in report order. Not a singleton: each compilation has one.
class DiagEngine {
 public:
  Diagnostic& error(DiagCode code, SourceRange range, std::string message);
  Diagnostic& warning(DiagCode code, SourceRange range, std::string message);
  Diagnostic& report(Diagnostic d);

  bool hasErrors() const { return errorCount_ > 0; }
  std::size_t errorCount() const { return errorCount_; }
  const std::vector<Diagnostic>& all() const { return diags_; }
  // Sorts by file, offset, then report order: printed output does not depend
  // on the order in which independent checks ran.
  void sortByLocation();
  void clear() { diags_.clear(); errorCount_ = 0; }

 private:
  std::vector<Diagnostic> diags_;
  std::size_t errorCount_ = 0;
};

// Adds a note to a diagnostic; returns it for chaining.
inline Diagnostic& addNote(Diagnostic& d, SourceRange r, std::string msg) {
  d.notes.push_back({r, std::move(msg)});
  return d;
}

}  // namespace apc::ir
