// Backends are pure functions from the solved plan to files. They never write
// to disk and never see the parse tree; the driver writes (temp + rename).
// One table lists them all; it drives `--emit` and `--help`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/solved_plan.h"

namespace apc::backends {

struct Artifact {
  std::string path;   // relative to the output folder, '/'-separated
  std::string bytes;
  bool executable = false;
};

using EmitFn = std::vector<Artifact> (*)(const ir::SolvedPlan&);

struct Backend {
  std::string_view name;         // the --emit name: "json", "crycb", "scripts", ...
  std::string_view description;  // one line for --help
  EmitFn emit;
};

// Every backend, in the order --emit lists them and artifacts are written.
const std::vector<Backend>& registry();

// `apc show` / the table `apc compile` prints: per guest an lszcrypt-like
// table and the host's matrix view.
std::string renderShow(const ir::SolvedPlan& solved);

}  // namespace apc::backends
