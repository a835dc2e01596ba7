// Typed access to a parse-tree node's children without dynamic_cast. The
// accessors ANTLR generates (ctx->ident(), ctx->LBRACE()) dynamic_cast every
// child on every call and return fresh vectors; on a 10,000-guest plan the
// AST builder spent more instructions in them than in its own work.
//
// Why static_cast is sound here: ParseTree -> TerminalNode and ParseTree ->
// RuleContext -> ParserRuleContext -> generated contexts are non-virtual
// bases, and a child is a terminal exactly when its dynamic type is
// TerminalNodeImpl or ErrorNodeImpl (the only terminals the runtime makes).
// Rules without labelled alternatives always create exactly their own
// context class, so an exact typeid match identifies them.
#pragma once

#include <typeinfo>

#include "ApcParser.h"

namespace apc::compiler::tree {

inline bool isTerminal(antlr4::tree::ParseTree* p) {
  const std::type_info& t = typeid(*p);
  return t == typeid(antlr4::tree::TerminalNodeImpl) || t == typeid(antlr4::tree::ErrorNodeImpl);
}

// `p` as T when its dynamic type is exactly T, else nullptr.
template <class T>
T* exactly(antlr4::tree::ParseTree* p) {
  return p && typeid(*p) == typeid(T) ? static_cast<T*>(p) : nullptr;
}

// The n-th child that is a T (a context class with no labelled alternatives).
template <class T>
T* child(antlr4::ParserRuleContext* c, std::size_t nth = 0) {
  if (!c) return nullptr;
  for (antlr4::tree::ParseTree* p : c->children)
    if (T* t = exactly<T>(p); t && nth-- == 0) return t;
  return nullptr;
}

// Calls f(T*) for every child that is a T, in order.
template <class T, class F>
void forEach(antlr4::ParserRuleContext* c, F&& f) {
  if (!c) return;
  for (antlr4::tree::ParseTree* p : c->children)
    if (T* t = exactly<T>(p)) f(t);
}

// Calls f(Base*) for every child of rule `ruleIndex` (a rule with labelled
// alternatives, whose children are Base or one of its subclasses).
template <class Base, class F>
void forEachRule(antlr4::ParserRuleContext* c, std::size_t ruleIndex, F&& f) {
  if (!c) return;
  for (antlr4::tree::ParseTree* p : c->children)
    if (!isTerminal(p)) {
      auto* r = static_cast<antlr4::ParserRuleContext*>(p);
      if (r->getRuleIndex() == ruleIndex) f(static_cast<Base*>(r));
    }
}

// The first child of rule `ruleIndex`, as Base (see forEachRule).
template <class Base>
Base* firstRule(antlr4::ParserRuleContext* c, std::size_t ruleIndex) {
  Base* found = nullptr;
  forEachRule<Base>(c, ruleIndex, [&](Base* b) {
    if (!found) found = b;
  });
  return found;
}

// The n-th terminal child of token type `type`, or nullptr.
inline antlr4::tree::TerminalNode* token(antlr4::ParserRuleContext* c, std::size_t type, std::size_t nth = 0) {
  if (!c) return nullptr;
  for (antlr4::tree::ParseTree* p : c->children)
    if (isTerminal(p)) {
      auto* t = static_cast<antlr4::tree::TerminalNode*>(p);
      if (t->getSymbol()->getType() == type && nth-- == 0) return t;
    }
  return nullptr;
}

}  // namespace apc::compiler::tree
