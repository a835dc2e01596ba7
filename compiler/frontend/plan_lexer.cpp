// Longest match wins and, on equal length, the rule listed first in
// ApcLexer.g4 wins: keywords, UUID_LIT, ID, QUEUE, WILD_QUEUE, HEX_NUMBER,
// DECIMAL, BAD_NUMBER. Each scan below computes the longest match of every
// rule that can start with the current character and applies that order.
#include "compiler/frontend/plan_lexer.h"

#include <array>
#include <unordered_map>

#include "ApcLexer.h"

namespace apc::compiler {

using L = apc_gen::ApcLexer;

namespace {

bool isHex(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool isAlpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isIdStart(unsigned char c) { return isAlpha(c) || c == '_'; }
bool isIdPart(unsigned char c) { return isAlpha(c) || isDigit(c) || c == '_' || c == '.' || c == '-'; }
bool isBadNumberPart(unsigned char c) { return isAlpha(c) || isDigit(c) || c == '_'; }
bool isSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

// Keywords of ApcLexer.g4, in its order. The equivalence test lexes each
// literal of the generated vocabulary, so a keyword added there and not here fails.
std::size_t keywordType(std::string_view w) {
  static const std::unordered_map<std::string_view, std::size_t> kKeywords = {
      {"host", L::HOST},           {"guest", L::GUEST},       {"template", L::TEMPLATE}, {"apart", L::APART},
      {"include", L::INCLUDE},     {"policy", L::POLICY},     {"interface", L::INTERFACE}, {"crycb", L::CRYCB},
      {"format", L::FORMAT},       {"adapter", L::ADAPTER},   {"adapters", L::ADAPTERS}, {"domains", L::DOMAINS},
      {"control", L::CONTROL},     {"reserve", L::RESERVE},   {"offline", L::OFFLINE},   {"any", L::ANY},
      {"in", L::IN},               {"mode", L::MODE},         {"type", L::TYPE},         {"uuid", L::UUID},
      {"start", L::START},         {"tags", L::TAGS},         {"min", L::MIN},           {"max", L::MAX},
      {"for", L::FOR},             {"tag", L::TAG},           {"guests", L::GUESTS},     {"per", L::PER},
      {"headroom", L::HEADROOM},   {"deny", L::DENY},         {"allow", L::ALLOW},       {"foreign", L::FOREIGN},
      {"placement", L::PLACEMENT},
  };
  auto it = kKeywords.find(w);
  return it == kKeywords.end() ? static_cast<std::size_t>(L::ID) : it->second;
}

// Bytes in the UTF-8 sequence that starts with `lead` (the text was validated
// before lexing, so the sequence is complete).
std::size_t utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  return 4;
}

// A token that views its text in the plan's buffer instead of copying it
// (CommonToken carries a std::string and a CharStream pair: half again the
// size). Its memory belongs to the lexer's arena; deleting one runs its
// destructor and leaves the memory to the arena. WritableToken because
// CommonTokenStream numbers the tokens it buffers.
class PlanToken final : public antlr4::WritableToken {
 public:
  PlanToken(antlr4::TokenSource* source, std::size_t type, std::size_t channel, std::size_t start, std::size_t stop,
            std::size_t line, std::size_t column, std::string_view text)
      : source_(source), text_(text), type_(type), start_(start), stop_(stop), line_(line), column_(column),
        channel_(channel) {}

  static void* operator new(std::size_t size, std::pmr::memory_resource& arena) {
    return arena.allocate(size, alignof(PlanToken));
  }
  static void operator delete(void*, std::pmr::memory_resource&) {}  // a constructor threw
  static void operator delete(void*) {}
  static void* operator new(std::size_t) = delete;  // arena only

  std::string getText() const override { return replaced_ ? *replaced_ : std::string(text_); }
  std::size_t getType() const override { return type_; }
  std::size_t getLine() const override { return line_; }
  std::size_t getCharPositionInLine() const override { return column_; }
  std::size_t getChannel() const override { return channel_; }
  std::size_t getTokenIndex() const override { return index_; }
  std::size_t getStartIndex() const override { return start_; }
  std::size_t getStopIndex() const override { return stop_; }
  antlr4::TokenSource* getTokenSource() const override { return source_; }
  antlr4::CharStream* getInputStream() const override { return source_->getInputStream(); }
  std::string toString() const override {
    return "[@" + std::to_string(static_cast<long long>(index_)) + "," + std::to_string(start_) + ":" +
           std::to_string(stop_) + "='" + getText() + "',<" + std::to_string(type_) + ">," + std::to_string(line_) +
           ":" + std::to_string(column_) + "]";
  }

  void setText(const std::string& text) override { replaced_ = std::make_unique<std::string>(text); }
  void setType(std::size_t type) override { type_ = type; }
  void setLine(std::size_t line) override { line_ = line; }
  void setCharPositionInLine(std::size_t column) override { column_ = column; }
  void setChannel(std::size_t channel) override { channel_ = channel; }
  void setTokenIndex(std::size_t index) override { index_ = index; }

 private:
  antlr4::TokenSource* source_;
  std::string_view text_;
  std::unique_ptr<std::string> replaced_;  // only if someone calls setText
  std::size_t type_, start_, stop_, line_, column_, channel_;
  std::size_t index_ = INVALID_INDEX;
};

}  // namespace

PlanLexer::PlanLexer(std::string_view text, std::string sourceName)
    : text_(text), sourceName_(std::move(sourceName)) {
  for (char c : text_)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++totalCp_;
}

antlr4::CharStream* PlanLexer::getInputStream() {
  if (!input_) {
    input_ = std::make_unique<antlr4::ANTLRInputStream>(std::string(text_));
    input_->name = sourceName_;
  }
  return input_.get();
}

antlr4::TokenFactory<antlr4::CommonToken>* PlanLexer::getTokenFactory() {
  return antlr4::CommonTokenFactory::DEFAULT.get();
}

void PlanLexer::skipToEnd() {
  pos_ = text_.size();
  cp_ = totalCp_;
}

void PlanLexer::advance(std::size_t n) {
  for (const std::size_t end = pos_ + n; pos_ < end; ++pos_) {
    const auto c = static_cast<unsigned char>(text_[pos_]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte: same code point
    ++cp_;
    if (c == '\n') {
      ++line_;
      column_ = 0;
    } else {
      ++column_;
    }
  }
}

std::size_t PlanLexer::runOf(std::size_t from, bool (*member)(unsigned char)) const {
  std::size_t i = from;
  while (i < text_.size() && member(static_cast<unsigned char>(text_[i]))) ++i;
  return i - from;
}

std::size_t PlanLexer::hexRun(std::size_t from) const { return runOf(from, isHex); }

std::size_t PlanLexer::queueLength(std::size_t from) const {
  const std::size_t left = hexRun(from);
  std::size_t i = from + left;
  if (left == 0 || i >= text_.size() || text_[i] != '.') return 0;
  ++i;
  if (const std::size_t right = hexRun(i)) return i + right - from;
  if (i < text_.size() && text_[i] == '*') return i + 1 - from;
  return 0;
}

std::size_t PlanLexer::uuidLength(std::size_t from) const {
  static constexpr std::array<std::size_t, 5> kGroups = {8, 4, 4, 4, 12};
  std::size_t i = from;
  for (std::size_t g = 0; g < kGroups.size(); ++g) {
    if (g > 0) {
      if (i >= text_.size() || text_[i] != '-') return 0;
      ++i;
    }
    for (std::size_t k = 0; k < kGroups[g]; ++k, ++i)
      if (i >= text_.size() || !isHex(static_cast<unsigned char>(text_[i]))) return 0;
  }
  return i - from;
}

std::size_t PlanLexer::scanWord(std::size_t& type) const {
  const std::size_t id = 1 + runOf(pos_ + 1, isIdPart);
  const std::size_t uuid = uuidLength(pos_);
  const std::size_t queue = queueLength(pos_);
  // Ties: UUID_LIT before ID before QUEUE; keywords before all (a keyword is an ID-shaped match).
  std::size_t best = id;
  type = keywordType(text_.substr(pos_, id));
  if (uuid >= best && uuid > 0) {
    if (uuid > best || type == L::ID) type = L::UUID_LIT;
    best = uuid;
  }
  if (queue > best) {
    type = L::QUEUE;
    best = queue;
  }
  return best;
}

std::size_t PlanLexer::scanNumber(std::size_t& type) const {
  const std::size_t uuid = uuidLength(pos_);
  const std::size_t queue = queueLength(pos_);
  std::size_t hex = 0;
  if (text_[pos_] == '0' && pos_ + 1 < text_.size() && (text_[pos_ + 1] == 'x' || text_[pos_ + 1] == 'X')) {
    if (const std::size_t digits = hexRun(pos_ + 2)) hex = 2 + digits;
  }
  const std::size_t decimal = runOf(pos_, isDigit);
  const std::size_t bad = runOf(pos_, isBadNumberPart);
  // In rule order; a later rule wins only when strictly longer.
  const std::array<std::pair<std::size_t, std::size_t>, 5> candidates = {{
      {L::UUID_LIT, uuid},
      {L::QUEUE, queue},
      {L::HEX_NUMBER, hex},
      {L::DECIMAL, decimal},
      {L::BAD_NUMBER, bad},
  }};
  std::size_t best = 0;
  for (const auto& [t, len] : candidates)
    if (len > best) {
      best = len;
      type = t;
    }
  return best;
}

std::pair<std::size_t, std::size_t> PlanLexer::scan() const {
  const auto c = static_cast<unsigned char>(text_[pos_]);
  const auto next = [&](std::size_t k) -> int {
    return pos_ + k < text_.size() ? static_cast<unsigned char>(text_[pos_ + k]) : -1;
  };
  std::size_t type = L::ERROR_CHAR;
  if (isIdStart(c)) {
    const std::size_t len = scanWord(type);
    return {type, len};
  }
  if (isDigit(c)) {
    const std::size_t len = scanNumber(type);
    return {type, len};
  }
  switch (c) {
    case '{': return {L::LBRACE, 1};
    case '}': return {L::RBRACE, 1};
    case '[': return {L::LBRACK, 1};
    case ']': return {L::RBRACK, 1};
    case ';': return {L::SEMI, 1};
    case ',': return {L::COMMA, 1};
    case ':': return {L::COLON, 1};
    case '%': return {L::PERCENT, 1};
    case '-': return {L::MINUS, 1};
    case '.':
      if (next(1) == '.') return {L::DOTDOT, 2};
      break;
    case '*':
      if (next(1) == '.') {
        if (const std::size_t right = hexRun(pos_ + 2)) return {L::WILD_QUEUE, 2 + right};
        if (next(2) == '*') return {L::WILD_QUEUE, 3};
      }
      break;
    case '#': {
      std::size_t i = pos_;
      while (i < text_.size() && text_[i] != '\r' && text_[i] != '\n') ++i;
      return {L::LINE_COMMENT, i - pos_};
    }
    case '/':
      if (next(1) == '/') {
        std::size_t i = pos_;
        while (i < text_.size() && text_[i] != '\r' && text_[i] != '\n') ++i;
        return {L::LINE_COMMENT, i - pos_};
      }
      if (next(1) == '*') {
        const std::size_t close = text_.find("*/", pos_ + 2);
        if (close != std::string_view::npos) return {L::BLOCK_COMMENT, close + 2 - pos_};
        return {L::UNTERMINATED_COMMENT, text_.size() - pos_};
      }
      break;
    case '"': {
      std::size_t i = pos_ + 1;
      for (;;) {
        if (i >= text_.size()) break;
        const char k = text_[i];
        if (k == '\\') {
          if (i + 1 < text_.size() && text_[i + 1] != '\r' && text_[i + 1] != '\n') {
            i += 1 + utf8Length(static_cast<unsigned char>(text_[i + 1]));
            continue;
          }
          break;
        }
        if (k == '"' || k == '\r' || k == '\n') break;
        i += utf8Length(static_cast<unsigned char>(k));
      }
      if (i < text_.size() && text_[i] == '"') return {L::STRING, i + 1 - pos_};
      return {L::UNTERMINATED_STRING, i - pos_};
    }
    default: break;
  }
  return {L::ERROR_CHAR, utf8Length(c)};
}

std::unique_ptr<antlr4::Token> PlanLexer::make(std::size_t type, std::size_t channel, std::size_t startCp,
                                               std::size_t line, std::size_t column, std::string_view text) {
  return std::unique_ptr<antlr4::Token>(
      new (arena_) PlanToken(this, type, channel, startCp, cp_ - 1, line, column, text));
}

std::unique_ptr<antlr4::Token> PlanLexer::nextToken() {
  while (pos_ < text_.size() && isSpace(static_cast<unsigned char>(text_[pos_]))) advance(1);
  const std::size_t startCp = cp_, line = line_, column = column_;
  if (pos_ >= text_.size()) return make(antlr4::Token::EOF, antlr4::Token::DEFAULT_CHANNEL, startCp, line, column, "<EOF>");
  const auto [type, len] = scan();
  const std::size_t from = pos_;
  advance(len);
  const bool hidden = type == L::BLOCK_COMMENT || type == L::UNTERMINATED_COMMENT || type == L::LINE_COMMENT;
  return make(type, hidden ? antlr4::Token::HIDDEN_CHANNEL : antlr4::Token::DEFAULT_CHANNEL, startCp, line, column,
              text_.substr(from, len));
}

}  // namespace apc::compiler
