// Helpers shared by the front-end tests: run the front end on text and keep
// the diagnostics, their rendering and the plan together.
#pragma once

#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "compiler/frontend/frontend.h"
#include "compiler/ir/diag_printer.h"

namespace apc::compiler::testing {

struct Checked {
  ir::SourceManager sm;
  ir::DiagEngine diags;
  std::optional<ir::Plan> plan;

  std::string text() const { return ir::renderTextAll(diags.all(), sm); }
  std::size_t errors() const { return diags.errorCount(); }
  // Number of diagnostics with this code.
  std::size_t count(ir::DiagCode c) const {
    std::size_t n = 0;
    for (const auto& d : diags.all()) n += d.code == c;
    return n;
  }
  const ir::Diagnostic* first(ir::DiagCode c) const {
    for (const auto& d : diags.all())
      if (d.code == c) return &d;
    return nullptr;
  }
  // "line:col" of a diagnostic's start.
  std::string where(const ir::Diagnostic& d) const {
    auto lc = sm.begin(d.range);
    return std::to_string(lc.line) + ":" + std::to_string(lc.column);
  }
};

inline std::unique_ptr<Checked> check(const std::string& text, const std::string& name = "plan.ap") {
  auto c = std::make_unique<Checked>();
  c->plan = loadPlanFromText(name, text, c->sm, c->diags);
  return c;
}

inline std::string readAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A small valid host for tests that are about guests.
inline const char* kHost =
    "host lpar {\n"
    "    adapter 0x01..0x04 CEX7C;\n"
    "    adapter 0x05 CEX7A;\n"
    "    adapter 0x06 CEX7P;\n"
    "    domains 0x00..0x0f;\n"
    "}\n";

}  // namespace apc::compiler::testing
