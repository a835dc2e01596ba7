// Byte-exact port of modify_bitmap / hex2bitmap from ap_bus.c (6.19 tree; the
// same code since 4.19). One deliberate difference: the kernel stores term
// numbers in an int, so values >= 2^31 wrap; we reject every N >= 256.
#include "kmod/model/bitmap_parse.h"

#include <cerrno>

#include "kmod/model/kstrtox.h"

namespace apc::kmod {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view cutAtNul(std::string_view s) {
  auto nul = s.find('\0');
  return nul == std::string_view::npos ? s : s.substr(0, nul);
}

ParsedMask modifyBitmap(std::string_view s, ir::IdSet mask) {
  while (!s.empty()) {
    char sign = s[0];
    s.remove_prefix(1);
    if (sign != '+' && sign != '-') return {EINVAL, {}};
    PartialNumber a = simpleStrtoul(s);
    if (a.consumed == 0 || a.value >= ir::kMaxIds) return {EINVAL, {}};
    s.remove_prefix(a.consumed);
    std::uint64_t z = a.value;
    if (!s.empty() && s[0] == '-') {
      s.remove_prefix(1);
      PartialNumber b = simpleStrtoul(s);
      if (b.consumed == 0 || a.value > b.value || b.value >= ir::kMaxIds) return {EINVAL, {}};
      s.remove_prefix(b.consumed);
      z = b.value;
    }
    for (std::uint64_t i = a.value; i <= z; ++i) mask.set(i, sign == '+');
    while (!s.empty() && (s[0] == ',' || s[0] == '\n')) s.remove_prefix(1);
  }
  return {0, mask};
}

}  // namespace

ParsedMask hex2bitmap(std::string_view s) {
  s = cutAtNul(s);
  if (s.size() >= 2 && s[0] == '0' && s[1] == 'x') s.remove_prefix(1);
  if (!s.empty() && s[0] == 'x') s.remove_prefix(1);
  ir::IdSet mask;
  unsigned bit = 0;
  while (!s.empty() && hexValue(s[0]) >= 0 && bit < ir::kMaxIds) {
    int v = hexValue(s[0]);
    for (unsigned n = 0; n < 4; ++n)
      if (v & (8 >> n)) mask.set(bit + n);
    bit += 4;
    s.remove_prefix(1);
  }
  if (!s.empty() && s[0] == '\n') s.remove_prefix(1);
  if (!s.empty()) return {EINVAL, {}};
  return {0, mask};
}

ParsedMask parseBitmapStr(std::string_view s, const ir::IdSet& current) {
  s = cutAtNul(s);
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) return modifyBitmap(s, current);
  return hex2bitmap(s);
}

}  // namespace apc::kmod
