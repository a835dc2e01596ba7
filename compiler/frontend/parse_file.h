// Parses one buffer of the SourceManager into an AST: byte checks (E002),
// lexing, two-stage parsing (fast SLL first, full LL with plain-word errors
// only when that fails), then the AST builder. No ANTLR type leaves this call.
#pragma once

#include "compiler/frontend/ast.h"
#include "compiler/frontend/diag_limiter.h"

namespace apc::compiler {

// wantLayout: also produce the canonical lines and comments for `apc fmt`.
ast::File parseFile(ir::FileId file, const ir::SourceManager& sm, Reporter& rep, bool wantLayout);

}  // namespace apc::compiler
