// Lexer + parser + AST builder on one buffer: the fast target (no includes,
// no lowering). Any crash, sanitizer report or hang is a bug; diagnostics
// are the expected answer to bad input.
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/frontend/diag_limiter.h"
#include "compiler/frontend/parse_file.h"
#include "compiler/ir/source_manager.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  apc::ir::SourceManager sm;
  apc::ir::DiagEngine diags;
  apc::compiler::Reporter rep(diags);
  apc::ir::FileId id = sm.addBuffer("fuzz.ap", std::string(reinterpret_cast<const char*>(data), size));
  apc::compiler::parseFile(id, sm, rep, /*wantLayout=*/false);
  return 0;
}
