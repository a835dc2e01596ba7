// open(O_NONBLOCK) so that opening a FIFO with no writer returns at once; the
// flag is cleared after fstat proves a regular file, so reads of files on
// filesystems that honour it (FUSE) still block as files should.
#include "compiler/ir/file_read.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace apc::ir {

namespace {

const char* kindOf(mode_t m) {
  if (S_ISDIR(m)) return "a directory";
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISSOCK(m)) return "a socket";
  return "not a regular file";
}

std::string capText(std::size_t cap) {
  if (cap % (1u << 20) == 0) return std::to_string(cap >> 20) + " MiB";
  if (cap % (1u << 10) == 0) return std::to_string(cap >> 10) + " KiB";
  return std::to_string(cap) + " bytes";
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::nullopt_t fail(ReadError& err, ReadFailure kind, std::string why) {
  err.kind = kind;
  err.why = std::move(why);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> readBoundedFile(const std::string& path, ReadError& err, std::size_t cap) {
  return readBoundedFileAt(AT_FDCWD, path, err, cap, /*noFollow=*/false);
}

std::optional<std::string> readBoundedFileAt(int dirFd, const std::string& name, ReadError& err, std::size_t cap,
                                             bool noFollow) {
  err = {};
  Fd fd(::openat(dirFd, name.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | (noFollow ? O_NOFOLLOW : 0)));
  if (fd.get() < 0) {
    int e = errno;
    if (e == ENOENT || e == ENOTDIR) return fail(err, ReadFailure::Missing, "no such file");
    if (e == ELOOP && noFollow) return fail(err, ReadFailure::NotRegular, "it is a symlink, not a regular file");
    if (e == ENXIO) return fail(err, ReadFailure::NotRegular, "it is a socket, not a regular file");
    return fail(err, ReadFailure::CannotOpen, std::string("it cannot be opened: ") + std::strerror(e));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    return fail(err, ReadFailure::ReadError, std::string("it cannot be examined: ") + std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    return fail(err, ReadFailure::NotRegular, std::string("it is ") + kindOf(st.st_mode) + ", not a regular file");
  int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags >= 0) ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK);
  std::string out;
  // st_size is a hint only (sysfs says 4096, /proc says 0, a file may grow).
  if (st.st_size > 0 && static_cast<unsigned long long>(st.st_size) <= cap)
    out.reserve(static_cast<std::size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    std::size_t want = sizeof buf;
    if (out.size() + want > cap + 1) want = cap + 1 - out.size();  // one byte past the cap tells "too large"
    ssize_t n = ::read(fd.get(), buf, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail(err, ReadFailure::ReadError, std::string("reading it failed: ") + std::strerror(errno));
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > cap)
      return fail(err, ReadFailure::TooLarge, "it is larger than the " + capText(cap) + " apc reads");
  }
  return out;
}

}  // namespace apc::ir
