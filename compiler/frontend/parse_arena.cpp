#include "compiler/frontend/parse_arena.h"

#include "compiler/ir/internal_error.h"

namespace apc::compiler {

namespace {
thread_local ParseArena* tCurrent = nullptr;
}

ParseArena::ParseArena() : previous_(tCurrent) { tCurrent = this; }

ParseArena::~ParseArena() { tCurrent = previous_; }

std::pmr::memory_resource* ParseArena::current() { return tCurrent ? &tCurrent->pool_ : nullptr; }

void* ArenaContext::operator new(std::size_t size) {
  std::pmr::memory_resource* arena = ParseArena::current();
  APC_BUG_CHECK(arena, "a parse-tree context was made outside a ParseArena");
  return arena->allocate(size, alignof(std::max_align_t));
}

}  // namespace apc::compiler
