// Code strings come from diag_codes.def so the catalogue has one source.
#include "compiler/ir/diagnostic.h"

#include <algorithm>

namespace apc::ir {

namespace {
struct Entry {
  DiagCode code;
  std::string_view str;
  std::string_view summary;
};
constexpr Entry kEntries[] = {
#define APC_DIAG(name, code, summary) {DiagCode::name, code, summary},
#include "compiler/ir/diag_codes.def"
#undef APC_DIAG
};
}  // namespace

std::string_view codeString(DiagCode c) { return kEntries[static_cast<int>(c)].str; }
std::string_view codeSummary(DiagCode c) { return kEntries[static_cast<int>(c)].summary; }

std::string_view severityString(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

const std::vector<DiagCode>& allDiagCodes() {
  static const std::vector<DiagCode> codes = [] {
    std::vector<DiagCode> v;
    for (const Entry& e : kEntries) v.push_back(e.code);
    return v;
  }();
  return codes;
}

Diagnostic& DiagEngine::report(Diagnostic d) {
  if (d.severity == Severity::Error) ++errorCount_;
  diags_.push_back(std::move(d));
  return diags_.back();
}

Diagnostic& DiagEngine::error(DiagCode code, SourceRange range, std::string message) {
  return report({Severity::Error, code, std::move(message), range, {}, std::nullopt});
}

Diagnostic& DiagEngine::warning(DiagCode code, SourceRange range, std::string message) {
  return report({Severity::Warning, code, std::move(message), range, {}, std::nullopt});
}

void DiagEngine::sortByLocation() {
  std::stable_sort(diags_.begin(), diags_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    // Diagnostics without a place (I/O, whole-plan facts) come first.
    if (a.range.valid() != b.range.valid()) return !a.range.valid();
    if (a.range.file != b.range.file) return a.range.file < b.range.file;
    return a.range.begin < b.range.begin;
  });
}

}  // namespace apc::ir
