# Build step (cmake -P): writes OUT, a C++ file defining
#   std::string_view apc::cli::NAME()
# that returns the bytes of IN. apc carries docs/diagnostics.md this way, so
# `apc explain CODE` prints the one text the docs hold (no second copy).
file(READ "${IN}" text)
string(LENGTH "${text}" len)
# Raw string literals of at most 16 KiB each (compilers cap one literal).
set(body "")
set(at 0)
while(at LESS len)
  string(SUBSTRING "${text}" ${at} 16000 chunk)
  string(APPEND body "    R\"apc_embed(${chunk})apc_embed\"\n")
  math(EXPR at "${at} + 16000")
endwhile()
if(body STREQUAL "")
  set(body "    \"\"\n")
endif()
file(WRITE "${OUT}.tmp" "// Generated from ${IN_NAME} by tools/apc/embed_text.cmake; do not edit.
#include <string_view>

namespace apc::cli {

std::string_view ${NAME}() {
  static constexpr std::string_view kText =
${body}      ;
  return kText;
}

}  // namespace apc::cli
")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
