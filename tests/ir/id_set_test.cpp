// Mask spelling (MSB-0, widths by CRYCB format) against an independent
// bit-by-bit computation, and the queue/ID spellings the kernel uses.
#include <gtest/gtest.h>

#include <random>

#include "compiler/ir/id_set.h"
#include "compiler/ir/internal_error.h"

namespace apc::ir {
namespace {

// Independent reference: build the mask as an array of bytes, ID n setting
// bit (7 - n % 8) of byte n / 8, then print bytes as two hex digits each.
std::string referenceMask(const std::vector<unsigned>& ids, unsigned width) {
  std::vector<unsigned char> bytes(width / 8, 0);
  for (unsigned id : ids) bytes[id / 8] |= static_cast<unsigned char>(0x80u >> (id % 8));
  std::string s = "0x";
  char buf[3];
  for (unsigned char b : bytes) {
    std::snprintf(buf, sizeof buf, "%02x", b);
    s += buf;
  }
  return s;
}

TEST(IdSet, SeedGuest1ApmHasBits5And6) {
  // The design document's Guest1 holds adapters 5 and 6: 0x06 in the first byte.
  EXPECT_EQ(formatMask(makeIdSet({5, 6}), 64), "0x0600000000000000");
}

TEST(IdSet, ZeroAndMaximumOfEachFormat) {
  EXPECT_EQ(formatMask(makeIdSet({0}), 16), "0x8000");
  EXPECT_EQ(formatMask(makeIdSet({15}), 16), "0x0001");
  EXPECT_EQ(formatMask(makeIdSet({63}), 64), "0x0000000000000001");
  EXPECT_EQ(formatMask(makeIdSet({0, 255}), 256), referenceMask({0, 255}, 256));
  EXPECT_EQ(formatMask(makeIdSet({}), 256).size(), 66u);
}

TEST(IdSet, IdPastTheWidthIsABug) {
  EXPECT_THROW(formatMask(makeIdSet({16}), 16), InternalError);
  EXPECT_THROW(formatMask(makeIdSet({64}), 64), InternalError);
}

TEST(IdSet, RandomSetsMatchReferenceInAllWidths) {
  std::mt19937 rng(42);
  for (unsigned width : {16u, 64u, 256u})
    for (int round = 0; round < 200; ++round) {
      std::vector<unsigned> ids;
      IdSet s;
      for (unsigned i = 0; i < width; ++i)
        if (rng() % 4 == 0) {
          ids.push_back(i);
          s.set(i);
        }
      std::string text = formatMask(s, width);
      ASSERT_EQ(text, referenceMask(ids, width));
      auto back = parseMask(text);
      ASSERT_TRUE(back.has_value());
      EXPECT_EQ(*back, s);
    }
}

TEST(IdSet, ParseMaskPadsOnTheRightAndRejectsJunk) {
  // As the kernel: hex digits fill from the left, shorter strings pad with zeros.
  EXPECT_EQ(*parseMask("0x5"), makeIdSet({1, 3}));
  EXPECT_EQ(*parseMask("0x8000000000000000000000000000000000000000000000000000000000000000\n"), makeIdSet({0}));
  EXPECT_FALSE(parseMask("0xg").has_value());
  EXPECT_FALSE(parseMask(std::string(65, 'f')).has_value());
}

TEST(IdSet, Spellings) {
  EXPECT_EQ(formatQueue(5, 0xab), "05.00ab");
  EXPECT_EQ(formatQueue(0xff, 0xff), "ff.00ff");
  EXPECT_EQ(formatCard(5), "05");
  EXPECT_EQ(formatSysfsId(0), "0x0");
  EXPECT_EQ(formatSysfsId(0x47), "0x47");  // never zero-padded: the kernel reads 047 as octal
  EXPECT_EQ(formatIdList(makeIdSet({4, 0x47, 0xab})), "0x04, 0x47, 0xab");
  EXPECT_EQ(formatIdList(makeIdSet({0, 1, 2, 3, 9, 10})), "0x00..0x03, 0x09, 0x0a");
}

TEST(QueueSet, ProductAndOrder) {
  QueueSet q;
  q.insertProduct(makeIdSet({6, 5}), makeIdSet({0xab, 4}));
  std::vector<Queue> v = q.toVector();
  ASSERT_EQ(v.size(), 4u);
  EXPECT_EQ(formatQueue(v[0]), "05.0004");
  EXPECT_EQ(formatQueue(v[1]), "05.00ab");
  EXPECT_EQ(formatQueue(v[3]), "06.00ab");
}

}  // namespace
}  // namespace apc::ir
