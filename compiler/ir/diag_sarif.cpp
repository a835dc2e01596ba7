// SARIF 2.1.0 writer (OASIS standard, schema sarif-schema-2.1.0.json).
#include "compiler/ir/diag_sarif.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "compiler/ir/version.h"

namespace apc::ir {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kSchema =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

struct RuleEntry {
  std::string_view name;
  std::string_view code;
};
constexpr RuleEntry kRules[] = {
#define APC_DIAG(name, code, summary) {#name, code},
#include "compiler/ir/diag_codes.def"
#undef APC_DIAG
};

std::string_view levelOf(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

// RFC 3986: keep unreserved characters and '/', percent-encode the rest so a
// path with spaces or '#' stays one URI.
std::string uriEscape(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

// Relative to baseDir when the file lies under it, else an absolute file:// URI.
std::string artifactUri(const std::string& path, std::string_view baseDir) {
  namespace fs = std::filesystem;
  fs::path base = fs::path(baseDir).lexically_normal();
  fs::path p = fs::path(path);
  if (p.is_relative()) p = base / p;
  p = p.lexically_normal();
  fs::path rel = p.lexically_relative(base);
  if (!rel.empty() && *rel.begin() != "..") return uriEscape(rel.generic_string());
  return "file://" + uriEscape(p.generic_string());
}

Json physicalLocation(const SourceRange& r, const SourceManager& sm, std::string_view baseDir) {
  LineCol b = sm.lineCol(r.file, r.begin);
  LineCol e = sm.lineCol(r.file, r.end > r.begin ? r.end : r.begin + 1);
  Json region;
  region["startLine"] = b.line;
  region["startColumn"] = b.column;
  region["endLine"] = e.line;
  region["endColumn"] = e.column;
  Json loc;
  loc["artifactLocation"] = {{"uri", artifactUri(sm.path(r.file), baseDir)}};
  loc["region"] = region;
  return loc;
}

Json driver() {
  Json rules = Json::array();
  for (DiagCode c : allDiagCodes()) {
    const RuleEntry& e = kRules[static_cast<std::size_t>(c)];
    Json rule;
    rule["id"] = e.code;
    rule["name"] = e.name;
    rule["shortDescription"] = {{"text", std::string(codeSummary(c))}};
    rule["defaultConfiguration"] = {{"level", e.code.front() == 'W' ? "warning" : "error"}};
    rules.push_back(rule);
  }
  Json d;
  d["name"] = "apc";
  d["version"] = kVersion;
  d["rules"] = rules;
  return d;
}

}  // namespace

std::string renderSarif(const std::vector<Diagnostic>& ds, const SourceManager& sm,
                        std::string_view baseDir) {
  Json results = Json::array();
  for (const Diagnostic& d : ds) {
    Json r;
    r["ruleId"] = codeString(d.code);
    r["ruleIndex"] = static_cast<std::size_t>(d.code);
    r["level"] = levelOf(d.severity);
    r["message"] = {{"text", d.message}};
    Json locs = Json::array();
    if (d.range.valid()) locs.push_back({{"physicalLocation", physicalLocation(d.range, sm, baseDir)}});
    r["locations"] = locs;
    Json related = Json::array();
    int id = 1;
    for (const DiagNote& n : d.notes) {
      Json rl;
      rl["id"] = id++;
      if (n.range.valid()) rl["physicalLocation"] = physicalLocation(n.range, sm, baseDir);
      rl["message"] = {{"text", n.message}};
      related.push_back(rl);
    }
    if (!related.empty()) r["relatedLocations"] = related;
    results.push_back(r);
  }
  Json run;
  run["tool"] = {{"driver", driver()}};
  run["columnKind"] = "unicodeCodePoints";
  run["results"] = results;
  Json root;
  root["$schema"] = kSchema;
  root["version"] = "2.1.0";
  root["runs"] = Json::array({run});
  // ASCII only, as renderJson: no raw DEL or C1 control, no throw on bad UTF-8.
  return root.dump(2, ' ', /*ensure_ascii=*/true, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string renderSarif(const std::vector<Diagnostic>& ds, const SourceManager& sm) {
  std::error_code ec;
  std::filesystem::path cwd = std::filesystem::current_path(ec);
  return renderSarif(ds, sm, ec ? std::string("/") : cwd.string());
}

}  // namespace apc::ir
