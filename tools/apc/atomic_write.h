// Files are written to a temporary name in the same folder and renamed, so a
// failed run never leaves a half-written file. Every file is created relative
// to a directory handle, exclusively (O_CREAT|O_EXCL|O_NOFOLLOW) under a
// random name, so a planted symlink or file of a guessable name cannot
// redirect the write.
#pragma once

#include <string>

namespace apc::cli {

// Creates parent folders as needed. Returns "" on success, else the error text.
std::string writeFileAtomic(const std::string& path, const std::string& bytes,
                            bool executable = false);
// `name` (one path component) inside the open folder `dirFd`; `shown` names
// the file in errors. The mode is set explicitly, so umask does not matter.
// `fsyncEach` false: the caller makes the data durable itself (one syncfs
// for a whole new output folder instead of thousands of fsyncs).
std::string writeFileAt(int dirFd, const std::string& name, const std::string& bytes, bool executable,
                        const std::string& shown, bool fsyncEach = true);
// 16 hex digits from getrandom(2), for names no other process can predict.
std::string randomSuffix();
// Reads a whole input file through the bounded reader (compiler/ir/file_read.h);
// returns false with `error` set ("PATH: why") on failure.
bool readFile(const std::string& path, std::string& out, std::string& error);

}  // namespace apc::cli
