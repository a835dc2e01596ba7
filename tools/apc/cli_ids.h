// Adapter and domain IDs typed on the command line. sysfs, lszcrypt and apc's
// own output print them in hex without "0x" ("11", "0c"), so a bare number
// of two or more digits is ambiguous: it is refused with both readings
// rather than silently read as decimal.
#pragma once

#include <optional>
#include <string>

namespace apc::cli {

struct CliId {
  std::optional<unsigned> value;
  std::string error;  // set when !value: why, with the spellings to use
};

// Accepts "0x11" (hex, 0..255) and a single digit "5" (the same either way).
// "11" -> "'11' is ambiguous: write 0x11, or 0x0b for decimal 11";
// "0c" -> "... write 0x0c". `what` is "adapter" or "domain".
CliId parseCliId(const std::string& text, const char* what);

}  // namespace apc::cli
