// Files are written to a temporary name in the same folder and renamed, so a
// failed run never leaves a half-written file.
#pragma once

#include <string>

namespace apc::cli {

// Creates parent folders as needed. Returns "" on success, else the error text.
std::string writeFileAtomic(const std::string& path, const std::string& bytes,
                            bool executable = false);
// Reads a whole file; returns false with `error` set on failure.
bool readFile(const std::string& path, std::string& out, std::string& error);

}  // namespace apc::cli
