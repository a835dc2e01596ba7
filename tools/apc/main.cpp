// apc's entry point: parses flags and calls the libraries. Exit codes:
// 0 ok, 1 the plan has errors, 2 usage or I/O error, 3 internal error.
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "compiler/ir/internal_error.h"
#include "compiler/ir/version.h"
#include "tools/apc/commands.h"

int main(int argc, char** argv) {
  using namespace apc::cli;
  CLI::App app{"apc: the AP configuration compiler for KVM guests on IBM Z (vfio-ap)", "apc"};
  app.set_version_flag("--version", std::string("apc ") + apc::kVersion);
  app.require_subcommand(1);
  app.fallthrough(false);
  int exitCode = kExitOk;
  registerCheck(app, exitCode);
  registerCompile(app, exitCode);
  registerFmt(app, exitCode);
  registerShow(app, exitCode);
  registerQuery(app, exitCode);
  registerDiff(app, exitCode);
  registerExplain(app, exitCode);
  registerDiscover(app, exitCode);
  registerSim(app, exitCode);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);  // prints help/version to stdout, errors to stderr
    return rc == 0 ? kExitOk : kExitUsage;
  } catch (const apc::ir::InternalError& e) {
    std::cerr << "apc: internal error: " << e.what()
              << "\nThis is a bug in apc, not in your plan; please report it with the plan attached.\n";
    return kExitInternal;
  } catch (const std::bad_alloc&) {
    std::cerr << "apc: internal error: out of memory\n";
    return kExitInternal;
  } catch (const std::exception& e) {
    std::cerr << "apc: internal error: " << e.what()
              << "\nThis is a bug in apc; please report it with the plan attached.\n";
    return kExitInternal;
  }
  return exitCode;
}
