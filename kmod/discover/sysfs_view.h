// What discovery needs of a sysfs tree, so the same reader runs over the real
// /sys (or an `apc sim` mount) and over the kernel model in memory (benches).
// Paths are relative to the tree's root, without a leading '/': "bus/ap/apmask".
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace apc::kmod {

class SysfsView {
 public:
  virtual ~SysfsView() = default;
  // The file's bytes; nullopt when it cannot be read.
  virtual std::optional<std::string> read(const std::string& path) const = 0;
  // The entries' names; empty when `path` is no directory.
  virtual std::vector<std::string> list(const std::string& path) const = 0;
  virtual bool isDirectory(const std::string& path) const = 0;
  // A symlink's target as stored; nullopt when `path` is no symlink.
  virtual std::optional<std::string> linkTarget(const std::string& path) const = 0;
  // How the tree is named in messages (its root path).
  virtual std::string describe(const std::string& path) const = 0;
};

// The files under `root` (plain reads, through std::filesystem).
std::unique_ptr<SysfsView> fileSysfs(std::string root);

}  // namespace apc::kmod
