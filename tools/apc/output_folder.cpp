// See output_folder.h for the protocol. All file-system work here is done
// with *at() calls on handles this file opened itself, with O_NOFOLLOW on
// every component below the output folder's parent.
#include "tools/apc/output_folder.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/fs.h>  // RENAME_EXCHANGE, RENAME_NOREPLACE
#include <stdio.h>     // renameat2 (glibc >= 2.28)
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "compiler/ir/file_read.h"
#include "compiler/ir/text_escape.h"
#include "tools/apc/atomic_write.h"

namespace apc::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* kNewInfix = ".apc-new.";
constexpr const char* kOldInfix = ".apc-old.";
constexpr int kDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

std::string errnoText(int e = errno) { return std::strerror(e); }

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.fd_;
      o.fd_ = -1;
    }
    return *this;
  }
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

std::vector<std::string> split(const std::string& rel) {
  std::vector<std::string> parts;
  std::string cur;
  for (char ch : rel) {
    if (ch == '/') {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  parts.push_back(cur);
  return parts;
}

// Entry names of an open folder (without "." and ".."). The handle is dup'ed:
// closedir closes its own copy.
bool listDir(int dirFd, std::vector<std::string>& names, std::string& err) {
  int dupFd = ::fcntl(dirFd, F_DUPFD_CLOEXEC, 0);
  if (dupFd < 0) {
    err = errnoText();
    return false;
  }
  DIR* d = ::fdopendir(dupFd);
  if (!d) {
    err = errnoText();
    ::close(dupFd);
    return false;
  }
  ::rewinddir(d);
  errno = 0;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
    errno = 0;
  }
  int e = errno;
  ::closedir(d);
  if (e) {
    err = errnoText(e);
    return false;
  }
  return true;
}

// Removes `name` inside `dirFd` and everything below it, never following a
// symlink (a symlink is unlinked itself). Best effort: returns the first error.
std::string removeTree(int dirFd, const std::string& name) {
  struct stat st {};
  if (::fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    return errno == ENOENT ? "" : name + ": " + errnoText();
  if (!S_ISDIR(st.st_mode)) return ::unlinkat(dirFd, name.c_str(), 0) == 0 ? "" : name + ": " + errnoText();
  std::string first;
  Fd sub(::openat(dirFd, name.c_str(), kDirFlags));
  if (!sub.ok()) return name + ": " + errnoText();
  std::vector<std::string> names;
  std::string err;
  if (!listDir(sub.get(), names, err)) first = name + ": " + err;
  for (const std::string& n : names)
    if (std::string e = removeTree(sub.get(), n); !e.empty() && first.empty()) first = name + "/" + e;
  sub.reset();
  if (::unlinkat(dirFd, name.c_str(), AT_REMOVEDIR) != 0 && first.empty()) first = name + ": " + errnoText();
  return first;
}

// Opens folder `name` inside `dirFd`, creating it (with `mode`) when missing.
Fd openOrMakeDir(int dirFd, const std::string& name, mode_t mode, std::string& err) {
  if (::mkdirat(dirFd, name.c_str(), 0700) == 0) {
    Fd fd(::openat(dirFd, name.c_str(), kDirFlags));
    if (fd.ok()) ::fchmod(fd.get(), mode);  // explicit, so umask does not matter
    else err = errnoText();
    return fd;
  }
  if (errno != EEXIST) {
    err = errnoText();
    return Fd();
  }
  Fd fd(::openat(dirFd, name.c_str(), kDirFlags));
  if (!fd.ok()) err = errno == ELOOP || errno == ENOTDIR ? "it exists and is not a folder" : errnoText();
  return fd;
}

// Identity of a file (the plan, an include) so the manifest cannot make us
// delete it under any name.
using FileKey = std::pair<dev_t, ino_t>;

std::set<FileKey> keysOf(const std::vector<std::string>& paths) {
  std::set<FileKey> keys;
  for (const std::string& p : paths) {
    struct stat st {};
    if (::stat(p.c_str(), &st) == 0) keys.insert({st.st_dev, st.st_ino});
  }
  return keys;
}

// Whether `rel` names a regular file reached through real folders only.
std::string plainFileAt(int rootFd, const std::string& rel, FileKey& key) {
  std::vector<std::string> parts = split(rel);
  Fd cur;
  int at = rootFd;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    Fd next(::openat(at, parts[i].c_str(), kDirFlags));
    if (!next.ok()) return errno == ENOENT ? "no such file" : "'" + parts[i] + "' is not a real folder";
    cur = std::move(next);
    at = cur.get();
  }
  struct stat st {};
  if (::fstatat(at, parts.back().c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return "no such file";
  if (S_ISLNK(st.st_mode)) return "it is a symlink";
  if (!S_ISREG(st.st_mode)) return "it is not a regular file";
  key = {st.st_dev, st.st_ino};
  return "";
}

struct OldFolder {
  Fd fd;
  mode_t mode = 0755;
  std::set<std::string> owned;  // manifest lines apc may drop
};

// Reads and judges the old folder's manifest.
std::string readOwned(const OutputRequest& req, const std::set<FileKey>& keep, OldFolder& old,
                      std::vector<std::string>& warnings) {
  std::vector<std::string> names;
  std::string err;
  if (!listDir(old.fd.get(), names, err)) return "cannot list output folder " + req.dir + ": " + err;
  ir::ReadError rerr;
  std::optional<std::string> text =
      ir::readBoundedFileAt(old.fd.get(), kManifestName, rerr, ir::kMaxInputBytes, /*noFollow=*/true);
  if (!text) {
    if (names.empty()) return "";
    if (rerr.kind != ir::ReadFailure::Missing)
      warnings.push_back("ignoring " + req.dir + "/" + kManifestName + ": " + rerr.why);
    if (!req.force)
      return "output folder " + req.dir + " is not empty and has no " + kManifestName +
             ": apc did not write it (pass --force to let apc manage it; files apc does not write are kept)";
    return "";
  }
  std::istringstream in(*text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    std::string why = badRelativePath(line);
    FileKey key{};
    if (why.empty()) why = plainFileAt(old.fd.get(), line, key);
    if (why == "no such file") continue;  // already gone: nothing to drop
    if (why.empty() && keep.count(key)) why = "it is an input of this compile";
    if (!why.empty()) {
      warnings.push_back("ignoring manifest entry '" + ir::escapeForTerminal(line) + "' in " + req.dir + ": " + why);
      continue;
    }
    old.owned.insert(line);
  }
  return "";
}

struct NewFolder {
  std::string name;  // sibling name `<out>.apc-new.<random>`
  Fd fd;
  std::set<std::string> written;  // files and folders of the new set
};

// Writes one artifact, creating its folders; all below `root`.
std::string writeArtifact(NewFolder& nf, const OutputFile& f, const std::string& shownDir) {
  if (std::string why = badRelativePath(f.path); !why.empty())
    return "refusing to write '" + ir::escapeForTerminal(f.path) + "': " + why;
  std::vector<std::string> parts = split(f.path);
  Fd cur;
  int at = nf.fd.get();
  std::string rel;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    rel += (rel.empty() ? "" : "/") + parts[i];
    std::string err;
    Fd next = openOrMakeDir(at, parts[i], 0755, err);
    if (!next.ok()) return "cannot create folder " + shownDir + "/" + rel + ": " + err;
    nf.written.insert(rel);
    cur = std::move(next);
    at = cur.get();
  }
  nf.written.insert(f.path);
  return writeFileAt(at, parts.back(), f.bytes, f.executable, shownDir + "/" + f.path, /*fsyncEach=*/false);
}

// Carries what the old folder holds but apc does not own into the new set,
// as hard links (a symlink is linked as itself, never followed).
std::string carryOver(int oldFd, int newFd, const std::string& prefix, const OldFolder& old, NewFolder& nf,
                      const std::set<FileKey>& keep, const std::string& shownDir,
                      std::vector<std::string>& warnings) {
  std::vector<std::string> names;
  std::string err;
  if (!listDir(oldFd, names, err)) return "cannot list " + shownDir + "/" + prefix + ": " + err;
  for (const std::string& n : names) {
    const std::string rel = prefix + n;
    if (rel == kManifestName) continue;
    struct stat st {};
    if (::fstatat(oldFd, n.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;  // vanished
    const bool input = keep.count({st.st_dev, st.st_ino}) > 0;
    if (n.find(".apc-tmp.") != std::string::npos && !S_ISDIR(st.st_mode) && !input) continue;  // a killed run's
    if (S_ISDIR(st.st_mode)) {
      Fd from(::openat(oldFd, n.c_str(), kDirFlags));
      if (!from.ok()) return "cannot open " + shownDir + "/" + rel + ": " + errnoText();
      std::string e;
      Fd to = openOrMakeDir(newFd, n, st.st_mode & 07777, e);
      if (!to.ok()) {
        warnings.push_back("dropping '" + ir::escapeForTerminal(rel) + "' from " + shownDir +
                           ": apc now writes a file of that name");
        continue;
      }
      if (std::string r = carryOver(from.get(), to.get(), rel + "/", old, nf, keep, shownDir, warnings); !r.empty())
        return r;
      continue;
    }
    if (old.owned.count(rel) && !input) continue;  // apc's own old artifact: dropped with the old set
    if (nf.written.count(rel)) {
      if (input)
        return "an artifact would replace '" + ir::escapeForTerminal(rel) + "' in " + shownDir +
               ", which is an input of this compile";
      warnings.push_back("replacing '" + ir::escapeForTerminal(rel) + "' in " + shownDir +
                         ", which the last compile did not write");
      continue;
    }
    if (::linkat(oldFd, n.c_str(), newFd, n.c_str(), 0) != 0)
      return "cannot keep " + shownDir + "/" + ir::escapeForTerminal(rel) + " (hard link into the new set): " +
             errnoText();
  }
  return "";
}

bool isLeftoverOf(const std::string& entry, const std::string& base) {
  for (const char* infix : {kNewInfix, kOldInfix}) {
    std::string head = base + infix;
    if (entry.size() != head.size() + 16 || entry.compare(0, head.size(), head) != 0) continue;
    bool hex = true;
    for (std::size_t i = head.size(); i < entry.size(); ++i)
      hex = hex && ((entry[i] >= '0' && entry[i] <= '9') || (entry[i] >= 'a' && entry[i] <= 'f'));
    if (hex) return true;
  }
  return false;
}

// Puts the new folder in place of `base`. See the header for the fallback.
std::string swapIn(int parentFd, const std::string& newName, const std::string& base, bool haveOld,
                   std::string& oldSetName) {
  if (!haveOld) {
    if (::renameat2(parentFd, newName.c_str(), parentFd, base.c_str(), RENAME_NOREPLACE) == 0) return "";
    if (errno != EINVAL && errno != ENOSYS) return errnoText();
    return ::renameat(parentFd, newName.c_str(), parentFd, base.c_str()) == 0 ? "" : errnoText();
  }
  if (::renameat2(parentFd, newName.c_str(), parentFd, base.c_str(), RENAME_EXCHANGE) == 0) {
    oldSetName = newName;  // the old set now lives under the new folder's temporary name
    return "";
  }
  if (errno != EINVAL && errno != ENOSYS) return errnoText();
  std::string suffix = randomSuffix();
  if (suffix.empty()) return "no random bytes";
  oldSetName = base + kOldInfix + suffix;
  if (::renameat(parentFd, base.c_str(), parentFd, oldSetName.c_str()) != 0) return errnoText();
  if (::renameat(parentFd, newName.c_str(), parentFd, base.c_str()) != 0) {
    std::string e = errnoText();
    ::renameat(parentFd, oldSetName.c_str(), parentFd, base.c_str());  // put the old set back
    return e;
  }
  return "";
}

}  // namespace

std::string badRelativePath(const std::string& rel) {
  if (rel.empty()) return "it is empty";
  if (rel[0] == '/') return "it is an absolute path";
  for (unsigned char ch : rel)
    if (ch < 0x20 || ch == 0x7f) return "it holds a control character";
  for (const std::string& part : split(rel)) {
    if (part.empty()) return "it has an empty path component";
    if (part == "." || part == "..") return "it has a '" + part + "' component";
  }
  return "";
}

OutputResult replaceOutputFolder(const OutputRequest& req, const std::vector<OutputFile>& files) {
  OutputResult res;
  std::error_code ec;
  fs::path abs = fs::absolute(req.dir, ec).lexically_normal();
  if (!abs.has_filename()) abs = abs.parent_path();
  const std::string base = abs.filename().string();
  if (ec || base.empty() || base == "." || base == ".." || abs == abs.root_path()) {
    res.error = "cannot use " + req.dir + " as the output folder";
    return res;
  }
  fs::create_directories(abs.parent_path(), ec);
  Fd parent(::open(abs.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!parent.ok()) {
    res.error = "cannot open folder " + abs.parent_path().string() + ": " + errnoText();
    return res;
  }
  // One compile at a time per parent folder: the leftover sweep below must
  // not remove another compile's folder under construction.
  if (::flock(parent.get(), LOCK_EX) != 0) {
    res.error = "cannot lock folder " + abs.parent_path().string() + ": " + errnoText();
    return res;
  }
  std::vector<std::string> siblings;
  std::string err;
  if (!listDir(parent.get(), siblings, err)) {
    res.error = "cannot list folder " + abs.parent_path().string() + ": " + err;
    return res;
  }
  for (const std::string& s : siblings)
    if (isLeftoverOf(s, base)) removeTree(parent.get(), s);

  const std::set<FileKey> keep = keysOf(req.protectedFiles);
  OldFolder old;
  struct stat st {};
  const bool haveOld = ::fstatat(parent.get(), base.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
  if (!haveOld && errno != ENOENT) {
    res.error = "cannot examine output folder " + req.dir + ": " + errnoText();
    return res;
  }
  if (haveOld) {
    if (S_ISLNK(st.st_mode)) {
      res.error = "output folder " + req.dir + " is a symlink: apc writes only into a real folder";
      return res;
    }
    if (!S_ISDIR(st.st_mode)) {
      res.error = "output folder " + req.dir + " exists and is not a folder";
      return res;
    }
    old.fd = Fd(::openat(parent.get(), base.c_str(), kDirFlags));
    if (!old.fd.ok()) {
      res.error = "cannot open output folder " + req.dir + ": " + errnoText();
      return res;
    }
    old.mode = st.st_mode & 07777;
    if (std::string e = readOwned(req, keep, old, res.warnings); !e.empty()) {
      res.error = e;
      return res;
    }
  }

  NewFolder nf;
  std::string suffix = randomSuffix();
  if (suffix.empty()) {
    res.error = "cannot create the new output folder: no random bytes";
    return res;
  }
  nf.name = base + kNewInfix + suffix;
  nf.fd = openOrMakeDir(parent.get(), nf.name, old.mode, err);
  if (!nf.fd.ok()) {
    res.error = "cannot create folder " + (abs.parent_path() / nf.name).string() + ": " + err;
    return res;
  }
  auto abandon = [&](std::string e) {
    removeTree(parent.get(), nf.name);
    res.error = std::move(e);
    return res;
  };
  std::string manifest;
  for (const OutputFile& f : files) {
    if (std::string e = writeArtifact(nf, f, req.dir); !e.empty()) return abandon(e);
    manifest += f.path + "\n";
  }
  if (std::string e = writeFileAt(nf.fd.get(), kManifestName, manifest, false, req.dir + "/" + kManifestName,
                                  /*fsyncEach=*/false);
      !e.empty())
    return abandon(e);
  if (haveOld)
    if (std::string e = carryOver(old.fd.get(), nf.fd.get(), "", old, nf, keep, req.dir, res.warnings); !e.empty())
      return abandon(e);
  // Everything of the new set on disk before it becomes visible: one
  // syncfs for the folder's filesystem instead of an fsync per file.
  if (::syncfs(nf.fd.get()) != 0) return abandon("cannot flush the new output folder: " + errnoText());

  std::string oldSetName;
  if (std::string e = swapIn(parent.get(), nf.name, base, haveOld, oldSetName); !e.empty())
    return abandon("cannot put the new output folder in place of " + req.dir + ": " + e);
  ::fsync(parent.get());
  if (!oldSetName.empty())
    if (std::string e = removeTree(parent.get(), oldSetName); !e.empty())
      res.warnings.push_back("could not remove the previous output set " + oldSetName + ": " + e +
                             " (the next compile retries)");
  return res;
}

}  // namespace apc::cli
