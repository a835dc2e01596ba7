// Command-line IDs: hex with 0x, or one digit; see cli_ids.h.
#include "tools/apc/cli_ids.h"

#include <cctype>
#include <cstdio>
#include <string_view>

#include "compiler/ir/id_set.h"

namespace apc::cli {

namespace {

std::optional<unsigned long> digitsIn(const std::string& s, int base) {
  if (s.empty() || s.size() > 8) return std::nullopt;
  unsigned long v = 0;
  for (char ch : s) {
    int d;
    if (std::isdigit(static_cast<unsigned char>(ch))) d = ch - '0';
    else if (std::isxdigit(static_cast<unsigned char>(ch))) d = std::tolower(static_cast<unsigned char>(ch)) - 'a' + 10;
    else return std::nullopt;
    if (d >= base) return std::nullopt;
    v = v * static_cast<unsigned long>(base) + static_cast<unsigned long>(d);
  }
  return v;
}

std::string hexSpelling(unsigned long v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%02lx", v);
  return buf;
}

}  // namespace

CliId parseCliId(const std::string& text, const char* what) {
  const std::string article = std::string_view(what) == "adapter" ? "an " : "a ";
  const std::string range = article + what + " ID (0x00..0xff)";
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    auto v = digitsIn(text.substr(2), 16);
    if (v && *v < ir::kMaxIds) return {static_cast<unsigned>(*v), ""};
    return {std::nullopt, "'" + text + "' is not " + range};
  }
  if (text.size() == 1 && std::isdigit(static_cast<unsigned char>(text[0])))
    return {static_cast<unsigned>(text[0] - '0'), ""};
  auto hex = digitsIn(text, 16);
  if (!hex) return {std::nullopt, "'" + text + "' is not " + range + "; write it in hex, as 0x11 for lszcrypt's 11"};
  // Two readings: hex as lszcrypt and sysfs print it, decimal as typed.
  auto dec = digitsIn(text, 10);
  bool hexOk = *hex < ir::kMaxIds;
  bool decOk = dec && *dec < ir::kMaxIds && !(text.size() > 1 && text[0] == '0');
  const std::string prefix = "'" + text + "' ";
  if (hexOk && decOk && *hex != *dec)
    return {std::nullopt, prefix + "is ambiguous as " + article + what + " ID (hex as lszcrypt prints it, or decimal): write " +
                              hexSpelling(*hex) + ", or " + hexSpelling(*dec) + " for decimal " + text};
  if (hexOk)  // "0c", "05", "ab": one reading, written as lszcrypt does
    return {std::nullopt, prefix + "needs its 0x on the command line: write " + hexSpelling(*hex)};
  if (decOk)  // "171": past 0xff as hex
    return {std::nullopt, prefix + "is decimal, and IDs are hex on the command line: write " + hexSpelling(*dec) +
                              " for decimal " + text};
  return {std::nullopt, prefix + "is not " + range};
}

}  // namespace apc::cli
