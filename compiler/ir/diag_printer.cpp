// The caret line copies tabs from the source line so the caret lands under
// the right character whatever the terminal's tab width.
#include "compiler/ir/diag_printer.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "compiler/ir/text_escape.h"

namespace apc::ir {

namespace {

const char* colorFor(Severity s) {
  switch (s) {
    case Severity::Error: return "\033[1;31m";
    case Severity::Warning: return "\033[1;35m";
    case Severity::Note: return "\033[1;30m";
  }
  return "";
}

void appendLocated(std::string& out, Severity sev, const SourceRange& r, const std::string& msg,
                   const std::string& code, const SourceManager& sm, TextStyle style) {
  const char* bold = style.color ? "\033[1m" : "";
  const char* reset = style.color ? "\033[0m" : "";
  const char* sevColor = style.color ? colorFor(sev) : "";
  // Paths and messages quote plan text: control characters are shown escaped.
  std::string where = r.valid() ? escapeForTerminal(sm.describe(r)) : std::string("apc");
  out += bold + where + ": " + reset + sevColor + std::string(severityString(sev)) + ": " + reset +
         bold + escapeForTerminal(msg) + reset;
  if (!code.empty()) out += " [" + code + "]";
  out += '\n';
  if (!r.valid()) return;
  std::string_view raw = sm.lineText(r.file, r.begin);
  LineCol lc = sm.begin(r);
  // The caret goes under the escaped text, so the line before the column is
  // measured after escaping.
  const std::string line = escapeForTerminal(raw, /*keepTabs=*/true);
  const std::string before =
      escapeForTerminal(raw.substr(0, std::min<std::size_t>(raw.size(), lc.column ? lc.column - 1 : 0)), true);
  out.append(line);
  out += '\n';
  std::string caret;
  for (char ch : before) caret += ch == '\t' ? '\t' : ' ';
  caret += '^';
  // Underline the rest of the range, clipped to this line.
  std::uint32_t len = r.end > r.begin ? r.end - r.begin : 1;
  std::uint32_t room = line.size() > before.size() ? static_cast<std::uint32_t>(line.size() - before.size()) : 1;
  for (std::uint32_t i = 1; i < std::min(len, room); ++i) caret += '~';
  if (style.color) caret = std::string("\033[1;32m") + caret + "\033[0m";
  out += caret + '\n';
}

}  // namespace

std::string renderText(const Diagnostic& d, const SourceManager& sm, TextStyle style) {
  std::string out;
  appendLocated(out, d.severity, d.range, d.message, std::string(codeString(d.code)), sm, style);
  if (d.fixit && d.fixit->range.valid())
    out += "fix-it: replace with '" + escapeForTerminal(d.fixit->replacement) + "'\n";
  for (const DiagNote& n : d.notes) appendLocated(out, Severity::Note, n.range, n.message, "", sm, style);
  return out;
}

std::string renderTextAll(const std::vector<Diagnostic>& ds, const SourceManager& sm,
                          TextStyle style) {
  std::string out;
  std::size_t errors = 0, warnings = 0;
  for (const Diagnostic& d : ds) {
    out += renderText(d, sm, style);
    if (d.severity == Severity::Error) ++errors;
    if (d.severity == Severity::Warning) ++warnings;
  }
  auto plural = [](std::size_t n, const char* w) {
    return std::to_string(n) + " " + w + (n == 1 ? "" : "s");
  };
  if (errors && warnings)
    out += plural(errors, "error") + " and " + plural(warnings, "warning") + " generated.\n";
  else if (errors)
    out += plural(errors, "error") + " generated.\n";
  else if (warnings)
    out += plural(warnings, "warning") + " generated.\n";
  return out;
}

namespace {
nlohmann::ordered_json locJson(const SourceRange& r, const SourceManager& sm) {
  nlohmann::ordered_json j;
  if (!r.valid()) {
    j["file"] = nullptr;
    return j;
  }
  LineCol b = sm.lineCol(r.file, r.begin);
  LineCol e = sm.lineCol(r.file, r.end > r.begin ? r.end : r.begin + 1);
  j["file"] = sm.path(r.file);
  j["line"] = b.line;
  j["column"] = b.column;
  j["end_line"] = e.line;
  j["end_column"] = e.column;
  return j;
}
}  // namespace

std::string renderJson(const std::vector<Diagnostic>& ds, const SourceManager& sm) {
  nlohmann::ordered_json root;
  root["diagnostics"] = nlohmann::ordered_json::array();
  std::size_t errors = 0, warnings = 0;
  for (const Diagnostic& d : ds) {
    nlohmann::ordered_json j;
    j["severity"] = severityString(d.severity);
    j["code"] = codeString(d.code);
    j["message"] = d.message;
    j.update(locJson(d.range, sm));
    j["notes"] = nlohmann::ordered_json::array();
    for (const DiagNote& n : d.notes) {
      nlohmann::ordered_json jn;
      jn["message"] = n.message;
      jn.update(locJson(n.range, sm));
      j["notes"].push_back(jn);
    }
    if (d.fixit) j["fixit"] = {{"replacement", d.fixit->replacement}};
    root["diagnostics"].push_back(j);
    if (d.severity == Severity::Error) ++errors;
    if (d.severity == Severity::Warning) ++warnings;
  }
  root["errors"] = errors;
  root["warnings"] = warnings;
  // ASCII only: DEL and C1 controls are \u-escaped too (JSON escapes only
  // 0x00-0x1f), and bytes that are not UTF-8 become U+FFFD instead of a throw.
  return root.dump(2, ' ', /*ensure_ascii=*/true, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace apc::ir
