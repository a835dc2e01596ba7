// Parse tree -> AST for one file, plus the canonical lines `apc fmt` prints.
// Reports what only the tree shows: unknown statements (E007), settings given
// twice (E118), bad string escapes. Tolerates trees repaired by error recovery.
#pragma once

#include "compiler/frontend/ast.h"
#include "compiler/frontend/syntax_errors.h"

namespace apc::compiler {

ast::File buildAst(apc_gen::ApcParser::PlanContext* tree, antlr4::CommonTokenStream& tokens,
                   const TokenPlace& place, Reporter& rep, bool wantLayout);

// The canonical spelling of a string literal's contents ("..." with escapes).
std::string quoteString(std::string_view s);

}  // namespace apc::compiler
