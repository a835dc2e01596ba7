// UTF-8 validation follows RFC 3629: no overlongs, no surrogates, max U+10FFFF.
#include "compiler/frontend/text_check.h"

namespace apc::compiler {

std::optional<std::uint32_t> findBinaryByte(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c == 0) return static_cast<std::uint32_t>(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
    else return static_cast<std::uint32_t>(i);
    if (i + len > n) return static_cast<std::uint32_t>(i);
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return static_cast<std::uint32_t>(i);
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return static_cast<std::uint32_t>(i);
    i += len;
  }
  return std::nullopt;
}

OffsetMap::OffsetMap(std::string_view t) : size_(static_cast<std::uint32_t>(t.size())) {
  bool ascii = true;
  for (char c : t)
    if (static_cast<unsigned char>(c) >= 0x80) { ascii = false; break; }
  if (ascii) return;
  for (std::uint32_t i = 0; i < t.size(); ++i)
    if ((static_cast<unsigned char>(t[i]) & 0xC0) != 0x80) starts_.push_back(i);
}

std::uint32_t OffsetMap::byteOffset(std::size_t cp) const {
  if (starts_.empty()) return cp < size_ ? static_cast<std::uint32_t>(cp) : size_;
  return cp < starts_.size() ? starts_[cp] : size_;
}

}  // namespace apc::compiler
