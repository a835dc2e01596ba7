// Errors without a file (kNoFile) share one budget, like any file's.
#include "compiler/frontend/diag_limiter.h"

#include <algorithm>

namespace apc::compiler {

ir::Diagnostic& Reporter::error(ir::DiagCode code, ir::SourceRange range, std::string message) {
  std::size_t& n = perFile_[range.file];
  ++n;
  errorsAt_.insert({range.file, range.begin});
  if (n <= kMaxErrorsPerFile) return diags_.error(code, range, std::move(message));
  if (n == kMaxErrorsPerFile + 1)
    diags_.error(ir::DiagCode::TooManyErrors, range,
                 "too many errors in this file; stopping after " + std::to_string(kMaxErrorsPerFile));
  scratch_ = {};
  return scratch_;
}

ir::Diagnostic& Reporter::warning(ir::DiagCode code, ir::SourceRange range, std::string message) {
  auto it = perFile_.find(range.file);
  if (it != perFile_.end() && it->second > kMaxErrorsPerFile) {
    scratch_ = {};
    return scratch_;
  }
  return diags_.warning(code, range, std::move(message));
}

bool Reporter::anyErrorIn(ir::SourceRange r) const {
  if (errorsAt_.empty()) return false;  // the usual case, asked once per token and node
  auto it = errorsAt_.lower_bound({r.file, r.begin});
  return it != errorsAt_.end() && it->first == r.file && it->second < std::max(r.end, r.begin + 1);
}

bool Reporter::stopped(ir::FileId file) const {
  if (perFile_.empty()) return false;
  auto it = perFile_.find(file);
  return it != perFile_.end() && it->second > kMaxErrorsPerFile;
}

}  // namespace apc::compiler
