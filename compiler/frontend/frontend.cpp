// The public entry points of the front end (compiler/frontend/frontend.h):
// load -> parse -> lower -> check, and fmt. Diagnostics are sorted by place.
#include "compiler/frontend/frontend.h"

#include "compiler/frontend/formatter.h"
#include "compiler/frontend/lower.h"
#include "compiler/frontend/parse_file.h"

namespace apc::compiler {

namespace {

std::optional<ir::Plan> load(const std::string& path, std::optional<std::string> text, ir::SourceManager& sm,
                             ir::DiagEngine& diags) {
  const std::size_t before = diags.errorCount();
  Reporter rep(diags);
  LoadedPlan loaded = loadFiles(path, std::move(text), sm, rep, false);
  std::optional<ir::Plan> plan;
  if (loaded.readable) plan = lowerPlan(loaded, path, rep);
  diags.sortByLocation();
  if (diags.errorCount() != before) return std::nullopt;
  return plan;
}

std::optional<std::string> format(const std::string& path, std::optional<std::string> text, ir::SourceManager& sm,
                                  ir::DiagEngine& diags) {
  const std::size_t before = diags.errorCount();
  Reporter rep(diags);
  if (!text) {
    std::string why;
    text = readFile(path, why);
    if (!text) {
      rep.error(ir::DiagCode::IoError, {}, "cannot read '" + path + "': " + why);
      return std::nullopt;
    }
  }
  ir::FileId id = sm.addBuffer(path, std::move(*text));
  ast::File f = parseFile(id, sm, rep, true);
  diags.sortByLocation();
  // Any error, not only a syntax error: the AST builder drops a statement it
  // rejects (a setting given twice, E118), so formatting past one would
  // delete the user's line and turn an invalid plan into a valid one.
  if (!f.syntaxOk || diags.errorCount() != before) return std::nullopt;
  return formatAst(f, sm);
}

}  // namespace

std::optional<ir::Plan> loadPlan(const std::string& path, ir::SourceManager& sm, ir::DiagEngine& diags) {
  return load(path, std::nullopt, sm, diags);
}

std::optional<ir::Plan> loadPlanFromText(const std::string& displayPath, std::string text, ir::SourceManager& sm,
                                         ir::DiagEngine& diags) {
  return load(displayPath, std::move(text), sm, diags);
}

bool mergePolicyFile(const std::string& path, ir::Plan& plan, ir::SourceManager& sm, ir::DiagEngine& diags) {
  const std::size_t before = diags.errorCount();
  Reporter rep(diags);
  LoadedPlan loaded = loadFiles(path, std::nullopt, sm, rep, false);
  for (const FlatItem& fi : loaded.items) {
    if (const auto* p = std::get_if<ast::PolicyDecl>(fi.item)) {
      lowerPolicy(*p, plan.policy, rep);
      continue;
    }
    rep.error(ir::DiagCode::PolicyFileContent, itemRange(*fi.item),
              "a --policy file may hold only 'policy { ... }' blocks");
  }
  diags.sortByLocation();
  return diags.errorCount() == before;
}

std::optional<std::string> formatFile(const std::string& path, ir::SourceManager& sm, ir::DiagEngine& diags) {
  return format(path, std::nullopt, sm, diags);
}

std::optional<std::string> formatText(const std::string& displayPath, std::string text, ir::SourceManager& sm,
                                      ir::DiagEngine& diags) {
  return format(displayPath, std::move(text), sm, diags);
}

}  // namespace apc::compiler
