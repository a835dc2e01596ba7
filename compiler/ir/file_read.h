// The one way apc reads an input file (plans, includes, locks, policy files,
// diff's OLD, the output manifest, discovered sysfs attributes). apc runs as
// root beside production sysfs, so an input is never trusted to be a file:
// it is opened without blocking (a FIFO must not hang us), it must be a
// regular file (not /dev/zero, a socket or a directory), and it is read up to
// a cap (a growing or lying file must not eat memory). A read error is an
// error, never an empty file (/proc/self/mem fails with EIO on its first read).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace apc::ir {

// Plans, includes, locks, policy files and OLD plans: 64 MiB. The largest
// plan in the tree (1,000 guests) is under 200 KiB.
inline constexpr std::size_t kMaxInputBytes = std::size_t{64} << 20;
// A sysfs attribute is one page at most (the kernel's show() callbacks write
// into a PAGE_SIZE buffer); stat reports 4096 for every attribute, so the
// size is not trusted and the read simply stops at the cap.
inline constexpr std::size_t kMaxAttributeBytes = 64 << 10;

enum class ReadFailure {
  None,
  Missing,       // ENOENT / ENOTDIR
  NotRegular,    // a directory, FIFO, device, socket
  TooLarge,      // more bytes than the cap
  CannotOpen,    // permission and the like
  ReadError,     // read(2) failed
};

struct ReadError {
  ReadFailure kind = ReadFailure::None;
  std::string why;  // "no such file", "it is a FIFO, not a regular file", ...
};

// The whole file, or nullopt with `err` set. `cap` bounds what is read.
std::optional<std::string> readBoundedFile(const std::string& path, ReadError& err,
                                           std::size_t cap = kMaxInputBytes);
// The same relative to a directory handle; `noFollow` refuses a symlink as
// the last component (the output folder's manifest).
std::optional<std::string> readBoundedFileAt(int dirFd, const std::string& name, ReadError& err,
                                             std::size_t cap = kMaxInputBytes, bool noFollow = false);

}  // namespace apc::ir
