// `apc discover [--root ROOT] [--sysfs SYSFS]`: print the live AP
// configuration as a plan, guests named from ROOT's mdevctl and libvirt files.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>

#include "kmod/discover/discover.h"
#include "tools/apc/atomic_write.h"
#include "tools/apc/commands.h"

namespace apc::cli {

void registerDiscover(CLI::App& app, int& exitCode) {
  struct Flags {
    kmod::DiscoverOptions opts;
    std::string root = "/";
    std::string sysfs;
    std::string output;
  };
  auto f = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand("discover", "Read the live sysfs and print it as a plan");
  cmd->add_option("--root", f->root,
                  "The host's root: ROOT/etc/mdevctl.d and ROOT/etc/libvirt/qemu name the guests, "
                  "ROOT/etc/hostname the host (default /)");
  cmd->add_option("--sysfs", f->sysfs, "sysfs root (default ROOT/sys; an `apc sim` mount works too)");
  cmd->add_option("--name", f->opts.hostName, "Name of the host block (default: ROOT/etc/hostname, else discovered)");
  cmd->add_option("-o,--output", f->output, "Write the plan to FILE instead of stdout");
  cmd->callback([f, &exitCode] {
    kmod::DiscoverOptions opts = f->opts;
    opts.etcRoot = f->root;
    opts.root = f->sysfs.empty() ? (std::filesystem::path(f->root) / "sys").string() : f->sysfs;
    kmod::DiscoverResult r = kmod::discover(opts);
    for (const auto& w : r.warnings) std::cerr << "apc: warning: " << w << "\n";
    if (!r.ok) {
      std::cerr << "apc: error: " << r.error << "\n";
      exitCode = kExitUsage;
      return;
    }
    if (f->output.empty()) {
      std::cout << r.plan;
    } else if (std::string err = writeFileAtomic(f->output, r.plan); !err.empty()) {
      std::cerr << "apc: error: " << err << "\n";
      exitCode = kExitUsage;
      return;
    }
    exitCode = kExitOk;
  });
}

}  // namespace apc::cli
