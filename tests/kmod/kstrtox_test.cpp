// kstrtoul and the AP bus mask parser against the edge cases of
// lib/kstrtox.c and ap_bus.c (ap_parse_bitmap_str) listed in KERNEL.md.
#include <gtest/gtest.h>

#include <cerrno>

#include "kmod/model/bitmap_parse.h"
#include "kmod/model/kstrtox.h"

namespace apc::kmod {
namespace {

using ir::IdSet;
using ir::makeIdSet;

TEST(Kstrtoul, RadixFromPrefix) {
  EXPECT_EQ(kstrtoul("5").value, 5u);
  EXPECT_EQ(kstrtoul("0x05").value, 5u);
  EXPECT_EQ(kstrtoul("0XAB").value, 171u);
  EXPECT_EQ(kstrtoul("010").value, 8u);    // leading 0 = octal (_parse_integer_fixup_radix)
  EXPECT_EQ(kstrtoul("0047").value, 39u);
  EXPECT_EQ(kstrtoul("0").value, 0u);
  EXPECT_EQ(kstrtoul("+7").value, 7u);     // kstrtoull skips one '+'
  EXPECT_EQ(kstrtoul("5\n").value, 5u);    // one trailing newline
  EXPECT_EQ(kstrtoul("5\n").err, 0);
}

TEST(Kstrtoul, Rejects) {
  for (const char* bad : {"08", "0x", "", "\n", " 5", "5 ", "5\n\n", "5,6", "-1", "++5", "0x\n", "abc", "5x"})
    EXPECT_EQ(kstrtoul(bad).err, EINVAL) << "input: '" << bad << "'";
}

TEST(Kstrtoul, OverflowIsErange) {
  EXPECT_EQ(kstrtoul("18446744073709551615").err, 0);
  EXPECT_EQ(kstrtoul("18446744073709551616").err, ERANGE);
  EXPECT_EQ(kstrtoul("0x10000000000000000").err, ERANGE);
}

TEST(Kstrtoul, StopsAtNul) {
  // kernfs NUL-terminates the buffer at `count`; a NUL inside ends the string.
  EXPECT_EQ(kstrtoul(std::string_view("5\0junk", 6)).value, 5u);
}

IdSet all() { return IdSet().set(); }

TEST(BitmapParse, AbsoluteHexFillsFromTheLeft) {
  // `echo 5 > apmask` is hex digit 5 = 0101: bits 1 and 3, not adapter 5.
  auto p = parseBitmapStr("5", all());
  EXPECT_EQ(p.err, 0);
  EXPECT_EQ(p.mask, makeIdSet({1, 3}));
  EXPECT_EQ(parseBitmapStr("0x0600", all()).mask, makeIdSet({5, 6}));
  EXPECT_EQ(parseBitmapStr("x80", all()).mask, makeIdSet({0}));
  EXPECT_EQ(parseBitmapStr("ff\n", IdSet()).mask, makeIdSet({0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(parseBitmapStr("0xA", IdSet()).mask, makeIdSet({0, 2}));  // upper-case digits
}

TEST(BitmapParse, EmptyOrBarePrefixClearsTheMask) {
  EXPECT_EQ(parseBitmapStr("\n", all()).err, 0);
  EXPECT_TRUE(parseBitmapStr("\n", all()).mask.none());
  EXPECT_TRUE(parseBitmapStr("0x", all()).mask.none());
  EXPECT_TRUE(parseBitmapStr("", all()).mask.none());
}

TEST(BitmapParse, AbsoluteRejects) {
  std::string d64(64, 'f'), d65(65, 'f');
  EXPECT_EQ(parseBitmapStr("0x" + d64, IdSet()).err, 0);
  EXPECT_TRUE(parseBitmapStr("0x" + d64, IdSet()).mask.all());
  EXPECT_EQ(parseBitmapStr("0x" + d65, IdSet()).err, EINVAL);  // more than 64 digits
  EXPECT_EQ(parseBitmapStr("0X12", IdSet()).err, EINVAL);       // only a lower-case x is skipped
  EXPECT_EQ(parseBitmapStr("12 ", IdSet()).err, EINVAL);
  EXPECT_EQ(parseBitmapStr("12\n\n", IdSet()).err, EINVAL);
  EXPECT_EQ(parseBitmapStr("0xg", IdSet()).err, EINVAL);
}

TEST(BitmapParse, RelativeTermsApplyInOrder) {
  auto p = parseBitmapStr("-5,-6", all());
  EXPECT_EQ(p.err, 0);
  EXPECT_EQ(p.mask, ~makeIdSet({5, 6}));
  EXPECT_EQ(parseBitmapStr("+0-15,+32,-0x8", IdSet()).mask,
            makeIdSet({0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15, 32}));
  EXPECT_EQ(parseBitmapStr("-0-255,+1-3,+0x10", all()).mask, makeIdSet({1, 2, 3, 16}));
  EXPECT_EQ(parseBitmapStr("+010", IdSet()).mask, makeIdSet({8}));  // octal as simple_strtoul
  EXPECT_EQ(parseBitmapStr("+1\n+2\n", IdSet()).mask, makeIdSet({1, 2}));
  EXPECT_EQ(parseBitmapStr("+1,,+2,", IdSet()).mask, makeIdSet({1, 2}));
  EXPECT_EQ(parseBitmapStr("+3,-3", IdSet()).mask, IdSet());  // the last term wins
}

TEST(BitmapParse, RelativeRejects) {
  for (const char* bad : {"+256", "+5-4", "+", "+1 ,+2", "+1,2", "+08", "-0x", "+1-", "+1-256", "+a"})
    EXPECT_EQ(parseBitmapStr(bad, all()).err, EINVAL) << "input: '" << bad << "'";
  EXPECT_EQ(parseBitmapStr("+255", IdSet()).mask, makeIdSet({255}));
}

}  // namespace
}  // namespace apc::kmod
