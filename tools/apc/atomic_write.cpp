// Temp file in the destination folder + renameat(2): readers see the old file
// or the new one, never a partial one. The temp name is random and created
// with O_EXCL|O_NOFOLLOW: an existing name (a planted symlink to /etc/shadow)
// makes the create fail instead of writing through it.
#include "tools/apc/atomic_write.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "compiler/ir/file_read.h"

namespace apc::cli {

namespace fs = std::filesystem;

std::string randomSuffix() {
  unsigned char b[8];
  std::size_t got = 0;
  while (got < sizeof b) {
    ssize_t n = ::getrandom(b + got, sizeof b - got, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return "";
    }
    got += static_cast<std::size_t>(n);
  }
  static const char* kHex = "0123456789abcdef";
  std::string s;
  for (unsigned char c : b) {
    s += kHex[c >> 4];
    s += kHex[c & 15];
  }
  return s;
}

std::string writeFileAt(int dirFd, const std::string& name, const std::string& bytes, bool executable,
                        const std::string& shown, bool fsyncEach) {
  std::string suffix = randomSuffix();
  if (suffix.empty()) return "cannot write " + shown + ": no random bytes: " + std::strerror(errno);
  const std::string tmp = "." + name + ".apc-tmp." + suffix;
  const mode_t mode = executable ? 0755 : 0644;
  int fd = ::openat(dirFd, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot write " + shown + ": " + std::strerror(errno);
  int savedErrno = 0;
  for (std::size_t done = 0; done < bytes.size() && !savedErrno;) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) savedErrno = n < 0 ? errno : EIO;
    else done += static_cast<std::size_t>(n);
  }
  if (!savedErrno && ::fchmod(fd, mode) != 0) savedErrno = errno;
  if (!savedErrno && fsyncEach && ::fsync(fd) != 0) savedErrno = errno;
  if (::close(fd) != 0 && !savedErrno) savedErrno = errno;
  if (!savedErrno && ::renameat(dirFd, tmp.c_str(), dirFd, name.c_str()) != 0) savedErrno = errno;
  if (savedErrno) {
    ::unlinkat(dirFd, tmp.c_str(), 0);
    return "cannot write " + shown + ": " + std::strerror(savedErrno);
  }
  return "";
}

std::string writeFileAtomic(const std::string& path, const std::string& bytes, bool executable) {
  std::error_code ec;
  fs::path target(path);
  fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec) return "cannot create folder " + parent.string() + ": " + ec.message();
  if (!target.has_filename()) return "cannot write " + path + ": not a file name";
  // The folder the user named may be reached through symlinks; the file's
  // own name is replaced by rename, never followed.
  int dirFd = ::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirFd < 0) return "cannot open folder " + parent.string() + ": " + std::strerror(errno);
  std::string err = writeFileAt(dirFd, target.filename().string(), bytes, executable, path);
  ::close(dirFd);
  return err;
}

bool readFile(const std::string& path, std::string& out, std::string& error) {
  ir::ReadError err;
  std::optional<std::string> text = ir::readBoundedFile(path, err);
  if (!text) {
    error = path + ": " + err.why;
    return false;
  }
  out = std::move(*text);
  return true;
}

}  // namespace apc::cli
