// See sysfs_read.h.
#include "kmod/discover/sysfs_read.h"

#include <cctype>

#include "compiler/ir/file_read.h"

namespace apc::kmod {

// Attributes go through the bounded reader: a FIFO or /dev/zero planted in a
// --sysfs tree must not hang discover, nor a huge file eat memory.
std::optional<std::string> readSysfsFile(const std::filesystem::path& p) {
  ir::ReadError err;
  return ir::readBoundedFile(p.string(), err, ir::kMaxAttributeBytes);
}

std::string trimLine(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

bool isCanonicalUuidText(const std::string& s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (s[i] == '-')) return false;
    if (!dash && !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

}  // namespace apc::kmod
