// The front end's AST: what one .ap file says, with every source range, before
// templates, families and includes are resolved. Built from the ANTLR parse tree
// by ast_builder.cpp; read by the lowering (-> plan IR) and by the formatter.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/ir/source_manager.h"

namespace apc::compiler::ast {

using ir::SourceRange;

// A number as written. `value` saturates at UINT32_MAX + 1 so overflow is
// visible; `ok` is false when the lexer already reported it (05, 0x5g).
struct Number {
  std::uint64_t value = 0;
  bool ok = true;
  SourceRange range;
};

struct IdItem {
  Number lo;
  std::optional<Number> hi;  // `lo..hi`, inclusive
  SourceRange range;
};

struct IdList {
  std::vector<IdItem> items;
  SourceRange range;
};

// A word (identifier, keyword used as a name, adapter type, tag) as written.
struct Word {
  std::string text;
  SourceRange range;
  bool quoted = false;  // written as a "string" (tags)
};

struct Filter {
  enum class Kind { In, Mode, Type };
  Kind kind = Kind::In;
  IdList in;
  Word mode;
  std::vector<Word> types;
  SourceRange range;
};

struct Requirement {
  bool any = false;
  IdList list;     // exact
  Number count;    // any N
  std::vector<Filter> filters;
  SourceRange range;  // the whole statement
};

// The body of a guest or a template: each setting at most once.
struct Body {
  std::optional<Requirement> adapters;
  std::optional<Requirement> domains;
  std::optional<IdList> control;
  SourceRange controlStmt;
  std::optional<Word> uuid;   // text without quotes
  std::optional<Word> start;
  std::optional<std::vector<Word>> tags;
  SourceRange tagsStmt;
  bool incomplete = false;  // an error inside the block: a missing setting may be its fallout
};

struct AdapterDecl {
  IdList ids;
  Word type;
  SourceRange range;
};

struct QueueItem {
  std::string text;
  SourceRange range;
};

struct HostDecl {
  Word name;
  SourceRange range;
  std::optional<Word> interface;
  std::optional<Number> crycb;
  std::vector<AdapterDecl> adapters;
  std::optional<IdList> domains;
  SourceRange domainsStmt;
  std::optional<IdList> control;
  SourceRange controlStmt;
  std::vector<QueueItem> reserve;
  std::vector<QueueItem> offline;
  bool incomplete = false;  // a syntax error inside: checks against it would only cascade
};

struct GuestDecl {
  Word name;
  std::optional<Number> familyLo, familyHi;
  SourceRange familyRange;
  std::optional<Word> templ;
  Body body;
  SourceRange range;
};

struct TemplateDecl {
  Word name;
  Body body;
  SourceRange range;
};

struct ApartDecl {
  std::vector<Word> guests;
  SourceRange range;
};

struct IncludeDecl {
  std::string path;   // unescaped
  SourceRange pathRange;
  SourceRange range;
};

struct PolicyRule {
  enum class Kind { MinAdapters, MinDomains, MaxGuestsPerAdapter, Headroom, DenyForeign, AllowForeign, Placement };
  Kind kind = Kind::DenyForeign;
  Number n;
  std::optional<Word> tag;
  Word value;  // Placement: `spread` or `pack` (checked in lowering)
  SourceRange range;
};

struct PolicyDecl {
  std::vector<PolicyRule> rules;
  SourceRange range;
};

using Item = std::variant<HostDecl, GuestDecl, TemplateDecl, ApartDecl, IncludeDecl, PolicyDecl>;

// One output line of `apc fmt`: canonical text, its indent level, and the
// source range it came from (comments are placed by comparing offsets).
struct LayoutLine {
  SourceRange range;
  std::string text;
  int indent = 0;
  bool itemStart = false;  // first line of a top-level item
};

struct Comment {
  SourceRange range;
  std::string text;
};

struct File {
  ir::FileId file = ir::kNoFile;
  std::vector<Item> items;  // source order
  std::vector<LayoutLine> layout;
  std::vector<Comment> comments;
  bool syntaxOk = true;     // no lexical or syntax error in this file
};

}  // namespace apc::compiler::ast
