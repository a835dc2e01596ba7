// `apc show`: the solved allocation for people, without writing anything but
// the picture asked for: text for a terminal (folded to its width, coloured
// on a TTY unless NO_COLOR), or an SVG picture or a self-contained HTML page.
#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "backends/backend.h"
#include "backends/show_render.h"
#include "tools/apc/atomic_write.h"
#include "tools/apc/cli_common.h"
#include "tools/apc/commands.h"

namespace apc::cli {

namespace {

struct ShowFlags {
  std::string format = "text";
  std::string output;
  std::size_t width = 0;  // 0: not given
  bool compress = false;  // --compress: runs of identical domain columns as one range column
};

// The terminal's width when stdout is one: TIOCGWINSZ, else $COLUMNS; 0 (no
// limit) when piped, so files and pipes get every column.
std::size_t terminalWidth() {
  if (!::isatty(STDOUT_FILENO)) return 0;
  struct winsize ws {};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (const char* c = std::getenv("COLUMNS")) {
    char* end = nullptr;
    unsigned long v = std::strtoul(c, &end, 10);
    if (end != c && *end == '\0' && v > 0 && v < 100000) return v;
  }
  return 0;
}

std::string render(const ir::SolvedPlan& solved, const ShowFlags& f, bool toTerminal) {
  if (f.format == "svg") return backends::renderShowSvg(solved);
  if (f.format == "html") return backends::renderShowHtml(solved);
  backends::ShowOptions o;
  o.width = f.width != 0 ? f.width : (toTerminal ? terminalWidth() : 0);
  o.compressRuns = f.compress;
  o.colour = toTerminal && ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
  return backends::renderShow(solved, o);
}

}  // namespace

void registerShow(CLI::App& app, int& exitCode) {
  auto flags = std::make_shared<CommonFlags>();
  auto show = std::make_shared<ShowFlags>();
  auto* cmd = app.add_subcommand("show", "Print each guest's queues and the host's matrix view");
  addPipelineFlags(*cmd, *flags);
  cmd->add_option("--format", show->format, "text (a terminal's matrix), svg (a picture) or html (a page)")
      ->check(CLI::IsMember({"text", "svg", "html"}))
      ->default_str("text");
  cmd->add_option("-o,--output", show->output, "Write to FILE instead of standard output");
  cmd->add_option("--width", show->width, "Columns the text matrix may use (default: the terminal's; unlimited "
                                          "when piped); wider hosts fold into blocks of domains")
      ->check(CLI::Range(std::size_t{8}, std::size_t{100000}));
  cmd->add_flag("--compress", show->compress,
                "Text matrix: 3 or more adjacent domains that read the same in every adapter row become one "
                "column headed by their range (10-3f), so wide hosts fold into fewer blocks");
  cmd->callback([flags, show, &exitCode] {
    Compilation c;
    runPipeline(pipelineOptions(*flags), c);
    reportDiagnostics(c, "text");
    exitCode = exitCodeFor(c);
    if (exitCode != kExitOk) return;
    std::string bytes = render(*c.solved, *show, show->output.empty());
    if (show->output.empty()) {
      std::cout << bytes;
      return;
    }
    if (std::string err = writeFileAtomic(show->output, bytes); !err.empty()) {
      std::cerr << "apc: error: " << err << "\n";
      exitCode = kExitUsage;
    }
  });
}

}  // namespace apc::cli
