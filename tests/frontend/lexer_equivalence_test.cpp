// The hand-written PlanLexer against the lexer ANTLR generates from
// grammar/ApcLexer.g4, token for token: type, channel, code-point start and
// stop, line, column and text, up to and including EOF. Inputs: every plan in
// the tree (good, bad, includes, examples, spec examples), hand-picked traps,
// and random text over an alphabet chosen to hit every rule boundary.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "ApcLexer.h"
#include "compiler/frontend/plan_lexer.h"
#include "tests/frontend/test_util.h"

namespace apc::compiler::testing {
namespace {

namespace fs = std::filesystem;

struct Tok {
  std::size_t type, channel, start, stop, line, column;
  std::string text;
  bool operator==(const Tok&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Tok& t) {
  return os << "{type " << t.type << ", channel " << t.channel << ", [" << t.start << ", " << t.stop << "], "
            << t.line << ":" << t.column << ", '" << t.text << "'}";
}

Tok of(const antlr4::Token& t) {
  return {t.getType(), t.getChannel(), t.getStartIndex(), t.getStopIndex(), t.getLine(), t.getCharPositionInLine(),
          t.getText()};
}

std::vector<Tok> antlrTokens(const std::string& text) {
  antlr4::ANTLRInputStream input(text);
  apc_gen::ApcLexer lexer(&input);
  lexer.removeErrorListeners();
  std::vector<Tok> out;
  for (;;) {
    auto t = lexer.nextToken();
    out.push_back(of(*t));
    if (t->getType() == antlr4::Token::EOF) return out;
  }
}

std::vector<Tok> handTokens(const std::string& text) {
  PlanLexer lexer(text, "test");
  std::vector<Tok> out;
  for (;;) {
    auto t = lexer.nextToken();
    out.push_back(of(*t));
    if (t->getType() == antlr4::Token::EOF) return out;
  }
}

// Compares and reports the first difference only (a whole-vector dump of a
// plan file would bury it).
void expectSameTokens(const std::string& text, const std::string& what) {
  const auto want = antlrTokens(text);
  const auto got = handTokens(text);
  for (std::size_t i = 0; i < std::min(want.size(), got.size()); ++i)
    if (!(want[i] == got[i])) {
      ADD_FAILURE() << what << ": token " << i << " differs\n  ANTLR: " << want[i] << "\n  hand:  " << got[i];
      return;
    }
  EXPECT_EQ(want.size(), got.size()) << what;
}

std::vector<fs::path> planFiles() {
  std::vector<fs::path> out;
  const fs::path src(APC_SOURCE_DIR);
  for (const fs::path& dir : {src / "tests", src / "examples", fs::path(APC_SPEC_DIR) / "examples"}) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& e : fs::recursive_directory_iterator(dir))
      if (e.is_regular_file() && e.path().extension() == ".ap") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(LexerEquivalence, EveryPlanInTheTree) {
  const auto files = planFiles();
  ASSERT_GT(files.size(), 50u);  // the golden cases alone are more than that
  for (const auto& f : files) {
    const std::string text = readAll(f.string());
    if (text.find('\0') != std::string::npos) continue;  // rejected before lexing
    expectSameTokens(text, f.string());
  }
}

TEST(LexerEquivalence, Traps) {
  const std::vector<std::string> traps = {
      "", " ", "\n\n", "a", "_", "5", "05", "0", "00", "0x", "0X1f", "0x5g", "0xab.cd", "5a", "1..3", "0x01..0x03",
      "a..b", "ab.cd", "ab.*", "ab.", "ab.cd*", "05.0004", "05.*", "*.0004", "*.*", "*.", "*", ".", "..", "...",
      "-", "-5", "a-b", "a-", "%", "{}[];,:", "host", "hosts", "host.x", "in", "int", "adapters", "adapter5",
      "6c4a3f0e-1d2b-4c3a-9e8f-0123456789ab", "6c4a3f0e-1d2b-4c3a-9e8f-0123456789abc",
      "abcdef01-1d2b-4c3a-9e8f-0123456789ab", "abcdef01-1d2b-4c3a-9e8f-0123456789ab.x",
      "6c4a3f0e-1d2b-4c3a-9e8f-0123456789a", "6c4a3f0e-1d2b", "\"x\"", "\"a\\\"b\"", "\"open", "\"open\n\"",
      "\"a\\", "\"a\\\n", "\"\\é\"", "# c", "# c\r\nx", "// c\n", "/", "/x", "/* c */", "/**/", "/*/", "/* open",
      "/* a * / b", "/* ** */", "/***/x", "é", "a€b", "\"€\"", "# €\nx", "\x01", "\x7f", "\v", "\f", "\t",
      "\r", "@", "!", "guest g[1..8] : t { adapters any 2 mode cca in 0x01..0x03; }",
  };
  for (const auto& t : traps) expectSameTokens(t, "'" + t + "'");
}

// Every keyword literal of the generated vocabulary lexes to its own type.
TEST(LexerEquivalence, KeywordsMatchTheGrammarsVocabulary) {
  antlr4::ANTLRInputStream input("");
  apc_gen::ApcLexer lexer(&input);
  const auto& vocabulary = lexer.getVocabulary();
  std::size_t keywords = 0;
  for (std::size_t type = 1; type <= vocabulary.getMaxTokenType(); ++type) {
    std::string literal(vocabulary.getLiteralName(type));
    if (literal.size() < 3 || !std::isalpha(static_cast<unsigned char>(literal[1]))) continue;
    literal = literal.substr(1, literal.size() - 2);
    const auto got = handTokens(literal);
    ASSERT_EQ(got.size(), 2u) << literal;
    EXPECT_EQ(got[0].type, type) << literal;
    ++keywords;
  }
  EXPECT_EQ(keywords, static_cast<std::size_t>(apc_gen::ApcLexer::PLACEMENT));
}

TEST(LexerEquivalence, RandomText) {
  // Pieces rather than single bytes, so multi-character rules (queues, uuids,
  // comments, hex numbers) are reached often; multi-byte UTF-8 pieces keep
  // code-point indices honest.
  const std::vector<std::string> alphabet = {
      "0", "1", "5", "9", "a", "f", "g", "x", "X", "z", "_", ".", "..", "-", "*", "/", "#", "\"", "\\", " ",
      "\n", "\r", "\t", "{", "}", ";", ",", "%", "é", "€", "host", "0x", "05.", "*.", "/*", "*/", "//",
      "6c4a3f0e-", "1d2b-", "0123456789ab", "\x01"};
  std::mt19937 rng(20261125);
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const std::size_t n = 1 + rng() % 40;
    for (std::size_t i = 0; i < n; ++i) text += alphabet[rng() % alphabet.size()];
    expectSameTokens(text, "random round " + std::to_string(round));
    if (HasFailure()) {
      ADD_FAILURE() << "input: '" << text << "'";
      return;
    }
  }
}

}  // namespace
}  // namespace apc::compiler::testing
