// Mask text is built nibble by nibble: hex digit k holds IDs 4k..4k+3, with
// ID 4k in its most significant bit (MSB-0, as the kernel's set_bit_inv).
#include "compiler/ir/id_set.h"

#include <cstdio>

#include "compiler/ir/internal_error.h"

namespace apc::ir {

IdSet makeIdSet(std::initializer_list<unsigned> ids) {
  IdSet s;
  for (unsigned id : ids) s.set(id);
  return s;
}

IdSet makeIdSet(const std::vector<unsigned>& ids) {
  IdSet s;
  for (unsigned id : ids) s.set(id);
  return s;
}

std::vector<unsigned> toVector(const IdSet& s) {
  std::vector<unsigned> v;
  for (unsigned i = 0; i < kMaxIds; ++i)
    if (s.test(i)) v.push_back(i);
  return v;
}

std::string formatMask(const IdSet& s, unsigned widthBits) {
  APC_BUG_CHECK(widthBits == 16 || widthBits == 64 || widthBits == 256, "mask width");
  for (unsigned i = widthBits; i < kMaxIds; ++i)
    APC_BUG_CHECK(!s.test(i), "ID " + std::to_string(i) + " past a " +
                                  std::to_string(widthBits) + "-bit mask");
  static const char* kHex = "0123456789abcdef";
  std::string out = "0x";
  for (unsigned nib = 0; nib < widthBits / 4; ++nib) {
    unsigned v = 0;
    for (unsigned b = 0; b < 4; ++b)
      if (s.test(nib * 4 + b)) v |= 8u >> b;
    out += kHex[v];
  }
  return out;
}

std::optional<IdSet> parseMask(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  if (text.substr(0, 2) == "0x" || text.substr(0, 2) == "0X") text.remove_prefix(2);
  if (text.size() > kMaxIds / 4) return std::nullopt;
  IdSet s;
  for (unsigned nib = 0; nib < text.size(); ++nib) {
    char c = text[nib];
    unsigned v;
    if (c >= '0' && c <= '9') v = c - '0';
    else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    else return std::nullopt;
    for (unsigned b = 0; b < 4; ++b)
      if (v & (8u >> b)) s.set(nib * 4 + b);
  }
  return s;
}

std::string formatIdList(const IdSet& s) {
  std::string out;
  auto hex = [](unsigned v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02x", v);
    return std::string(buf);
  };
  for (unsigned i = 0; i < kMaxIds;) {
    if (!s.test(i)) { ++i; continue; }
    unsigned j = i;
    while (j + 1 < kMaxIds && s.test(j + 1)) ++j;
    if (!out.empty()) out += ", ";
    out += hex(i);
    if (j >= i + 2) out += ".." + hex(j);
    else if (j == i + 1) out += ", " + hex(j);
    i = j + 1;
  }
  return out;
}

std::string formatQueue(Queue q) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02x.%04x", q.adapter, q.domain);
  return buf;
}

std::string formatCard(unsigned adapter) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02x", adapter);
  return buf;
}

std::string formatSysfsId(unsigned id) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%x", id);
  return buf;
}

void QueueSet::insertProduct(const IdSet& adapters, const IdSet& domains) {
  for (unsigned a = 0; a < kMaxIds; ++a)
    if (adapters.test(a))
      for (unsigned d = 0; d < kMaxIds; ++d)
        if (domains.test(d)) insert(a, d);
}

std::vector<Queue> QueueSet::toVector() const {
  std::vector<Queue> v;
  for (std::size_t i = bits_._Find_first(); i < bits_.size(); i = bits_._Find_next(i))
    v.push_back({static_cast<std::uint8_t>(i / kMaxIds), static_cast<std::uint8_t>(i % kMaxIds)});
  return v;
}

}  // namespace apc::ir
