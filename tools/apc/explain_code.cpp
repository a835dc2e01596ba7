// A code's section of the built-in docs/diagnostics.md (see explain_code.h).
// Sections start with "### E203 LockedWouldMove" and end at the next "### "
// or "## " heading.
#include "tools/apc/explain_code.h"

#include <cctype>
#include <string>

#include "compiler/ir/diagnostic.h"

namespace apc::cli {

bool isDiagnosticCode(std::string_view t) {
  return t.size() == 4 && (t[0] == 'E' || t[0] == 'W' || t[0] == 'N') &&
         std::isdigit(static_cast<unsigned char>(t[1])) && std::isdigit(static_cast<unsigned char>(t[2])) &&
         std::isdigit(static_cast<unsigned char>(t[3]));
}

bool explainCode(std::string_view code, std::ostream& out) {
  if (!isDiagnosticCode(code)) return false;
  const std::string_view doc = diagnosticsDoc();
  const std::string heading = "\n### " + std::string(code) + " ";
  std::size_t at = doc.find(heading);
  if (at == std::string_view::npos) return false;
  at += 1;
  std::size_t end = doc.find("\n## ", at);
  std::size_t nextCode = doc.find("\n### ", at + 1);
  if (nextCode < end) end = nextCode;
  if (end == std::string_view::npos) end = doc.size();
  std::string_view section = doc.substr(at + 4, end - at - 4);  // without "### "
  while (!section.empty() && section.back() == '\n') section.remove_suffix(1);
  out << section << "\n";
  return true;
}

}  // namespace apc::cli
