// `apc discover`: reads a live sysfs (the real /sys or the emulated one of
// `apc sim`) with plain file reads and prints it as a plan: the host block and
// one guest per mdev, such that compiling that plan reproduces the configuration.
#pragma once

#include <string>
#include <vector>

namespace apc::kmod {

struct DiscoverOptions {
  std::string root = "/sys";
  std::string hostName = "discovered";
};

struct DiscoverResult {
  bool ok = false;
  std::string plan;                   // the plan text (when ok)
  std::string error;                  // why not (when !ok)
  std::vector<std::string> warnings;  // things the plan cannot say, also as comments in it
};

DiscoverResult discover(const DiscoverOptions& opts);

}  // namespace apc::kmod
