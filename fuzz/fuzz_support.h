// Shared by the fuzz targets: input as text, the solver's fuzzing bounds,
// and a check that aborts (so libFuzzer records the input) when broken.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "solver/solve.h"

namespace apc::fuzz {

// Includes resolve relative to a folder that does not exist, so a fuzzed
// relative include never reads the disk.
inline constexpr const char* kDisplayPath = "/nonexistent-apc-fuzz/fuzz.ap";

inline std::string text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

// Counts, never time: small enough for thousands of inputs per second.
inline solver::SolveOptions boundedSolve() {
  solver::SolveOptions o;
  o.z3ResourceLimit = 200'000;
  o.greedyRestarts = 20;
  return o;
}

inline void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "apc fuzz: %s\n", what);
  std::abort();
}

}  // namespace apc::fuzz
