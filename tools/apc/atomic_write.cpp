// Temp file in the destination folder + rename(2): readers see the old file
// or the new one, never a partial one.
#include "tools/apc/atomic_write.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace apc::cli {

namespace fs = std::filesystem;

std::string writeFileAtomic(const std::string& path, const std::string& bytes, bool executable) {
  std::error_code ec;
  fs::path target(path);
  if (target.has_parent_path()) {
    fs::create_directories(target.parent_path(), ec);
    if (ec) return "cannot create folder " + target.parent_path().string() + ": " + ec.message();
  }
  std::string tmp = path + ".apc-tmp." + std::to_string(::getpid());
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return "cannot write " + tmp + ": " + std::strerror(errno);
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  ok = (std::fflush(f) == 0) && ok;
  ok = (::fsync(::fileno(f)) == 0) && ok;
  int savedErrno = errno;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok) {
    std::remove(tmp.c_str());
    return "cannot write " + path + ": " + std::strerror(savedErrno ? savedErrno : errno);
  }
  if (::chmod(tmp.c_str(), executable ? 0755 : 0644) != 0) {
    std::string err = std::strerror(errno);
    std::remove(tmp.c_str());
    return "cannot set mode of " + path + ": " + err;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string err = std::strerror(errno);
    std::remove(tmp.c_str());
    return "cannot rename into " + path + ": " + err;
  }
  return "";
}

bool readFile(const std::string& path, std::string& out, std::string& error) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    error = path + ": is a directory";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": " + std::strerror(errno);
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

}  // namespace apc::cli
