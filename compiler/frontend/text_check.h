// Byte-level checks on a file before it reaches the lexer (NUL bytes, invalid
// UTF-8), and the map from ANTLR's code-point indices back to byte offsets.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace apc::compiler {

// Offset of the first NUL byte or invalid UTF-8 sequence, nullopt for text.
std::optional<std::uint32_t> findBinaryByte(std::string_view text);

// ANTLR indexes characters by code point; diagnostics need byte offsets.
// For pure ASCII (the usual plan) the map is the identity and costs nothing.
class OffsetMap {
 public:
  explicit OffsetMap(std::string_view utf8Text);
  std::uint32_t byteOffset(std::size_t codePointIndex) const;

 private:
  std::vector<std::uint32_t> starts_;  // byte offset of each code point; empty when ASCII
  std::uint32_t size_ = 0;
};

}  // namespace apc::compiler
