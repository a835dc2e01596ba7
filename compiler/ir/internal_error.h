// A compiler bug is not a user error: APC_BUG_CHECK throws InternalError,
// which the CLI turns into exit code 3 and "please report" (p4c's BUG_CHECK).
#pragma once

#include <stdexcept>
#include <string>

namespace apc::ir {

class InternalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

[[noreturn]] inline void bug(const char* file, int line, const std::string& what) {
  throw InternalError(std::string(file) + ":" + std::to_string(line) + ": " + what);
}

}  // namespace apc::ir

#define APC_BUG_CHECK(cond, msg)                                       \
  do {                                                                 \
    if (!(cond)) ::apc::ir::bug(__FILE__, __LINE__, std::string(msg)); \
  } while (0)
