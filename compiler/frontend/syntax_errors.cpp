// Message shapes: "expected ';' after the domain list" (at the end of the
// previous token, as clang does), "expected a number in the adapter list,
// found 'x'", "unexpected '}' at the top level", and E007 with a suggestion
// when a word stands where a keyword belongs.
#include "compiler/frontend/syntax_errors.h"

#include <algorithm>

#include "compiler/frontend/suggest.h"

namespace apc::compiler {

using apc_gen::ApcLexer;
using apc_gen::ApcParser;

ir::SourceRange TokenPlace::range(const antlr4::Token* t) const { return range(t, t); }

ir::SourceRange TokenPlace::range(const antlr4::Token* first, const antlr4::Token* last) const {
  if (!first || first->getStartIndex() == INVALID_INDEX) return {file, 0, 0};
  if (!last || last->getStopIndex() == INVALID_INDEX || last->getStopIndex() + 1 < first->getStartIndex())
    last = first;
  std::uint32_t b = offsets->byteOffset(first->getStartIndex());
  std::uint32_t e = offsets->byteOffset(last->getStopIndex() + 1);
  return {file, b, std::max(b, e)};
}

ir::SourceRange TokenPlace::rangeOf(antlr4::ParserRuleContext* ctx) const {
  if (!ctx) return {file, 0, 0};
  return range(ctx->getStart(), ctx->getStop());
}

// ---- lexer ----

CheckedLexer::CheckedLexer(std::string_view text, std::string sourceName, TokenPlace place, Reporter& rep)
    : inner_(text, std::move(sourceName)), place_(place), rep_(rep) {}

std::unique_ptr<antlr4::Token> CheckedLexer::stopHere() {
  inner_.skipToEnd();
  return inner_.nextToken();
}

std::unique_ptr<antlr4::Token> CheckedLexer::nextToken() {
  for (;;) {
    if (rep_.stopped(place_.file)) return stopHere();
    std::unique_ptr<antlr4::Token> t = inner_.nextToken();
    // Only a token that is reported needs its byte range.
    const auto where = [&] { return place_.range(t.get()); };
    if (++tokens_ > kMaxTokens && t->getType() != antlr4::Token::EOF) {
      errors_ = true;
      rep_.error(ir::DiagCode::FileTooLarge, where(),
                 "this file has more than " + std::to_string(kMaxTokens) + " tokens; apc reads no further");
      return stopHere();
    }
    switch (t->getType()) {
      case ApcLexer::ERROR_CHAR: {
        errors_ = true;
        std::string shown = t->getText();
        const auto c = static_cast<unsigned char>(shown.empty() ? 0 : shown[0]);
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          shown = buf;
        }
        rep_.error(ir::DiagCode::UnexpectedCharacter, where(), "unexpected character '" + shown + "'");
        continue;  // the parser never sees it
      }
      case ApcLexer::UNTERMINATED_STRING:
        errors_ = true;
        rep_.error(ir::DiagCode::UnterminatedString, where(), "string is not closed before the end of the line");
        continue;
      case ApcLexer::UNTERMINATED_COMMENT:
        errors_ = true;
        rep_.error(ir::DiagCode::UnterminatedString, {place_.file, where().begin, where().begin + 2},
                   "block comment is not closed ('*/' missing)");
        return t;
      case ApcLexer::DECIMAL: {
        const std::string text = t->getText();
        if (text.size() > 1 && text[0] == '0') {
          errors_ = true;
          std::string trimmed = text.substr(text.find_first_not_of('0') == std::string::npos
                                                ? text.size() - 1
                                                : text.find_first_not_of('0'));
          auto& d = rep_.error(ir::DiagCode::LeadingZero, where(),
                               "number '" + text + "' has a leading zero; write " + trimmed + " or 0x" +
                                   (trimmed.size() < 2 ? "0" + trimmed : trimmed) +
                                   " (IDs are usually hex, and the kernel would read it as octal)");
          d.fixit = ir::FixIt{where(), "0x" + (trimmed.size() < 2 ? "0" + trimmed : trimmed)};
        }
        return t;
      }
      case ApcLexer::BAD_NUMBER:
        errors_ = true;
        rep_.error(ir::DiagCode::BadNumber, where(),
                   "'" + t->getText() + "' is not a number: write decimal (171) or hex (0xab)");
        return t;
      case ApcLexer::LBRACE:
        if (++depth_ > kMaxNesting) {
          errors_ = true;
          rep_.error(ir::DiagCode::NestingTooDeep, where(),
                     "braces nest deeper than " + std::to_string(kMaxNesting) + "; giving up on this file");
          return stopHere();
        }
        return t;
      case ApcLexer::RBRACE:
        if (depth_ > 0) --depth_;
        return t;
      default:
        return t;
    }
  }
}

// ---- parser errors ----

namespace {

bool isKeyword(std::size_t type) { return type >= ApcLexer::HOST && type <= ApcLexer::PLACEMENT; }

std::string literal(antlr4::Parser* p, std::size_t type) {
  return std::string(p->getVocabulary().getLiteralName(type));
}

std::string tokenClass(antlr4::Parser* p, std::size_t type) {
  switch (type) {
    case antlr4::Token::EOF: return "end of file";
    case ApcLexer::ID: return "a name";
    case ApcLexer::DECIMAL:
    case ApcLexer::HEX_NUMBER:
    case ApcLexer::BAD_NUMBER: return "a number";
    case ApcLexer::STRING: return "a string";
    case ApcLexer::QUEUE:
    case ApcLexer::WILD_QUEUE: return "a queue like 05.0004";
    case ApcLexer::UUID_LIT: return "a uuid";
    default: return literal(p, type);
  }
}

std::string found(antlr4::Token* t) {
  if (!t || t->getType() == antlr4::Token::EOF) return "end of file";
  std::string s = t->getText();
  if (s.size() > 24) s = s.substr(0, 24) + "...";
  return "'" + s + "'";
}

std::string describeExpected(antlr4::Parser* p, const antlr4::misc::IntervalSet& set) {
  if (set.contains(static_cast<std::size_t>(ApcLexer::SEMI))) return "';'";
  std::vector<std::size_t> types;
  for (ssize_t t : set.toList()) types.push_back(static_cast<std::size_t>(t));
  const bool anyName = set.contains(static_cast<std::size_t>(ApcLexer::ID));
  std::size_t keywords = 0;
  for (std::size_t t : types) keywords += isKeyword(t);
  std::vector<std::string> parts;
  if (anyName && keywords >= 20) {
    parts.push_back("a name");
  } else if (keywords >= 3) {
    parts.push_back("a statement");
  } else {
    for (std::size_t t : types)
      if (!(anyName && t == ApcLexer::UUID_LIT)) parts.push_back(tokenClass(p, t));
  }
  for (std::size_t t : types)
    if ((t == ApcLexer::RBRACE || t == antlr4::Token::EOF) && (keywords >= 3 || (anyName && keywords >= 20)))
      parts.push_back(tokenClass(p, t));
  std::sort(parts.begin(), parts.end());
  parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
  if (parts.empty()) return "something else";
  std::string out = parts[0];
  for (std::size_t i = 1; i < parts.size(); ++i) out += (i + 1 == parts.size() ? " or " : ", ") + parts[i];
  return out;
}

// What the parser was reading, in words: "the domain list", "the host block".
std::string noun(antlr4::ParserRuleContext* ctx) {
  for (antlr4::ParserRuleContext* c = ctx; c; c = dynamic_cast<antlr4::ParserRuleContext*>(c->parent)) {
    const std::size_t rule = c->getRuleIndex();
    if (rule == ApcParser::RuleHostStmt || rule == ApcParser::RuleGuestStmt || rule == ApcParser::RulePolicyStmt) {
      antlr4::Token* s = c->getStart();
      switch (s ? s->getType() : 0) {
        case ApcLexer::INTERFACE: return "the interface setting";
        case ApcLexer::CRYCB: return "the crycb format setting";
        case ApcLexer::ADAPTER: return "the adapter declaration";
        case ApcLexer::ADAPTERS: return "the adapter list";
        case ApcLexer::DOMAINS: return "the domain list";
        case ApcLexer::CONTROL: return "the control domain list";
        case ApcLexer::RESERVE: return "the reserve list";
        case ApcLexer::OFFLINE: return "the offline list";
        case ApcLexer::UUID: return "the uuid";
        case ApcLexer::START: return "the start setting";
        case ApcLexer::TAGS: return "the tag list";
        case ApcLexer::MIN: return "the min rule";
        case ApcLexer::MAX: return "the max rule";
        case ApcLexer::HEADROOM: return "the headroom rule";
        case ApcLexer::DENY:
        case ApcLexer::ALLOW: return "the foreign control rule";
        case ApcLexer::PLACEMENT: return "the placement rule";
        default: return "the statement";
      }
    }
    switch (rule) {
      case ApcParser::RuleFamilyRange: return "the family range";
      case ApcParser::RuleHostDecl: return "the host block";
      case ApcParser::RuleGuestDecl: return "the guest declaration";
      case ApcParser::RuleTemplateDecl: return "the template";
      case ApcParser::RuleApartDecl: return "the apart list";
      case ApcParser::RuleIncludeDecl: return "the include";
      case ApcParser::RulePolicyDecl: return "the policy block";
      case ApcParser::RuleUnknownItem:
      case ApcParser::RuleUnknownHostStmt:
      case ApcParser::RuleUnknownGuestStmt:
      case ApcParser::RuleUnknownPolicyStmt: return "the statement";
      default: break;
    }
  }
  return "";
}

}  // namespace

bool PlainErrorStrategy::reportUnknownKeyword(antlr4::Parser* p, antlr4::Token* t, const antlr4::misc::IntervalSet& expected) {
  if (!t || t->getType() != ApcLexer::ID) return false;
  std::vector<std::string_view> cands;
  std::vector<std::string> store;
  for (ssize_t type : expected.toList())
    if (isKeyword(static_cast<std::size_t>(type))) {
      std::string lit(p->getVocabulary().getLiteralName(static_cast<std::size_t>(type)));
      store.push_back(lit.substr(1, lit.size() - 2));
    }
  if (store.size() >= 20) return false;  // a name belongs here, not a keyword
  for (const std::string& s : store) cands.push_back(s);
  auto m = closestMatch(t->getText(), cands);
  if (!m) return false;
  rep_.error(ir::DiagCode::UnknownKeyword, place_.range(t),
             "unknown keyword '" + t->getText() + "'; did you mean '" + *m + "'?");
  return true;
}

void PlainErrorStrategy::report(antlr4::Parser* p, antlr4::Token* offending,
                                const antlr4::misc::IntervalSet& expected, antlr4::ParserRuleContext* ctx,
                                bool missing) {
  errors_ = true;
  if (!reportUnknownKeyword(p, offending, expected)) {
    std::string what = noun(ctx);
    std::string exp = describeExpected(p, expected);
    if (what.empty() && expected.contains(static_cast<std::size_t>(ApcLexer::HOST)))
      exp = "a declaration (host, guest, template, apart, include or policy)";
    if (exp == "';'" || missing) {
      // Point just after the previous token: that is where the ';' belongs.
      antlr4::Token* prev = p->getTokenStream()->LT(-1);
      ir::SourceRange r = prev ? place_.range(prev) : place_.range(offending);
      r.begin = r.end;
      std::string msg = "expected " + exp + (what.empty() ? "" : " after " + what);
      if (offending && offending->getType() == antlr4::Token::EOF) msg += " (found end of file)";
      rep_.error(ir::DiagCode::SyntaxError, r, msg);
    } else {
      std::string where = what.empty() ? " at the top level" : " in " + what;
      rep_.error(ir::DiagCode::SyntaxError, place_.range(offending),
                 "expected " + exp + where + ", found " + found(offending));
    }
  }
  if (rep_.stopped(place_.file)) throw antlr4::ParseCancellationException("too many errors");
}

void PlainErrorStrategy::reportNoViableAlternative(antlr4::Parser* p, const antlr4::NoViableAltException& e) {
  antlr4::Token* t = e.getOffendingToken();
  errors_ = true;
  auto* ctx = dynamic_cast<antlr4::ParserRuleContext*>(e.getCtx());
  std::string what = noun(ctx);
  if (!reportUnknownKeyword(p, t, e.getExpectedTokens())) {
    if (what.empty())
      rep_.error(ir::DiagCode::SyntaxError, place_.range(t),
                 "expected a declaration (host, guest, template, apart, include or policy), found " + found(t));
    else
      rep_.error(ir::DiagCode::SyntaxError, place_.range(t), "unexpected " + found(t) + " in " + what);
  }
  if (rep_.stopped(place_.file)) throw antlr4::ParseCancellationException("too many errors");
}

void PlainErrorStrategy::reportInputMismatch(antlr4::Parser* p, const antlr4::InputMismatchException& e) {
  report(p, e.getOffendingToken(), e.getExpectedTokens(), dynamic_cast<antlr4::ParserRuleContext*>(e.getCtx()),
         false);
}

void PlainErrorStrategy::reportFailedPredicate(antlr4::Parser* p, const antlr4::FailedPredicateException& e) {
  report(p, e.getOffendingToken(), e.getExpectedTokens(), p->getContext(), false);
}

void PlainErrorStrategy::reportUnwantedToken(antlr4::Parser* p) {
  if (inErrorRecoveryMode(p)) return;
  beginErrorCondition(p);
  errors_ = true;
  antlr4::Token* t = p->getCurrentToken();
  antlr4::misc::IntervalSet expected = getExpectedTokens(p);
  if (!reportUnknownKeyword(p, t, expected)) {
    std::string what = noun(p->getContext());
    rep_.error(ir::DiagCode::SyntaxError, place_.range(t),
               "unexpected " + found(t) + (what.empty() ? " at the top level" : " in " + what) + "; expected " +
                   describeExpected(p, expected));
  }
  if (rep_.stopped(place_.file)) throw antlr4::ParseCancellationException("too many errors");
}

void PlainErrorStrategy::reportMissingToken(antlr4::Parser* p) {
  if (inErrorRecoveryMode(p)) return;
  beginErrorCondition(p);
  report(p, p->getCurrentToken(), getExpectedTokens(p), p->getContext(), true);
}

}  // namespace apc::compiler
