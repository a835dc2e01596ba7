// `apc fmt`: print a plan in canonical form; --write rewrites it atomically,
// --check only says (exit 1) whether it is already canonical.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "compiler/frontend/frontend.h"
#include "compiler/ir/diag_printer.h"
#include "tools/apc/atomic_write.h"
#include "tools/apc/commands.h"

namespace apc::cli {

void registerFmt(CLI::App& app, int& exitCode) {
  struct Flags {
    std::vector<std::string> files;
    bool write = false;
    bool check = false;
  };
  auto f = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand("fmt", "Print plans in canonical form");
  cmd->add_option("plans", f->files, "Plan files")->required();
  cmd->add_flag("-w,--write", f->write, "Rewrite each file in place (atomically)");
  cmd->add_flag("--check", f->check, "Change nothing; exit 1 if a file is not in canonical form");
  cmd->callback([f, &exitCode] {
    exitCode = kExitOk;
    for (const std::string& path : f->files) {
      ir::SourceManager sm;
      ir::DiagEngine diags;
      std::optional<std::string> out = compiler::formatFile(path, sm, diags);
      if (!diags.all().empty()) std::cerr << ir::renderTextAll(diags.all(), sm);
      if (!out) {
        bool io = false;
        for (const auto& d : diags.all()) io |= d.code == ir::DiagCode::IoError && !d.range.valid();
        exitCode = std::max(exitCode, io ? int(kExitUsage) : int(kExitPlanErrors));
        continue;
      }
      if (f->check) {
        if (*out != sm.text(0)) {
          std::cerr << path << ": not in canonical form (run apc fmt --write)\n";
          exitCode = std::max(exitCode, int(kExitPlanErrors));
        }
      } else if (f->write) {
        if (*out != sm.text(0)) {
          if (std::string err = writeFileAtomic(path, *out); !err.empty()) {
            std::cerr << "apc: error: " << err << "\n";
            exitCode = kExitUsage;
          }
        }
      } else {
        std::cout << *out;
      }
    }
  });
}

}  // namespace apc::cli
