// The small file reads discovery does (sysfs attributes, /etc files), in one
// place so their limits are set once.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace apc::kmod {

// The whole file, or nullopt when it cannot be opened or read.
std::optional<std::string> readSysfsFile(const std::filesystem::path& p);
// `s` without trailing newlines and spaces.
std::string trimLine(std::string s);
// 8-4-4-4-12 hex digits (either case).
bool isCanonicalUuidText(const std::string& s);

}  // namespace apc::kmod
