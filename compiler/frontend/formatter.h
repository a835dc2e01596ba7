// `apc fmt`: prints one file's canonical lines with its comments put back.
#pragma once

#include <string>

#include "compiler/frontend/ast.h"
#include "compiler/ir/source_manager.h"

namespace apc::compiler {

// Layout: 4-space indent, one statement per line, one blank line around
// blocks. A comment on the same line as a statement stays at its end; any
// other comment goes on its own line before the next statement, at its indent.
std::string formatAst(const ast::File& file, const ir::SourceManager& sm);

}  // namespace apc::compiler
