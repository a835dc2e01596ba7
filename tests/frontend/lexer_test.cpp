// The lexing traps of the plan language, each decided by a test: queue
// literals vs numbers vs ranges vs families, uuids that start like numbers,
// identifiers with '.' and '-', leading zeros, comments and strings.
#include <gtest/gtest.h>

#include "tests/frontend/test_util.h"

namespace apc::compiler::testing {
namespace {

std::string hostWith(const std::string& body) {
  return "host h {\n    adapter 0x00..0xff CEX7C;\n    domains 0x00..0xff;\n" + body + "}\n";
}

TEST(Lexer, QueueLiteralIsHexOnBothSides) {
  auto c = check(hostWith("    reserve 05.0004, 10.0010;\n"));
  ASSERT_TRUE(c->plan) << c->text();
  EXPECT_TRUE(c->plan->host.reservedQueues.contains(0x05, 0x04));
  EXPECT_TRUE(c->plan->host.reservedQueues.contains(0x10, 0x10));  // not decimal 10
  EXPECT_EQ(c->plan->host.reservedQueues.size(), 2u);
}

TEST(Lexer, QueueWithLettersFirstIsAQueueNotAName) {
  auto c = check(hostWith("    offline ab.00ff;\n"));
  ASSERT_TRUE(c->plan) << c->text();
  EXPECT_TRUE(c->plan->host.offlineQueues.contains(0xab, 0xff));
}

TEST(Lexer, Wildcards) {
  auto c = check(hostWith("    reserve 05.*, *.0004;\n"));
  ASSERT_TRUE(c->plan) << c->text();
  const auto& r = c->plan->host.reservedQueues;
  EXPECT_TRUE(r.contains(0x05, 0x00));
  EXPECT_TRUE(r.contains(0x05, 0xff));
  EXPECT_TRUE(r.contains(0x00, 0x04));
  EXPECT_TRUE(r.contains(0xff, 0x04));
  EXPECT_EQ(r.size(), 256u + 256u - 1u);
  ASSERT_EQ(c->plan->host.reserve.size(), 2u);
  EXPECT_FALSE(c->plan->host.reserve[0].domain.has_value());
  EXPECT_FALSE(c->plan->host.reserve[1].adapter.has_value());
}

TEST(Lexer, LeadingZeroIsAnErrorWithAHintAndFixit) {
  auto c = check("host h {\n    adapter 5 CEX7C;\n    domains 05;\n}\n");
  EXPECT_FALSE(c->plan);
  ASSERT_EQ(c->errors(), 1u) << c->text();
  const ir::Diagnostic* d = c->first(ir::DiagCode::LeadingZero);
  ASSERT_TRUE(d);
  EXPECT_EQ(c->where(*d), "3:13");
  EXPECT_NE(d->message.find("write 5 or 0x05"), std::string::npos) << d->message;
  ASSERT_TRUE(d->fixit);
  EXPECT_EQ(d->fixit->replacement, "0x05");
}

TEST(Lexer, ZeroAloneIsFine) {
  auto c = check("host h {\n    adapter 0 CEX7C;\n    domains 0, 0x0;\n}\n");
  ASSERT_TRUE(c->plan) << c->text();
  EXPECT_EQ(c->plan->host.adapters[0].id, 0u);
}

TEST(Lexer, HexRangeWithoutSpaces) {
  auto c = check("host h {\n    adapter 0x05..0x0a CEX7C;\n    domains 1, 4..7;\n}\n");
  ASSERT_TRUE(c->plan) << c->text();
  EXPECT_EQ(c->plan->host.adapters.size(), 6u);
  EXPECT_EQ(c->plan->host.adapters.back().id, 0x0au);
  EXPECT_EQ(ir::formatIdList(c->plan->host.usageDomains), "0x01, 0x04..0x07");
}

TEST(Lexer, DecimalAndHexMeanTheSame) {
  auto c = check("host h {\n    adapter 171 CEX7C;\n    domains 0xAB;\n}\n");
  ASSERT_TRUE(c->plan) << c->text();
  EXPECT_EQ(c->plan->host.adapters[0].id, 0xabu);
  EXPECT_TRUE(c->plan->host.usageDomains.test(0xab));
}

TEST(Lexer, FamilyBracketsAreNotQueues) {
  auto c = check(std::string(kHost) + "guest web[1..8] { adapters 1; domains any 1; }\n");
  ASSERT_TRUE(c->plan) << c->text();
  ASSERT_EQ(c->plan->guests.size(), 8u);
  EXPECT_EQ(c->plan->guests[7].name, "web8");
}

TEST(Lexer, UuidStartingWithDigitsAndLetters) {
  auto c = check(std::string(kHost) +
                 "guest a { adapters 1; domains 1; uuid 6c4a3f0e-1d2b-4c3a-9e8f-0123456789AB; }\n"
                 "guest b { adapters 2; domains 1; uuid ec4a3f0e-1d2b-4c3a-9e8f-0123456789ab; }\n"
                 "guest c { adapters 3; domains 1; uuid \"00000000-1d2b-4c3a-9e8f-0123456789ab\"; }\n");
  ASSERT_TRUE(c->plan) << c->text();
  EXPECT_EQ(c->plan->guests[0].uuid, "6c4a3f0e-1d2b-4c3a-9e8f-0123456789ab");  // lower-cased
  EXPECT_EQ(c->plan->guests[1].uuid, "ec4a3f0e-1d2b-4c3a-9e8f-0123456789ab");
  EXPECT_EQ(c->plan->guests[2].uuid, "00000000-1d2b-4c3a-9e8f-0123456789ab");
}

TEST(Lexer, BadUuid) {
  auto c = check(std::string(kHost) + "guest a { adapters 1; domains 1; uuid 6c4a3f0e-1d2b; }\n");
  ASSERT_EQ(c->count(ir::DiagCode::BadUuid), 1u) << c->text();
  EXPECT_EQ(c->where(*c->first(ir::DiagCode::BadUuid)), "7:39");
}

TEST(Lexer, IdentifiersCarryDotsAndDashes) {
  auto c = check(std::string(kHost) + "guest web-1.prod_x { adapters 1; domains 1; tags a.b-c, \"x y\"; }\n");
  ASSERT_TRUE(c->plan) << c->text();
  EXPECT_EQ(c->plan->guests[0].name, "web-1.prod_x");
  EXPECT_EQ(c->plan->guests[0].tags, (std::vector<std::string>{"a.b-c", "x y"}));
}

TEST(Lexer, KeywordsMayBeNames) {
  auto c = check(std::string(kHost) + "guest start { adapters 1; domains 1; tags guest, host; }\n");
  ASSERT_TRUE(c->plan) << c->text();
  EXPECT_EQ(c->plan->guests[0].name, "start");
}

TEST(Lexer, KeywordsAreLowerCase) {
  auto c = check("HOST h { }\n");
  EXPECT_FALSE(c->plan);
  EXPECT_EQ(c->count(ir::DiagCode::UnknownKeyword), 1u) << c->text();
}

TEST(Lexer, CommentsOfAllThreeKinds) {
  auto c = check("# hash\n// slashes\n/* block\n spanning */ host h { adapter 1 /* inline */ CEX7C; domains 1; } // end\n");
  ASSERT_TRUE(c->plan) << c->text();
  EXPECT_EQ(c->plan->host.adapters.size(), 1u);
}

TEST(Lexer, StringEscapes) {
  auto c = check(std::string(kHost) + "guest a { adapters 1; domains 1; tags \"q\\\"b\\\\s\"; }\n");
  ASSERT_TRUE(c->plan) << c->text();
  EXPECT_EQ(c->plan->guests[0].tags[0], "q\"b\\s");
}

TEST(Lexer, UnknownEscapeIsAnError) {
  auto c = check(std::string(kHost) + "guest a { adapters 1; domains 1; tags \"a\\nb\"; }\n");
  EXPECT_EQ(c->count(ir::DiagCode::SyntaxError), 1u) << c->text();
}

TEST(Lexer, UnexpectedCharacter) {
  auto c = check("host h { adapter 1 CEX7C; domains 1 @; }\n");
  ASSERT_EQ(c->count(ir::DiagCode::UnexpectedCharacter), 1u) << c->text();
  EXPECT_EQ(c->where(*c->first(ir::DiagCode::UnexpectedCharacter)), "1:37");
  EXPECT_EQ(c->errors(), 1u) << c->text();  // the parser never sees '@'
}

TEST(Lexer, NotANumber) {
  auto c = check("host h { adapter 5a CEX7C; domains 0x; }\n");
  EXPECT_EQ(c->count(ir::DiagCode::BadNumber), 2u) << c->text();
}

TEST(Lexer, UnterminatedStringAndComment) {
  auto c = check("host h { adapter 1 CEX7C; domains 1; }\ninclude \"x.ap;\n/* never closed\n");
  EXPECT_EQ(c->count(ir::DiagCode::UnterminatedString), 2u) << c->text();
}

TEST(Lexer, NonAsciiInCommentsKeepsColumnsInBytes) {
  auto c = check("# größe\nhost h { adapter 1 CEX7C; domains 1; } /* ü */ guest g { adapters 1; domains 2; }\n");
  const ir::Diagnostic* d = c->first(ir::DiagCode::DomainNotOnHost);
  ASSERT_TRUE(d) << c->text();
  EXPECT_EQ(c->where(*d), "2:79");  // ü is two bytes: columns count bytes
}

}  // namespace
}  // namespace apc::compiler::testing
