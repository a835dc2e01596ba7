// The lock reader on arbitrary bytes: a Lock or an error text, never a
// crash; what it accepts is what apc can write back byte for byte.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "solver/lock.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string err;
  std::optional<apc::solver::Lock> lock = apc::solver::parseLock(apc::fuzz::text(data, size), err);
  apc::fuzz::require(lock.has_value() == err.empty(), "a lock error without a reason, or a reason with a lock");
  if (!lock) return 0;
  for (std::size_t i = 1; i < lock->guests.size(); ++i)
    apc::fuzz::require(lock->guests[i - 1].name < lock->guests[i].name, "lock guests not sorted and unique");
  for (const apc::solver::LockedGuest& g : lock->guests) {
    apc::fuzz::require(lock->find(g.name) == &g, "Lock::find misses a guest");
    apc::fuzz::require(g.uuid.size() == 36, "an unchecked uuid");
  }
  return 0;
}
