// Each `apc` subcommand lives in its own cmd_*.cpp and registers itself on
// the CLI11 app here. When a subcommand runs, its callback stores the process
// exit code (ExitCode) in `exitCode`. main.cpp only parses flags and calls these.
#pragma once

namespace CLI {
class App;
}

namespace apc::cli {

enum ExitCode : int { kExitOk = 0, kExitPlanErrors = 1, kExitUsage = 2, kExitInternal = 3 };

void registerCheck(CLI::App& app, int& exitCode);     // cmd_check.cpp
void registerCompile(CLI::App& app, int& exitCode);   // cmd_compile.cpp
void registerFmt(CLI::App& app, int& exitCode);       // cmd_fmt.cpp
void registerShow(CLI::App& app, int& exitCode);      // cmd_show.cpp
void registerSim(CLI::App& app, int& exitCode);       // cmd_sim.cpp      (kmod)
void registerDiscover(CLI::App& app, int& exitCode);  // cmd_discover.cpp (kmod)
void registerQuery(CLI::App& app, int& exitCode);     // cmd_query.cpp
void registerDiff(CLI::App& app, int& exitCode);      // cmd_diff.cpp
void registerExplain(CLI::App& app, int& exitCode);   // cmd_explain.cpp

}  // namespace apc::cli
