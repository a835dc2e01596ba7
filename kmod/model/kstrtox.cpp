// Mirrors _parse_integer_fixup_radix / _parse_integer / _kstrtoull of
// lib/kstrtox.c (6.x; unchanged since 4.x) byte for byte.
#include "kmod/model/kstrtox.h"

#include <cerrno>
#include <cctype>

namespace apc::kmod {
namespace {

int digitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

bool isHex(char c) { return digitValue(c) < 16; }

// _parse_integer_fixup_radix with base 0: returns the base and skips "0x"
// only when a hex digit follows it.
unsigned fixupRadix(std::string_view& s) {
  if (!s.empty() && s[0] == '0') {
    if (s.size() >= 3 && (s[1] == 'x' || s[1] == 'X') && isHex(s[2])) {
      s.remove_prefix(2);
      return 16;
    }
    return 8;
  }
  return 10;
}

struct Digits {
  std::uint64_t value = 0;
  std::size_t count = 0;
  bool overflow = false;
};

Digits parseDigits(std::string_view s, unsigned base) {
  Digits d;
  for (char c : s) {
    unsigned v = static_cast<unsigned>(digitValue(c));
    if (v >= base) break;
    if (d.value > (UINT64_MAX - v) / base) d.overflow = true;
    d.value = d.value * base + v;
    ++d.count;
  }
  return d;
}

}  // namespace

ParsedNumber kstrtoul(std::string_view s) {
  if (auto nul = s.find('\0'); nul != std::string_view::npos) s = s.substr(0, nul);
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  unsigned base = fixupRadix(s);
  Digits d = parseDigits(s, base);
  if (d.overflow) return {ERANGE, 0};
  if (d.count == 0) return {EINVAL, 0};
  s.remove_prefix(d.count);
  if (!s.empty() && s[0] == '\n') s.remove_prefix(1);
  if (!s.empty()) return {EINVAL, 0};
  return {0, d.value};
}

PartialNumber simpleStrtoul(std::string_view s) {
  std::string_view rest = s;
  unsigned base = fixupRadix(rest);
  Digits d = parseDigits(rest, base);
  if (d.count == 0) return {0, 0};
  return {d.value, (s.size() - rest.size()) + d.count};
}

}  // namespace apc::kmod
