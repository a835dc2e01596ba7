#include "compiler/ir/text_escape.h"

namespace apc::ir {

namespace {

const char* kHex = "0123456789abcdef";

bool isC1(std::string_view t, std::size_t i) {
  return static_cast<unsigned char>(t[i]) == 0xc2 && i + 1 < t.size() &&
         static_cast<unsigned char>(t[i + 1]) >= 0x80 && static_cast<unsigned char>(t[i + 1]) <= 0x9f;
}

}  // namespace

bool needsTerminalEscape(std::string_view text, bool keepTabs) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (keepTabs && c == '\t') continue;
    if (c < 0x20 || c == 0x7f || isC1(text, i)) return true;
  }
  return false;
}

std::string escapeForTerminal(std::string_view text, bool keepTabs) {
  if (!needsTerminalEscape(text, keepTabs)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (isC1(text, i)) {
      unsigned char n = static_cast<unsigned char>(text[++i]);
      out += "\\u{";
      out += kHex[n >> 4];
      out += kHex[n & 15];
      out += '}';
      continue;
    }
    if ((c >= 0x20 && c != 0x7f) || (keepTabs && c == '\t')) {
      out += static_cast<char>(c);
      continue;
    }
    switch (c) {
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case 0x1b: out += "\\e"; break;
      default:
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace apc::ir
