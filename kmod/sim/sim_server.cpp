// The FUSE side of `apc sim` (libfuse3 high-level API, path based): every
// request goes straight to the KernelModel; no caching anywhere (timeouts 0,
// direct_io), so each `cat` sees the state after the last write and each
// write() returns the model's errno to the writing process.
#define FUSE_USE_VERSION 31
#include "kmod/sim/sim_server.h"

#include <fuse.h>
#include <sys/stat.h>
#include <csignal>

#include <cerrno>
#include <cstring>

#include "kmod/sim/control_files.h"

namespace apc::kmod {
namespace {

KernelModel& model() { return *static_cast<KernelModel*>(fuse_get_context()->private_data); }

// Paths below `.apc-sim/`: the name inside it, "" for the folder itself.
std::optional<std::string_view> controlName(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path == kControlDir) return std::string_view();
  if (path.size() > kControlDir.size() && path.substr(0, kControlDir.size()) == kControlDir &&
      path[kControlDir.size()] == '/')
    return path.substr(kControlDir.size() + 1);
  return std::nullopt;
}

void fillStat(struct stat* st, NodeKind kind, bool r, bool w, std::size_t linkLen) {
  std::memset(st, 0, sizeof *st);
  st->st_uid = 0;
  st->st_gid = 0;
  switch (kind) {
    case NodeKind::Dir:
      st->st_mode = S_IFDIR | 0755;
      st->st_nlink = 2;
      break;
    case NodeKind::Symlink:
      st->st_mode = S_IFLNK | 0777;
      st->st_nlink = 1;
      st->st_size = static_cast<off_t>(linkLen);
      break;
    case NodeKind::File:
      st->st_mode = S_IFREG | (r ? 0444 : 0) | (w ? 0200 : 0);
      st->st_nlink = 1;
      st->st_size = 4096;  // what sysfs reports for every attribute
      break;
  }
}

int opGetattr(const char* path, struct stat* st, fuse_file_info*) {
  if (auto c = controlName(path)) {
    if (c->empty()) return fillStat(st, NodeKind::Dir, true, false, 0), 0;
    auto f = controlFile(*c);
    if (!f) return -ENOENT;
    fillStat(st, NodeKind::File, f->readable, f->writable, 0);
    return 0;
  }
  auto s = model().stat(path);
  if (!s) return -ENOENT;
  fillStat(st, s->kind, s->readable, s->writable, s->linkTarget.size());
  return 0;
}

int opReadlink(const char* path, char* buf, size_t size) {
  auto s = model().stat(path);
  if (!s) return -ENOENT;
  if (s->kind != NodeKind::Symlink) return -EINVAL;
  if (size == 0) return -EINVAL;
  std::size_t n = std::min(size - 1, s->linkTarget.size());
  std::memcpy(buf, s->linkTarget.data(), n);
  buf[n] = '\0';
  return 0;
}

int opReaddir(const char* path, void* buf, fuse_fill_dir_t filler, off_t, fuse_file_info*,
              fuse_readdir_flags) {
  std::vector<std::string> names;
  if (auto c = controlName(path)) {
    if (!c->empty()) return -ENOTDIR;
    names = controlFileNames();
  } else {
    ListResult l = model().list(path);
    if (l.err) return -l.err;
    names = std::move(l.names);
    if (std::string_view(path) == "/") names.insert(names.begin(), std::string(kControlDir));
  }
  filler(buf, ".", nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
  filler(buf, "..", nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
  for (const auto& n : names) filler(buf, n.c_str(), nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
  return 0;
}

// kernfs_fop_open: reading needs a show method, writing a store method.
int opOpen(const char* path, fuse_file_info* fi) {
  bool r = false, w = false;
  if (auto c = controlName(path)) {
    if (c->empty()) return -EISDIR;
    auto f = controlFile(*c);
    if (!f) return -ENOENT;
    r = f->readable;
    w = f->writable;
  } else {
    auto s = model().stat(path);
    if (!s) return -ENOENT;
    if (s->kind == NodeKind::Dir) return -EISDIR;
    r = s->readable;
    w = s->writable;
  }
  int acc = fi->flags & O_ACCMODE;
  if ((acc == O_RDONLY || acc == O_RDWR) && !r) return -EACCES;
  if ((acc == O_WRONLY || acc == O_RDWR) && !w) return -EACCES;
  fi->direct_io = 1;
  fi->keep_cache = 0;
  fi->nonseekable = 0;
  return 0;
}

int opRead(const char* path, char* buf, size_t size, off_t off, fuse_file_info*) {
  ReadResult r = controlName(path) ? readControl(model(), *controlName(path)) : model().read(path);
  if (r.err) return -r.err;
  if (off < 0 || static_cast<std::size_t>(off) >= r.data.size()) return 0;
  std::size_t n = std::min(size, r.data.size() - static_cast<std::size_t>(off));
  std::memcpy(buf, r.data.data() + off, n);
  return static_cast<int>(n);
}

int opWrite(const char* path, const char* buf, size_t size, off_t, fuse_file_info*) {
  std::string_view data(buf, size);
  int rc = controlName(path) ? writeControl(model(), *controlName(path), data) : model().write(path, data);
  // A kill fault: the writer gets the signal before its write returns (EINTR,
  // not performed), as if an admin had killed it in the middle of the write.
  if (int sig = model().takeSignal()) ::kill(fuse_get_context()->pid, sig);
  if (rc) return -rc;
  return static_cast<int>(size);
}

// `echo x > attr` opens with O_TRUNC; sysfs ignores the truncation.
int opTruncate(const char* path, off_t, fuse_file_info*) {
  if (auto c = controlName(path)) {
    auto f = controlFile(*c);
    return f && f->writable ? 0 : -EACCES;
  }
  auto s = model().stat(path);
  if (!s) return -ENOENT;
  return s->kind == NodeKind::File && s->writable ? 0 : -EACCES;
}

// sysfs directories have no create/mkdir/unlink: the VFS answers EACCES/EPERM.
int opCreate(const char*, mode_t, fuse_file_info*) { return -EACCES; }
int opMkdir(const char*, mode_t) { return -EPERM; }
int opUnlink(const char*) { return -EPERM; }
int opChmod(const char*, mode_t, fuse_file_info*) { return -EPERM; }
int opChown(const char*, uid_t, gid_t, fuse_file_info*) { return -EPERM; }
int opUtimens(const char*, const timespec*, fuse_file_info*) { return 0; }

void* opInit(fuse_conn_info*, fuse_config* cfg) {
  cfg->entry_timeout = 0;
  cfg->attr_timeout = 0;
  cfg->negative_timeout = 0;
  cfg->direct_io = 1;
  cfg->kernel_cache = 0;
  cfg->use_ino = 0;
  return fuse_get_context()->private_data;
}

fuse_operations makeOps() {
  fuse_operations ops{};
  ops.getattr = opGetattr;
  ops.readlink = opReadlink;
  ops.readdir = opReaddir;
  ops.open = opOpen;
  ops.read = opRead;
  ops.write = opWrite;
  ops.truncate = opTruncate;
  ops.create = opCreate;
  ops.mkdir = opMkdir;
  ops.unlink = opUnlink;
  ops.rmdir = opUnlink;
  ops.chmod = opChmod;
  ops.chown = opChown;
  ops.utimens = opUtimens;
  ops.init = opInit;
  return ops;
}

}  // namespace

int runSim(KernelModel& m, const SimOptions& opts, std::string& error) {
  for (const auto& f : opts.faults) m.addFault(f);
  for (const auto& u : opts.holds) m.hold(u);
  const char* argv[] = {"apc-sim", "-o", "fsname=apc-sim,subtype=apc-sim"};
  fuse_args args = FUSE_ARGS_INIT(3, const_cast<char**>(argv));
  fuse_operations ops = makeOps();
  fuse* f = fuse_new(&args, &ops, sizeof ops, &m);
  fuse_opt_free_args(&args);
  if (f == nullptr) {
    error = "cannot set up FUSE";
    return 1;
  }
  if (fuse_mount(f, opts.mountpoint.c_str()) != 0) {
    error = "cannot mount on " + opts.mountpoint + " (is /dev/fuse there, and the folder empty?)";
    fuse_destroy(f);
    return 1;
  }
  fuse_session* se = fuse_get_session(f);
  int rc = 0;
  if (fuse_set_signal_handlers(se) != 0) {
    error = "cannot install signal handlers";
    rc = 1;
  } else {
    if (!opts.foreground) fuse_daemonize(0);
    // One request at a time: writes from many processes are serialised.
    if (fuse_loop(f) < 0) rc = 1;
    fuse_remove_signal_handlers(se);
  }
  fuse_unmount(f);
  fuse_destroy(f);
  return rc;
}

}  // namespace apc::kmod
