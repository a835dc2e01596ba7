// One walk over the tree. Canonical text (for fmt) is produced here because
// this is where the pieces are still as written: IDs become two-digit 0x-hex,
// counts stay decimal, queues become sysfs spelling, lists and ranges keep
// their shape (nothing is sorted, so meaning and comments stay put).
#include "compiler/frontend/ast_builder.h"

#include <cctype>
#include <cstdio>

#include "compiler/frontend/suggest.h"
#include "compiler/frontend/tree_access.h"

namespace apc::compiler {

using apc_gen::ApcLexer;
using apc_gen::ApcParser;
using ir::DiagCode;

std::string quoteString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

namespace {

std::string hex2(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%02llx", static_cast<unsigned long long>(v));
  return buf;
}

class Builder {
 public:
  Builder(antlr4::CommonTokenStream& tokens, const TokenPlace& place, Reporter& rep, bool layout)
      : tokens_(tokens), place_(place), rep_(rep), layout_(layout) {}

  ast::File run(ApcParser::PlanContext* plan) {
    out_.file = place_.file;
    // One item per top-level declaration: reserving spares the regrowth
    // copies of a vector of large variants (megabytes on a big plan).
    if (plan) out_.items.reserve(plan->children.size());
    tree::forEach<ApcParser::TopItemContext>(plan, [&](ApcParser::TopItemContext* item) { topItem(item); });
    if (layout_)
      for (antlr4::Token* t : tokens_.getTokens())
        if (t->getChannel() == antlr4::Token::HIDDEN_CHANNEL) out_.comments.push_back({place_.range(t), t->getText()});
    return std::move(out_);
  }

 private:
  ir::SourceRange range(antlr4::ParserRuleContext* c) const { return place_.rangeOf(c); }
  ir::SourceRange range(antlr4::tree::TerminalNode* n) const { return n ? place_.range(n->getSymbol()) : ir::SourceRange{place_.file, 0, 0}; }

  void line(ir::SourceRange r, std::string text, int indent, bool itemStart = false) {
    if (layout_) out_.layout.push_back({r, std::move(text), indent, itemStart});
  }

  // ---- leaves ----

  ast::Number number(ApcParser::NumberContext* c) {
    return numberToken(c ? c->getStart() : nullptr);
  }

  // A number token (DECIMAL, HEX_NUMBER or BAD_NUMBER; anything else is not ok).
  ast::Number numberToken(antlr4::Token* t) {
    ast::Number n;
    if (!t) {
      n.ok = false;
      return n;
    }
    n.range = place_.range(t);
    const std::string text = t->getText();
    constexpr std::uint64_t kCap = 1ull << 32;  // saturate: anything this big is "too large"
    auto accumulate = [&](std::string_view digits, unsigned base) {
      std::uint64_t v = 0;
      for (char ch : digits) {
        unsigned d = ch <= '9' ? static_cast<unsigned>(ch - '0') : static_cast<unsigned>((ch | 0x20) - 'a' + 10);
        v = std::min<std::uint64_t>(v * base + d, kCap);
      }
      return v;
    };
    switch (t->getType()) {
      case ApcLexer::DECIMAL:
        n.ok = !(text.size() > 1 && text[0] == '0');  // the lexer reported E003
        n.value = accumulate(text, 10);
        break;
      case ApcLexer::HEX_NUMBER:
        n.value = accumulate(std::string_view(text).substr(2), 16);
        break;
      default:
        n.ok = false;  // BAD_NUMBER (reported by the lexer) or a repaired tree
    }
    return n;
  }

  static bool isNumberToken(const antlr4::Token* t) {
    const std::size_t type = t->getType();
    return t->getStartIndex() != INVALID_INDEX &&
           (type == ApcLexer::DECIMAL || type == ApcLexer::HEX_NUMBER || type == ApcLexer::BAD_NUMBER);
  }

  std::string numText(const ast::Number& n, bool hex) const {
    if (!n.ok || !n.range.valid()) return "?";
    return hex ? hex2(n.value) : std::to_string(n.value);
  }

  ast::IdList idList(ApcParser::IdListContext* c) {
    ast::IdList l;
    if (!c) return l;
    l.range = range(c);
    tree::forEach<ApcParser::IdItemContext>(c, [&](ApcParser::IdItemContext* it) {
      ast::IdItem item;
      item.range = range(it);
      // Children: a number token, then optionally '..' and a number token
      // (error recovery may leave either number out).
      antlr4::Token* lo = nullptr;
      antlr4::Token* hi = nullptr;
      bool range = false;
      for (antlr4::tree::ParseTree* p : it->children) {
        if (!tree::isTerminal(p)) continue;
        antlr4::Token* t = static_cast<antlr4::tree::TerminalNode*>(p)->getSymbol();
        if (t->getType() == ApcLexer::DOTDOT) range = true;
        else if (isNumberToken(t) && !range && !lo) lo = t;
        else if (isNumberToken(t) && range && !hi) hi = t;
      }
      if (!lo) return;
      item.lo = numberToken(lo);
      if (range) item.hi = numberToken(hi);
      l.items.push_back(item);
    });
    return l;
  }

  std::string idListText(const ast::IdList& l) const {
    std::string s;
    for (const ast::IdItem& it : l.items) {
      if (!s.empty()) s += ", ";
      s += numText(it.lo, true);
      if (it.hi) s += ".." + numText(*it.hi, true);
    }
    return s;
  }

  ast::Word word(ApcParser::IdentContext* c) {
    if (!c || !c->getStart()) return {"", {place_.file, 0, 0}};
    antlr4::Token* t = c->getStart();  // an ident is one token; getText() on the context would concatenate
    return {t->getText(), place_.range(t)};
  }

  std::string unescape(antlr4::Token* t) {
    const std::string raw = t->getText();
    std::string s;
    for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
      if (raw[i] == '\\') {
        char e = raw[i + 1];
        if (e != '"' && e != '\\') {
          ir::SourceRange r = place_.range(t);
          r.begin += static_cast<std::uint32_t>(i);
          r.end = r.begin + 2;
          rep_.error(DiagCode::SyntaxError, r,
                     std::string("unknown escape '\\") + e + "' in a string; only \\\" and \\\\ are allowed");
          out_.syntaxOk = false;
        }
        s += e;
        ++i;
      } else {
        s += raw[i];
      }
    }
    return s;
  }

  ast::Word tag(ApcParser::TagContext* c) {
    if (!c) return {};
    if (antlr4::tree::TerminalNode* s = tree::token(c, ApcLexer::STRING)) {
      ast::Word w{unescape(s->getSymbol()), range(c), true};
      return w;
    }
    return word(tree::child<ApcParser::IdentContext>(c));
  }

  // A well-formed uuid prints bare and lower case; anything else as written.
  static std::string uuidText(const ast::Word& w, bool wasString) {
    bool ok = w.text.size() == 36;
    for (std::size_t i = 0; ok && i < 36; ++i)
      ok = (i == 8 || i == 13 || i == 18 || i == 23) ? w.text[i] == '-' : std::isxdigit(static_cast<unsigned char>(w.text[i])) != 0;
    if (!ok) return wasString ? quoteString(w.text) : w.text;
    std::string s = w.text;
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  }

  std::string wordText(const ast::Word& w) const { return w.quoted ? quoteString(w.text) : w.text; }

  // ---- errors found only in the tree ----

  void unknown(antlr4::ParserRuleContext* c, const char* where, const std::vector<std::string_view>& keywords) {
    if (!c || !c->getStart()) return;
    antlr4::Token* t = c->getStart();
    const ir::SourceRange at = place_.range(t);
    out_.syntaxOk = false;
    if (rep_.anyErrorIn(at)) return;  // the parser already said what is wrong here
    const std::string w = t->getText();
    const std::string what = t->getType() == ApcLexer::ID ? "unknown keyword '" + w + "' "
                                                          : "'" + w + "' does not start a statement ";
    auto m = closestMatch(w, keywords);
    std::string list;
    for (std::size_t i = 0; i < keywords.size(); ++i)
      list += (i ? (i + 1 == keywords.size() ? " or " : ", ") : "") + std::string(keywords[i]);
    if (m)
      rep_.error(DiagCode::UnknownKeyword, at, what + where + "; did you mean '" + *m + "'?");
    else
      rep_.error(DiagCode::UnknownKeyword, at, what + where + "; expected " + list);
  }

  // Returns true when the setting was already given (and reports E118).
  bool duplicate(bool already, ir::SourceRange first, ir::SourceRange here, const std::string& what,
                 const char* block) {
    if (!already) return false;
    auto& d = rep_.error(DiagCode::DuplicateSetting, here, "'" + what + "' is set twice in this " + block);
    ir::addNote(d, first, "first set here");
    return true;
  }

  // ---- statements ----

  ast::Requirement requirement(ApcParser::RequirementContext* c, ir::SourceRange stmt) {
    ast::Requirement r;
    r.range = stmt;
    if (auto* ex = tree::exactly<ApcParser::ReqExactContext>(c)) {
      r.list = idList(tree::child<ApcParser::IdListContext>(ex));
    } else if (auto* an = tree::exactly<ApcParser::ReqAnyContext>(c)) {
      r.any = true;
      r.count = number(tree::child<ApcParser::NumberContext>(an));
      tree::forEachRule<ApcParser::FilterContext>(an, ApcParser::RuleFilter, [&](ApcParser::FilterContext* f) {
        ast::Filter fl;
        fl.range = range(f);
        if (auto* in = tree::exactly<ApcParser::FilterInContext>(f)) {
          fl.kind = ast::Filter::Kind::In;
          fl.in = idList(tree::child<ApcParser::IdListContext>(in));
        } else if (auto* mo = tree::exactly<ApcParser::FilterModeContext>(f)) {
          fl.kind = ast::Filter::Kind::Mode;
          fl.mode = word(tree::child<ApcParser::IdentContext>(mo));
        } else if (auto* ty = tree::exactly<ApcParser::FilterTypeContext>(f)) {
          fl.kind = ast::Filter::Kind::Type;
          tree::forEach<ApcParser::IdentContext>(ty, [&](ApcParser::IdentContext* id) { fl.types.push_back(word(id)); });
        } else {
          return;
        }
        r.filters.push_back(std::move(fl));
      });
    }
    return r;
  }

  std::string requirementText(const ast::Requirement& r) const {
    if (!r.any) return idListText(r.list);
    std::string s = "any " + numText(r.count, false);
    for (const ast::Filter& f : r.filters) {
      switch (f.kind) {
        case ast::Filter::Kind::In: s += " in " + idListText(f.in); break;
        case ast::Filter::Kind::Mode: s += " mode " + f.mode.text; break;
        case ast::Filter::Kind::Type:
          s += " type";
          for (std::size_t i = 0; i < f.types.size(); ++i) s += (i ? ", " : " ") + f.types[i].text;
          break;
      }
    }
    return s;
  }

  // The guest statements of a guest or template declaration.
  void body(antlr4::ParserRuleContext* decl, ast::Body& b, const char* block) {
    static const std::vector<std::string_view> kKeywords = {"adapters", "domains", "control", "uuid", "start", "tags"};
    tree::forEachRule<ApcParser::GuestStmtContext>(decl, ApcParser::RuleGuestStmt, [&](ApcParser::GuestStmtContext* s) {
      const ir::SourceRange r = range(s);
      std::string text;
      if (auto* a = tree::exactly<ApcParser::GuestAdaptersContext>(s)) {
        if (duplicate(b.adapters.has_value(), b.adapters ? b.adapters->range : r, r, "adapters", block)) return;
        b.adapters = requirement(tree::firstRule<ApcParser::RequirementContext>(a, ApcParser::RuleRequirement), r);
        if (layout_) text = "adapters " + requirementText(*b.adapters) + ";";
      } else if (auto* d = tree::exactly<ApcParser::GuestDomainsContext>(s)) {
        if (duplicate(b.domains.has_value(), b.domains ? b.domains->range : r, r, "domains", block)) return;
        b.domains = requirement(tree::firstRule<ApcParser::RequirementContext>(d, ApcParser::RuleRequirement), r);
        if (layout_) text = "domains " + requirementText(*b.domains) + ";";
      } else if (auto* c = tree::exactly<ApcParser::GuestControlContext>(s)) {
        if (duplicate(b.control.has_value(), b.controlStmt, r, "control domains", block)) return;
        b.control = idList(tree::child<ApcParser::IdListContext>(c));
        b.controlStmt = r;
        if (layout_) text = "control domains " + idListText(*b.control) + ";";
      } else if (auto* u = tree::exactly<ApcParser::GuestUuidContext>(s)) {
        if (duplicate(b.uuid.has_value(), b.uuid ? b.uuid->range : r, r, "uuid", block)) return;
        ApcParser::UuidValueContext* v = tree::child<ApcParser::UuidValueContext>(u);
        ast::Word w{"", v ? range(v) : r};
        if (v && v->getStart() == v->getStop() && v->getStart()->getType() == ApcLexer::STRING)
          w.text = unescape(v->getStart());
        else if (v && w.range.valid())
          w.text = tokens_.getText(v->getSourceInterval());
        b.uuid = w;
        if (layout_) text = "uuid " + uuidText(w, v && v->getStart()->getType() == ApcLexer::STRING) + ";";
      } else if (auto* st = tree::exactly<ApcParser::GuestStartContext>(s)) {
        if (duplicate(b.start.has_value(), b.start ? b.start->range : r, r, "start", block)) return;
        b.start = word(tree::child<ApcParser::IdentContext>(st));
        if (layout_) text = "start " + b.start->text + ";";
      } else if (auto* tg = tree::exactly<ApcParser::GuestTagsContext>(s)) {
        if (duplicate(b.tags.has_value(), b.tagsStmt, r, "tags", block)) return;
        b.tags.emplace();
        b.tagsStmt = r;
        if (layout_) text = "tags";
        tree::forEach<ApcParser::TagContext>(tg, [&](ApcParser::TagContext* t) {
          b.tags->push_back(tag(t));
          text += (b.tags->size() > 1 ? ", " : " ") + wordText(b.tags->back());
        });
        text += ";";
      } else if (auto* un = tree::exactly<ApcParser::GuestUnknownContext>(s)) {
        unknown(tree::child<ApcParser::UnknownGuestStmtContext>(un), (std::string("in a ") + block).c_str(), kKeywords);
        return;
      } else {
        return;
      }
      line(r, text, 1);
    });
  }

  // Expects the block's '{' and '}' terminals (either may be missing after recovery).
  void open(antlr4::ParserRuleContext* decl, antlr4::tree::TerminalNode* lbrace, std::string header) {
    ir::SourceRange r = range(decl);
    if (lbrace) r.end = range(lbrace).end;
    line(r, std::move(header), 0, true);
  }
  void close(antlr4::tree::TerminalNode* rbrace) {
    if (rbrace && rbrace->getSymbol()->getStartIndex() != INVALID_INDEX) line(range(rbrace), "}", 0);
  }

  void host(ApcParser::HostDeclContext* c) {
    static const std::vector<std::string_view> kKeywords = {"interface", "crycb", "adapter", "domains",
                                                            "control", "reserve", "offline"};
    ast::HostDecl h;
    h.name = word(tree::child<ApcParser::IdentContext>(c));
    h.range = range(c);
    open(c, tree::token(c, ApcLexer::LBRACE), "host " + h.name.text + " {");
    tree::forEachRule<ApcParser::HostStmtContext>(c, ApcParser::RuleHostStmt, [&](ApcParser::HostStmtContext* s) {
      const ir::SourceRange r = range(s);
      std::string text;
      if (auto* i = tree::exactly<ApcParser::HostInterfaceContext>(s)) {
        if (duplicate(h.interface.has_value(), h.interface ? h.interface->range : r, r, "interface", "host block")) return;
        h.interface = word(tree::child<ApcParser::IdentContext>(i));
        if (layout_) text = "interface " + h.interface->text + ";";
      } else if (auto* cr = tree::exactly<ApcParser::HostCrycbContext>(s)) {
        if (duplicate(h.crycb.has_value(), h.crycb ? h.crycb->range : r, r, "crycb format", "host block")) return;
        h.crycb = number(tree::child<ApcParser::NumberContext>(cr));
        if (layout_) text = "crycb format " + numText(*h.crycb, false) + ";";
      } else if (auto* a = tree::exactly<ApcParser::HostAdapterContext>(s)) {
        ast::AdapterDecl ad{idList(tree::child<ApcParser::IdListContext>(a)), word(tree::child<ApcParser::IdentContext>(a)), r};
        if (layout_) text = "adapter " + idListText(ad.ids) + " " + ad.type.text + ";";
        h.adapters.push_back(std::move(ad));
      } else if (auto* d = tree::exactly<ApcParser::HostDomainsContext>(s)) {
        if (duplicate(h.domains.has_value(), h.domainsStmt, r, "domains", "host block")) return;
        h.domains = idList(tree::child<ApcParser::IdListContext>(d));
        h.domainsStmt = r;
        if (layout_) text = "domains " + idListText(*h.domains) + ";";
      } else if (auto* cd = tree::exactly<ApcParser::HostControlContext>(s)) {
        if (duplicate(h.control.has_value(), h.controlStmt, r, "control domains", "host block")) return;
        h.control = idList(tree::child<ApcParser::IdListContext>(cd));
        h.controlStmt = r;
        if (layout_) text = "control domains " + idListText(*h.control) + ";";
      } else if (auto* rs = tree::exactly<ApcParser::HostReserveContext>(s)) {
        text = "reserve " + queues(tree::child<ApcParser::QueueListContext>(rs), h.reserve) + ";";
      } else if (auto* of = tree::exactly<ApcParser::HostOfflineContext>(s)) {
        text = "offline " + queues(tree::child<ApcParser::QueueListContext>(of), h.offline) + ";";
      } else if (auto* un = tree::exactly<ApcParser::HostUnknownContext>(s)) {
        unknown(tree::child<ApcParser::UnknownHostStmtContext>(un), "in the host block", kKeywords);
        return;
      } else {
        return;
      }
      line(r, text, 1);
    });
    close(tree::token(c, ApcLexer::RBRACE));
    h.incomplete = rep_.anyErrorIn(h.range);
    out_.items.emplace_back(std::move(h));
  }

  std::string queues(ApcParser::QueueListContext* c, std::vector<ast::QueueItem>& into) {
    std::string text;
    if (!c) return text;
    tree::forEach<ApcParser::QueueItemContext>(c, [&](ApcParser::QueueItemContext* q) {
      ast::QueueItem item{q->getText(), range(q)};
      if (!text.empty()) text += ", ";
      text += canonicalQueue(item.text);
      into.push_back(std::move(item));
    });
    return text;
  }

  // 5.4 -> 05.0004, 05.* stays; anything unreadable stays as written.
  static std::string canonicalQueue(const std::string& t) {
    auto dot = t.find('.');
    if (dot == std::string::npos) return t;
    auto side = [](std::string_view s, int width) -> std::string {
      if (s == "*") return "*";
      if (s.empty() || s.size() > 4) return std::string();
      unsigned v = 0;
      for (char ch : s) {
        if (!std::isxdigit(static_cast<unsigned char>(ch))) return std::string();
        v = v * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(ch)) ? ch - '0' : (ch | 0x20) - 'a' + 10);
      }
      char buf[16];
      std::snprintf(buf, sizeof buf, "%0*x", width, v);
      return buf;
    };
    std::string a = side(std::string_view(t).substr(0, dot), 2);
    std::string d = side(std::string_view(t).substr(dot + 1), 4);
    if (a.empty() || d.empty()) return t;
    return a + "." + d;
  }

  void guest(ApcParser::GuestDeclContext* c) {
    ast::GuestDecl g;
    g.name = word(tree::child<ApcParser::IdentContext>(c));
    g.range = range(c);
    std::string header = "guest " + g.name.text;
    if (ApcParser::FamilyRangeContext* f = tree::child<ApcParser::FamilyRangeContext>(c)) {
      g.familyLo = number(tree::child<ApcParser::NumberContext>(f));
      g.familyHi = number(tree::child<ApcParser::NumberContext>(f, 1));
      g.familyRange = range(f);
      header += "[" + numText(*g.familyLo, false) + ".." + numText(*g.familyHi, false) + "]";
    }
    if (tree::token(c, ApcLexer::COLON)) {
      g.templ = word(tree::child<ApcParser::IdentContext>(c, 1));
      header += " : " + g.templ->text;
    }
    if (antlr4::tree::TerminalNode* lbrace = tree::token(c, ApcLexer::LBRACE)) {
      open(c, lbrace, header + " {");
      body(c, g.body, "guest");
      close(tree::token(c, ApcLexer::RBRACE));
      g.body.incomplete = rep_.anyErrorIn(g.range);
    } else {
      line(range(c), header + ";", 0, true);
    }
    out_.items.emplace_back(std::move(g));
  }

  void templ(ApcParser::TemplateDeclContext* c) {
    ast::TemplateDecl t;
    t.name = word(tree::child<ApcParser::IdentContext>(c));
    t.range = range(c);
    open(c, tree::token(c, ApcLexer::LBRACE), "template " + t.name.text + " {");
    body(c, t.body, "template");
    close(tree::token(c, ApcLexer::RBRACE));
    t.body.incomplete = rep_.anyErrorIn(t.range);
    out_.items.emplace_back(std::move(t));
  }

  void apart(ApcParser::ApartDeclContext* c) {
    ast::ApartDecl a;
    a.range = range(c);
    std::string text = "apart";
    tree::forEach<ApcParser::IdentContext>(c, [&](ApcParser::IdentContext* id) {
      a.guests.push_back(word(id));
      text += (a.guests.size() > 1 ? ", " : " ") + a.guests.back().text;
    });
    line(a.range, text + ";", 0, true);
    out_.items.emplace_back(std::move(a));
  }

  void include(ApcParser::IncludeDeclContext* c) {
    ast::IncludeDecl inc;
    inc.range = range(c);
    antlr4::tree::TerminalNode* path = tree::token(c, ApcLexer::STRING);
    if (!path) return;
    inc.path = unescape(path->getSymbol());
    inc.pathRange = range(path);
    line(inc.range, "include " + quoteString(inc.path) + ";", 0, true);
    out_.items.emplace_back(std::move(inc));
  }

  void policy(ApcParser::PolicyDeclContext* c) {
    static const std::vector<std::string_view> kKeywords = {"min", "max", "headroom", "deny", "allow", "placement"};
    ast::PolicyDecl p;
    p.range = range(c);
    open(c, tree::token(c, ApcLexer::LBRACE), "policy {");
    tree::forEachRule<ApcParser::PolicyStmtContext>(c, ApcParser::RulePolicyStmt, [&](ApcParser::PolicyStmtContext* s) {
      ast::PolicyRule rule;
      rule.range = range(s);
      std::string text;
      if (auto* m = tree::exactly<ApcParser::PolicyMinContext>(s)) {
        const bool adapters = tree::token(m, ApcLexer::ADAPTERS) != nullptr;
        rule.kind = adapters ? ast::PolicyRule::Kind::MinAdapters : ast::PolicyRule::Kind::MinDomains;
        rule.n = number(tree::child<ApcParser::NumberContext>(m));
        if (layout_) text = std::string("min ") + (adapters ? "adapters " : "domains ") + numText(rule.n, false);
        if (ApcParser::TagContext* t = tree::child<ApcParser::TagContext>(m)) {
          rule.tag = tag(t);
          text += " for tag " + wordText(*rule.tag);
        }
      } else if (auto* mx = tree::exactly<ApcParser::PolicyMaxGuestsContext>(s)) {
        rule.kind = ast::PolicyRule::Kind::MaxGuestsPerAdapter;
        rule.n = number(tree::child<ApcParser::NumberContext>(mx));
        if (layout_) text = "max guests per adapter " + numText(rule.n, false);
      } else if (auto* h = tree::exactly<ApcParser::PolicyHeadroomContext>(s)) {
        rule.kind = ast::PolicyRule::Kind::Headroom;
        rule.n = number(tree::child<ApcParser::NumberContext>(h));
        if (layout_) text = "headroom " + numText(rule.n, false) + "%";
      } else if (auto* f = tree::exactly<ApcParser::PolicyForeignContext>(s)) {
        const bool allow = tree::token(f, ApcLexer::ALLOW) != nullptr;
        rule.kind = allow ? ast::PolicyRule::Kind::AllowForeign : ast::PolicyRule::Kind::DenyForeign;
        if (layout_) text = allow ? "allow foreign control" : "deny foreign control";
      } else if (auto* pl = tree::exactly<ApcParser::PolicyPlacementContext>(s)) {
        rule.kind = ast::PolicyRule::Kind::Placement;
        rule.value = word(tree::child<ApcParser::IdentContext>(pl));
        if (layout_) text = "placement " + rule.value.text;
      } else if (auto* un = tree::exactly<ApcParser::PolicyUnknownContext>(s)) {
        unknown(tree::child<ApcParser::UnknownPolicyStmtContext>(un), "in the policy block", kKeywords);
        return;
      } else {
        return;
      }
      line(rule.range, text + ";", 1);
      p.rules.push_back(std::move(rule));
    });
    close(tree::token(c, ApcLexer::RBRACE));
    out_.items.emplace_back(std::move(p));
  }

  void topItem(ApcParser::TopItemContext* c) {
    static const std::vector<std::string_view> kKeywords = {"host", "guest", "template", "apart", "include", "policy"};
    antlr4::tree::ParseTree* d = c->children.empty() ? nullptr : c->children.front();
    if (auto* g = tree::exactly<ApcParser::GuestDeclContext>(d)) guest(g);
    else if (auto* h = tree::exactly<ApcParser::HostDeclContext>(d)) host(h);
    else if (auto* t = tree::exactly<ApcParser::TemplateDeclContext>(d)) templ(t);
    else if (auto* a = tree::exactly<ApcParser::ApartDeclContext>(d)) apart(a);
    else if (auto* i = tree::exactly<ApcParser::IncludeDeclContext>(d)) include(i);
    else if (auto* p = tree::exactly<ApcParser::PolicyDeclContext>(d)) policy(p);
    else if (auto* u = tree::exactly<ApcParser::UnknownItemContext>(d)) unknown(u, "at the top level", kKeywords);
  }

  antlr4::CommonTokenStream& tokens_;
  const TokenPlace& place_;
  Reporter& rep_;
  bool layout_;
  ast::File out_;
};

}  // namespace

ast::File buildAst(ApcParser::PlanContext* tree, antlr4::CommonTokenStream& tokens, const TokenPlace& place,
                   Reporter& rep, bool wantLayout) {
  return Builder(tokens, place, rep, wantLayout).run(tree);
}

}  // namespace apc::compiler
