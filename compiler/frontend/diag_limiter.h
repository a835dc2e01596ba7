// Caps the errors reported per file so garbage input cannot flood the user:
// after kMaxErrorsPerFile errors one E015 says the rest were dropped, and
// `stopped` tells the lexer and parser to give up on that file.
#pragma once

#include <map>
#include <set>
#include <string>

#include "compiler/ir/diagnostic.h"

namespace apc::compiler {

class Reporter {
 public:
  static constexpr std::size_t kMaxErrorsPerFile = 50;

  explicit Reporter(ir::DiagEngine& diags) : diags_(diags) {}

  // Reports an error; past the cap it is dropped and the returned reference
  // is a scratch diagnostic (notes added to it go nowhere).
  ir::Diagnostic& error(ir::DiagCode code, ir::SourceRange range, std::string message);
  ir::Diagnostic& warning(ir::DiagCode code, ir::SourceRange range, std::string message);
  bool stopped(ir::FileId file) const;
  // Whether an error was reported starting inside `r` (to skip follow-on errors).
  bool anyErrorIn(ir::SourceRange r) const;
  bool hasErrors() const { return diags_.hasErrors(); }
  std::size_t errorCount() const { return diags_.errorCount(); }
  ir::DiagEngine& engine() { return diags_; }

 private:
  ir::DiagEngine& diags_;
  std::map<ir::FileId, std::size_t> perFile_;
  std::set<std::pair<ir::FileId, std::uint32_t>> errorsAt_;  // (file, begin) of every error
  ir::Diagnostic scratch_;
};

}  // namespace apc::compiler
