// Sets of adapter/domain IDs (0..255) and of queues (APQNs), with the mask
// and queue spellings the kernel uses. Bit numbering is MSB-0 everywhere in
// text: ID 0 is the most significant bit of the first hex digit.
#pragma once

#include <bitset>
#include <compare>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace apc::ir {

inline constexpr unsigned kMaxIds = 256;
using IdSet = std::bitset<kMaxIds>;

IdSet makeIdSet(std::initializer_list<unsigned> ids);
IdSet makeIdSet(const std::vector<unsigned>& ids);
std::vector<unsigned> toVector(const IdSet& s);  // ascending

// "0x" + widthBits/4 lower-case hex digits, MSB-0. widthBits is 16, 64 or 256;
// IDs >= widthBits must not be set (APC_BUG_CHECK).
std::string formatMask(const IdSet& s, unsigned widthBits = 256);
// Parses what formatMask (and the kernel's sysfs) prints: "0x" + up to 64
// hex digits, MSB-0, shorter strings zero-padded on the right. nullopt on bad text.
std::optional<IdSet> parseMask(std::string_view text);
// Human list with ranges collapsed: "0x04, 0x47, 0xab" / "0x00..0x0f".
std::string formatIdList(const IdSet& s);

struct Queue {
  std::uint8_t adapter = 0;
  std::uint8_t domain = 0;
  friend auto operator<=>(const Queue&, const Queue&) = default;
};

// "05.00ab": the kernel's %02x.%04x.
std::string formatQueue(Queue q);
inline std::string formatQueue(unsigned a, unsigned d) {
  return formatQueue(Queue{static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(d)});
}
// "05" (card row as lszcrypt prints it) and "0x5" (how apc writes IDs to sysfs:
// 0x-hex, never zero-padded, since the kernel reads a leading 0 as octal).
std::string formatCard(unsigned adapter);
std::string formatSysfsId(unsigned id);

// All 65536 possible queues as one bitset indexed adapter*256 + domain.
class QueueSet {
 public:
  void insert(unsigned a, unsigned d) { bits_.set(a * kMaxIds + d); }
  void erase(unsigned a, unsigned d) { bits_.reset(a * kMaxIds + d); }
  bool contains(unsigned a, unsigned d) const { return bits_.test(a * kMaxIds + d); }
  bool empty() const { return bits_.none(); }
  std::size_t size() const { return bits_.count(); }
  // Every queue in adapters x domains.
  void insertProduct(const IdSet& adapters, const IdSet& domains);
  std::vector<Queue> toVector() const;  // adapter-major, ascending
  QueueSet& operator|=(const QueueSet& o) { bits_ |= o.bits_; return *this; }
  QueueSet& operator&=(const QueueSet& o) { bits_ &= o.bits_; return *this; }
  friend bool operator==(const QueueSet&, const QueueSet&) = default;

 private:
  std::bitset<kMaxIds * kMaxIds> bits_;
};

}  // namespace apc::ir
