// ANTLR glue that turns lexer and parser trouble into apc diagnostics in plain
// words: a lexer that reports bad characters, leading zeros and runaway
// nesting, and an error strategy that rewrites ANTLR's "mismatched input" into
// "expected ';' after the domain list". Only compiler/frontend/ includes this.
#pragma once

#include "ApcLexer.h"
#include "ApcParser.h"
#include "compiler/frontend/diag_limiter.h"
#include "compiler/frontend/plan_lexer.h"
#include "compiler/frontend/text_check.h"

namespace apc::compiler {

// Where the file's tokens live, for turning token indices into byte ranges.
struct TokenPlace {
  ir::FileId file;
  const OffsetMap* offsets;
  ir::SourceRange range(const antlr4::Token* t) const;
  ir::SourceRange range(const antlr4::Token* first, const antlr4::Token* last) const;
  ir::SourceRange rangeOf(antlr4::ParserRuleContext* ctx) const;
};

// Wraps PlanLexer: drops bad characters (after reporting them) and stops the
// file when the error cap is reached or braces nest deeper than kMaxNesting.
class CheckedLexer : public antlr4::TokenSource {
 public:
  static constexpr int kMaxNesting = 256;
  // About 50,000 guests' worth; bounds memory on garbage like a 10 MB line of words.
  static constexpr std::size_t kMaxTokens = 1'000'000;

  CheckedLexer(std::string_view text, std::string sourceName, TokenPlace place, Reporter& rep);
  std::unique_ptr<antlr4::Token> nextToken() override;
  std::size_t getLine() const override { return inner_.getLine(); }
  std::size_t getCharPositionInLine() override { return inner_.getCharPositionInLine(); }
  antlr4::CharStream* getInputStream() override { return inner_.getInputStream(); }
  std::string getSourceName() override { return inner_.getSourceName(); }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override { return inner_.getTokenFactory(); }
  // True when some lexical error was reported for this file.
  bool hadErrors() const { return errors_; }

 private:
  std::unique_ptr<antlr4::Token> stopHere();
  PlanLexer inner_;
  TokenPlace place_;
  Reporter& rep_;
  int depth_ = 0;
  std::size_t tokens_ = 0;
  bool errors_ = false;
};

// Reports syntax errors in plain words (never ANTLR's raw text) and aborts the
// parse with ParseCancellationException once the file's error cap is reached.
class PlainErrorStrategy : public antlr4::DefaultErrorStrategy {
 public:
  PlainErrorStrategy(TokenPlace place, Reporter& rep) : place_(place), rep_(rep) {}
  bool hadErrors() const { return errors_; }

 protected:
  void reportNoViableAlternative(antlr4::Parser* p, const antlr4::NoViableAltException& e) override;
  void reportInputMismatch(antlr4::Parser* p, const antlr4::InputMismatchException& e) override;
  void reportFailedPredicate(antlr4::Parser* p, const antlr4::FailedPredicateException& e) override;
  void reportUnwantedToken(antlr4::Parser* p) override;
  void reportMissingToken(antlr4::Parser* p) override;

 private:
  void report(antlr4::Parser* p, antlr4::Token* offending, const antlr4::misc::IntervalSet& expected,
              antlr4::ParserRuleContext* ctx, bool missing);
  bool reportUnknownKeyword(antlr4::Parser* p, antlr4::Token* offending, const antlr4::misc::IntervalSet& expected);
  TokenPlace place_;
  Reporter& rep_;
  bool errors_ = false;
};

}  // namespace apc::compiler
