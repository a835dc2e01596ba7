// `apc show`: the solved allocation for people, without writing anything but
// the picture asked for: text for a terminal (folded to its width, coloured
// on a TTY unless NO_COLOR), or an SVG picture or a self-contained HTML page.
// `apc show --live` draws the same pictures of the live host instead
// (backends/live/show_live.h), with the queues its guests cannot use marked.
#include <sys/ioctl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include "backends/backend.h"
#include "backends/live/show_live.h"
#include "backends/show_render.h"
#include "compiler/ir/text_escape.h"
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
  bool live = false;      // --live: the live host instead of a plan
  std::string root = "/";
  std::string sysfs;      // "": ROOT/sys
  std::string name;
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

std::string render(const backends::ShowModel& model, const ShowFlags& f, bool toTerminal) {
  if (f.format == "svg") return backends::renderShowSvg(model);
  if (f.format == "html") return backends::renderShowHtml(model);
  backends::ShowOptions o;
  o.width = f.width != 0 ? f.width : (toTerminal ? terminalWidth() : 0);
  o.compressRuns = f.compress;
  o.colour = toTerminal && ::isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
  return backends::renderShow(model, o);
}

// Writes the picture to stdout or, atomically, to -o FILE.
int emit(const backends::ShowModel& model, const ShowFlags& f) {
  std::string bytes = render(model, f, f.output.empty());
  if (f.output.empty()) {
    std::cout << bytes;
    return kExitOk;
  }
  if (std::string err = writeFileAtomic(f.output, bytes); !err.empty()) {
    std::cerr << "apc: error: " << err << "\n";
    return kExitUsage;
  }
  return kExitOk;
}

// `apc show --live`: refuses plan arguments (the picture is of the host, a
// plan would be silently ignored), then reads the host.
int showLive(const CommonFlags& flags, const ShowFlags& f) {
  const PipelineOptions& p = flags.pipeline;
  if (!p.planPath.empty()) {
    std::cerr << "apc: error: show --live draws the live host and takes no plan (got " << p.planPath
              << "); drop PLAN, or drop --live to draw the plan\n";
    return kExitUsage;
  }
  if (!p.policyFiles.empty() || !p.lockPath.empty() || flags.noLock || p.locked) {
    std::cerr << "apc: error: show --live reads no plan, so --policy, --lock-file, --no-lock and --locked do "
                 "not apply\n";
    return kExitUsage;
  }
  backends::LiveShowOptions o;
  o.etcRoot = f.root;
  o.sysfsRoot = f.sysfs.empty() ? (std::filesystem::path(f.root) / "sys").string() : f.sysfs;
  o.hostName = f.name;
  backends::LiveShowResult r = backends::readLiveShow(o);
  if (!r.ok) {
    std::cerr << "apc: error: cannot read the live host: " << r.error << "\n";
    return kExitUsage;
  }
  for (const std::string& w : r.warnings) std::cerr << "apc: note: " << ir::escapeForTerminal(w) << "\n";
  return emit(r.model, f);
}

}  // namespace

void registerShow(CLI::App& app, int& exitCode) {
  auto flags = std::make_shared<CommonFlags>();
  auto show = std::make_shared<ShowFlags>();
  auto* cmd = app.add_subcommand("show", "Print each guest's queues and the host's matrix view");
  addPipelineFlags(*cmd, *flags);
  // PLAN is required unless --live (checked in the callback, with a message
  // that says which of the two to drop).
  cmd->get_option("plan")->required(false);
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
  auto* live = cmd->add_flag("--live", show->live,
                              "Draw the live host (its sysfs; guests named from libvirt under ROOT, start policy from mdevctl) "
                              "instead of a plan; queues a guest is assigned but cannot use are marked A!");
  cmd->add_option("--root", show->root,
                  "With --live: the host's root; ROOT/etc/mdevctl.d and ROOT/etc/libvirt/qemu name the guests "
                  "(default /)")
      ->needs(live);
  cmd->add_option("--sysfs", show->sysfs, "With --live: the sysfs root (default ROOT/sys; an `apc sim` mount works too)")
      ->needs(live);
  cmd->add_option("--name", show->name, "With --live: the host's name (default: ROOT/etc/hostname, else discovered)")
      ->needs(live);
  cmd->callback([flags, show, &exitCode] {
    if (show->live) {
      exitCode = showLive(*flags, *show);
      return;
    }
    if (flags->pipeline.planPath.empty()) {
      std::cerr << "apc: error: show needs a PLAN to draw, or --live to draw the live host\n";
      exitCode = kExitUsage;
      return;
    }
    Compilation c;
    runPipeline(pipelineOptions(*flags), c);
    reportDiagnostics(c, "text");
    exitCode = exitCodeFor(c);
    if (exitCode != kExitOk) return;
    exitCode = emit(backends::showModelOf(*c.solved), *show);
  });
}

}  // namespace apc::cli
