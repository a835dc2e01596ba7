// `apc explain CODE`: a diagnostic code's section of docs/diagnostics.md
// (its summary, an example of the real output and what to do), printed from
// the copy of that file built into apc.
#pragma once

#include <ostream>
#include <string_view>

namespace CLI {
class App;
}

namespace apc::cli {

// Whether `text` looks like a diagnostic code: E, W or N and three digits.
bool isDiagnosticCode(std::string_view text);
// Prints the code's documentation; false (nothing printed) when the code is
// not in the catalogue.
bool explainCode(std::string_view code, std::ostream& out);
// The whole docs/diagnostics.md as built into apc (explain_doc.cpp, generated).
std::string_view diagnosticsDoc();

}  // namespace apc::cli
