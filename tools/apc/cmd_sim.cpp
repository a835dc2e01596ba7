// `apc sim mount PLAN MOUNTPOINT`: the emulated sysfs of the plan's host block
// (kernel model + FUSE), for rehearsing emitted scripts: SYSFS=MOUNTPOINT apply.sh.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "compiler/frontend/frontend.h"
#include "compiler/ir/diag_printer.h"
#include "kmod/model/host_flags.h"
#include "kmod/model/kernel_model.h"
#include "kmod/sim/sim_server.h"
#include "tools/apc/commands.h"

namespace apc::cli {

void registerSim(CLI::App& app, int& exitCode) {
  struct Flags {
    std::string plan;
    std::string mountpoint;
    std::vector<std::string> faults;
    std::vector<std::string> holds;
    std::string kernel;
    std::string defaultDomain;
    std::vector<std::string> busy, cardStates, overrides;
    bool foreground = false;
  };
  auto f = std::make_shared<Flags>();
  auto* sim = app.add_subcommand("sim", "Emulated sysfs of a plan's host (FUSE)");
  sim->require_subcommand(1);
  auto* mount = sim->add_subcommand(
      "mount",
      "Serve the host block of PLAN as a sysfs tree at MOUNTPOINT until SIGTERM/SIGINT or "
      "`fusermount3 -u MOUNTPOINT`. Test control: MOUNTPOINT/.apc-sim/{faults,hold,release,"
      "reset,events,writes,state,config}");
  mount->add_option("plan", f->plan, "Plan (or `apc discover` output) whose host block to emulate")
      ->required();
  mount->add_option("mountpoint", f->mountpoint, "An empty folder")->required();
  mount->add_option("--fault", f->faults,
                    "\"N PATH ERRNO\": the Nth write to PATH (below the root) fails with ERRNO "
                    "(a name like EIO or a number); repeatable");
  mount->add_option("--hold", f->holds, "UUID of an mdev a running guest holds; repeatable");
  mount->add_option("--kernel", f->kernel,
                    "Kernel generation whose AP bus and vfio_ap rules to serve: 4.20, 5.15, 6.0, 6.10 or "
                    "6.19 (default, the newest); modern interface only");
  mount->add_option("--default-domain", f->defaultDomain,
                    "zcrypt's default domain (bus/ap/ap_domain), as ap.domain= sets it; default: chosen "
                    "at boot like the kernel (the first usage domain with a queue)");
  mount->add_option("--busy", f->busy, "QUEUE[=N]: zcrypt has N (default 1) requests in flight on QUEUE "
                                       "(like 05.0004); repeatable");
  mount->add_option("--card-state", f->cardStates, "CARD=deconfigured|checkstop|offline (CARD like 05); repeatable");
  mount->add_option("--driver-override", f->overrides,
                    "QUEUE=vfio_ap|cex4queue: a driver_override set at boot (6.19); repeatable");
  mount->add_flag("-f,--foreground", f->foreground, "Stay in the foreground (default: daemonize once mounted)");
  mount->callback([f, &exitCode] {
    ir::SourceManager sm;
    ir::DiagEngine diags;
    std::optional<ir::Plan> plan = compiler::loadPlan(f->plan, sm, diags);
    if (!diags.all().empty()) std::cerr << ir::renderTextAll(diags.all(), sm);
    if (!plan) {
      bool io = false;
      for (const auto& d : diags.all()) io |= d.code == ir::DiagCode::IoError && !d.range.valid();
      exitCode = io ? kExitUsage : kExitPlanErrors;
      return;
    }
    kmod::SimOptions opts;
    opts.mountpoint = f->mountpoint;
    opts.foreground = f->foreground;
    for (const auto& s : f->faults) {
      auto spec = kmod::parseFaultSpec(s);
      if (!spec) {
        std::cerr << "apc: error: --fault '" << s << "': expected \"N PATH ERRNO\"\n";
        exitCode = kExitUsage;
        return;
      }
      opts.faults.push_back(*spec);
    }
    for (const auto& u : f->holds) {
      if (u.size() != 36) {
        std::cerr << "apc: error: --hold '" << u << "': not a uuid\n";
        exitCode = kExitUsage;
        return;
      }
      opts.holds.push_back(u);
    }
    kmod::HostConfig host = kmod::hostConfigFromInventory(plan->host);
    // The kernel first: whether a driver_override can exist depends on it.
    auto apply = [&](const char* flag, const std::string& value, auto fn) {
      std::string why = fn(host, value);
      if (why.empty()) return true;
      std::cerr << "apc: error: " << flag << " '" << value << "': " << why << "\n";
      exitCode = kExitUsage;
      return false;
    };
    if (!f->kernel.empty()) {
      if (plan->host.interface != ir::Interface::Modern) {
        std::cerr << "apc: error: --kernel applies to the modern interface only (the plan's host is legacy)\n";
        exitCode = kExitUsage;
        return;
      }
      if (!apply("--kernel", f->kernel, kmod::applyKernelFlag)) return;
    }
    if (!f->defaultDomain.empty() && !apply("--default-domain", f->defaultDomain, kmod::applyDefaultDomainFlag))
      return;
    for (const auto& v : f->busy)
      if (!apply("--busy", v, kmod::applyBusyFlag)) return;
    for (const auto& v : f->cardStates)
      if (!apply("--card-state", v, kmod::applyCardStateFlag)) return;
    for (const auto& v : f->overrides)
      if (!apply("--driver-override", v, kmod::applyDriverOverrideFlag)) return;
    kmod::KernelModel model(std::move(host));
    std::string error;
    if (kmod::runSim(model, opts, error) != 0) {
      std::cerr << "apc: error: " << error << "\n";
      exitCode = kExitUsage;
      return;
    }
    exitCode = kExitOk;
  });
}

}  // namespace apc::cli
