// SARIF 2.1.0 rendering of diagnostics, so code-scanning front ends (GitHub,
// GitLab, VS Code's SARIF viewer) show apc's findings on the plan's lines.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/diagnostic.h"

namespace apc::ir {

// One SARIF log with one run: tool.driver "apc" with its version and the whole
// code catalogue as rules; one result per diagnostic, notes as
// relatedLocations. Artifact URIs are relative to the current directory when
// the file lies under it (else absolute file:// URIs). Columns count bytes,
// 1-based, endColumn exclusive (SARIF's region rules). Deterministic: the
// output depends only on the diagnostics, the sources and the current directory.
std::string renderSarif(const std::vector<Diagnostic>& ds, const SourceManager& sm);

// The same with an explicit base directory for relative URIs (tests).
std::string renderSarif(const std::vector<Diagnostic>& ds, const SourceManager& sm,
                        std::string_view baseDir);

}  // namespace apc::ir
