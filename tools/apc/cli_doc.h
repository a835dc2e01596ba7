// The man page (apc.1) and the bash completion script, both generated from
// the CLI11 definition itself, so they list exactly the subcommands and
// flags apc accepts. The build runs `apc --cli-doc man|bash` (a hidden flag
// of main.cpp) and writes build/apc.1 and build/apc.bash-completion.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace apc::cli {

std::string manPage(const CLI::App& app, const std::string& version);
std::string bashCompletion(const CLI::App& app);

}  // namespace apc::cli
