// The front end's public face: text in, plan IR (or diagnostics) out.
// Parsing (ANTLR), include resolution, lowering to the IR and the semantic
// checks all live behind this header; the parse tree never leaves this folder.
#pragma once

#include <optional>
#include <string>

#include "compiler/ir/diagnostic.h"
#include "compiler/ir/plan_ir.h"

namespace apc::compiler {

// Reads `path` and its includes into `sm`, parses, lowers and checks. Every
// error found goes to `diags` (one run finds them all). Returns the plan when
// no error was reported (warnings allowed). If the main file itself cannot be
// read, the IoError diagnostic has no source range: the CLI exits 2 for that.
std::optional<ir::Plan> loadPlan(const std::string& path, ir::SourceManager& sm,
                                 ir::DiagEngine& diags);

// Same, from text already in memory (tests, stdin). Includes resolve relative
// to the directory of `displayPath`.
std::optional<ir::Plan> loadPlanFromText(const std::string& displayPath, std::string text,
                                         ir::SourceManager& sm, ir::DiagEngine& diags);

// `--policy FILE`: a file holding only `policy { ... }` blocks; its rules are
// added to `plan.policy`. Returns false when it had errors.
bool mergePolicyFile(const std::string& path, ir::Plan& plan, ir::SourceManager& sm,
                     ir::DiagEngine& diags);

// `apc fmt`: the canonical text of one file. Include lines stay include lines.
// Comments are kept. Returns nullopt (with diagnostics) on a syntax error.
std::optional<std::string> formatFile(const std::string& path, ir::SourceManager& sm,
                                      ir::DiagEngine& diags);
std::optional<std::string> formatText(const std::string& displayPath, std::string text,
                                      ir::SourceManager& sm, ir::DiagEngine& diags);

}  // namespace apc::compiler
