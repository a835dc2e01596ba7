// The plan language's lexer, written by hand. grammar/ApcLexer.g4 stays the
// specification: this class produces exactly the tokens the generated
// ApcLexer produces (same types, channels, code-point indices, lines, columns
// and text), and tests/frontend/lexer_equivalence_test.cpp checks that token
// for token on every plan in the tree and on random input. It exists because
// ANTLR 4.9's lexer simulator took a third of the parse time of a large plan
// (a lock and a DFA lookup per character); the ANTLR parser consumes these
// tokens unchanged.
#pragma once

#include <memory>
#include <memory_resource>
#include <string>
#include <string_view>

#include "antlr4-runtime.h"

namespace apc::compiler {

// Tokens are carved from the lexer's arena (a large plan has hundreds of
// thousands of them, and a malloc plus a free each was a fifth of the parse)
// and view their text in the plan's buffer. So a token must not outlive the
// lexer that made it, nor the text (in parseFile the lexer is declared before
// the token stream, and so dies after it).
class PlanLexer : public antlr4::TokenSource {
 public:
  // `text` must outlive the lexer.
  PlanLexer(std::string_view text, std::string sourceName);

  std::unique_ptr<antlr4::Token> nextToken() override;
  std::size_t getLine() const override { return line_; }
  std::size_t getCharPositionInLine() override { return column_; }
  // The text as an ANTLR CharStream, made on first use: only ANTLR's error
  // recovery asks (when it makes up a missing token), and the UTF-32 copy
  // costs four bytes per character.
  antlr4::CharStream* getInputStream() override;
  std::string getSourceName() override { return sourceName_; }
  antlr4::TokenFactory<antlr4::CommonToken>* getTokenFactory() override;

  // Skips the rest of the file: the next token is EOF. Line and column stay
  // where lexing stopped, as with ANTLR's lexer after its input is seeked.
  void skipToEnd();

 private:
  // Lengths, in bytes from pos_, of the longest match of each rule family.
  std::size_t hexRun(std::size_t from) const;
  std::size_t queueLength(std::size_t from) const;  // H+ '.' (H+ | '*'), 0 if none
  std::size_t uuidLength(std::size_t from) const;   // 36 or 0
  std::size_t runOf(std::size_t from, bool (*member)(unsigned char)) const;

  // Picks the token type and byte length at pos_ (pos_ is not whitespace).
  std::pair<std::size_t, std::size_t> scan() const;
  std::size_t scanWord(std::size_t& type) const;    // starts with a letter or '_'
  std::size_t scanNumber(std::size_t& type) const;  // starts with a digit

  // Moves pos_ forward by n bytes, keeping the code-point index, line and column.
  void advance(std::size_t n);
  std::unique_ptr<antlr4::Token> make(std::size_t type, std::size_t channel, std::size_t startCp,
                                      std::size_t line, std::size_t column, std::string_view text);

  std::pmr::monotonic_buffer_resource arena_;
  std::string_view text_;
  std::unique_ptr<antlr4::ANTLRInputStream> input_;
  std::string sourceName_;
  std::size_t pos_ = 0;       // byte offset
  std::size_t cp_ = 0;        // code-point index of pos_ (ANTLR indexes by code point)
  std::size_t totalCp_ = 0;   // code points in the whole text
  std::size_t line_ = 1;
  std::size_t column_ = 0;
};

}  // namespace apc::compiler
