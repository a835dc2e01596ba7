// Flags several commands share (the plan, --policy, lock handling, --format)
// and the small helpers that print a compilation's outcome.
#pragma once

#include <string>

#include "tools/apc/pipeline.h"

namespace CLI {
class App;
}

namespace apc::cli {

struct CommonFlags {
  PipelineOptions pipeline;
  std::string format = "text";
  bool noLock = false;
};

// Adds PLAN, --policy, --lock-file, --no-lock and --locked to `cmd`.
void addPipelineFlags(CLI::App& cmd, CommonFlags& flags);
// Adds --format with the given choices ("text", "json", "sarif").
void addFormatFlag(CLI::App& cmd, CommonFlags& flags, bool withSarif);
// Resolves --no-lock into the pipeline options.
PipelineOptions pipelineOptions(const CommonFlags& flags);
// Prints diagnostics the way every command does: text to stderr (colour on a
// terminal unless NO_COLOR), json/sarif to stdout.
void reportDiagnostics(const Compilation& c, const std::string& format);

}  // namespace apc::cli
