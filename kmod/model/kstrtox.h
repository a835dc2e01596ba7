// The kernel's number parsers as sysfs stores see them (lib/kstrtox.c,
// lib/vsprintf.c): kstrtoul(buf, 0, &v) for the mdev attributes and `remove`,
// simple_strtoul(s, &end, 0) inside the apmask/aqmask relative syntax.
#pragma once

#include <cstdint>
#include <string_view>

namespace apc::kmod {

struct ParsedNumber {
  int err = 0;  // 0, EINVAL or ERANGE
  std::uint64_t value = 0;
};

// kstrtoul(s, 0, &v): one leading '+', radix from the prefix (0x + hex digit
// = hex, other leading 0 = octal, else decimal), at least one digit, one
// optional '\n', then the end. Overflow past 2^64-1 is ERANGE. The kernel's
// buffer ends at the first NUL byte, so `s` is cut there first.
ParsedNumber kstrtoul(std::string_view s);

// simple_strtoul(s, &end, 0): same radix rules, no sign, stops at the first
// non-digit; `consumed` is how many characters were used, including a `0x`
// prefix (0 when no digit was read). Overflow wraps silently as in the kernel.
struct PartialNumber {
  std::uint64_t value = 0;
  std::size_t consumed = 0;
};
PartialNumber simpleStrtoul(std::string_view s);

}  // namespace apc::kmod
