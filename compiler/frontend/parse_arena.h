// Memory for the parse-tree contexts of one parse. ANTLR allocates every
// rule context with `new` and deletes each when the parser dies; on a
// 10,000-guest plan that is over 100,000 malloc/free pairs, and freeing the
// tree was a fifth of the whole parse. ApcParser.g4 names ArenaContext as the
// contexts' base class (contextSuperClass), whose operator new draws from
// the ParseArena installed on this thread and whose operator delete leaves
// the memory to that arena. A context made with no arena installed is an
// internal error: parseFile installs one around every parse.
#pragma once

#include <memory_resource>

#include "antlr4-runtime.h"

namespace apc::compiler {

class ParseArena {
 public:
  ParseArena();  // installs itself for this thread
  ~ParseArena();  // reinstalls the arena that was current before
  ParseArena(const ParseArena&) = delete;
  ParseArena& operator=(const ParseArena&) = delete;

  static std::pmr::memory_resource* current();

 private:
  std::pmr::monotonic_buffer_resource pool_;
  ParseArena* previous_;
};

class ArenaContext : public antlr4::ParserRuleContext {
 public:
  using antlr4::ParserRuleContext::ParserRuleContext;
  static void* operator new(std::size_t size);
  static void operator delete(void*) {}  // the arena frees everything at once
};

}  // namespace apc::compiler

// The generated parser lives in apc_gen and names its base class unqualified.
namespace apc_gen {
using ArenaContext = apc::compiler::ArenaContext;
}
