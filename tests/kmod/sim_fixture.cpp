// Implementation of the kmod test helpers (see sim_fixture.h).
#include "sim_fixture.h"

#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace apc::kmod::test {

namespace fs = std::filesystem;

std::string makeTempDir(const std::string& tag) {
  std::string tmpl = (fs::temp_directory_path() / ("apc-kmod-" + tag + "-XXXXXX")).string();
  char* d = mkdtemp(tmpl.data());
  return d ? std::string(d) : std::string();
}

void removeTree(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
}

std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void writeText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

ShellResult runShell(const std::string& script, const std::map<std::string, std::string>& env,
                     int timeoutSeconds) {
  ShellResult r;
  std::string dir = makeTempDir("sh");
  std::string outPath = dir + "/out", errPath = dir + "/err";
  pid_t pid = fork();
  if (pid == 0) {
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    FILE* o = freopen(outPath.c_str(), "w", stdout);
    FILE* e = freopen(errPath.c_str(), "w", stderr);
    (void)o;
    (void)e;
    setpgid(0, 0);
    execl("/bin/bash", "bash", "-c", script.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeoutSeconds);
  while (true) {
    pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      r.err = "TIMEOUT after " + std::to_string(timeoutSeconds) + " s\n";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = readText(outPath);
  r.err += readText(errPath);
  removeTree(dir);
  return r;
}

std::unique_ptr<SimMount> SimMount::start(const HostConfig& config, SimOptions extra) {
  std::unique_ptr<SimMount> m(new SimMount);
  m->root_ = makeTempDir("mnt");
  extra.mountpoint = m->root_;
  extra.foreground = true;
  m->pid_ = fork();
  if (m->pid_ == 0) {
    KernelModel model(config);
    std::string error;
    int rc = runSim(model, extra, error);
    if (rc) fprintf(stderr, "sim: %s\n", error.c_str());
    _exit(rc);
  }
  m->ok_ = m->waitMounted();
  return m;
}

std::unique_ptr<SimMount> SimMount::startCli(const std::string& apcBin, const std::string& plan,
                                             const std::vector<std::string>& args) {
  std::unique_ptr<SimMount> m(new SimMount);
  m->root_ = makeTempDir("mnt");
  m->pid_ = fork();
  if (m->pid_ == 0) {
    std::vector<std::string> argv = {apcBin, "sim", "mount", plan, m->root_, "--foreground"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    execv(apcBin.c_str(), cargv.data());
    _exit(127);
  }
  m->ok_ = m->waitMounted();
  return m;
}

bool SimMount::waitMounted() {
  for (int i = 0; i < 1000; ++i) {  // up to 10 s
    struct stat st;
    if (::stat((root_ + "/.apc-sim/state").c_str(), &st) == 0) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

bool SimMount::mounted() const {
  struct stat st;
  return ::stat((root_ + "/.apc-sim").c_str(), &st) == 0;
}

int SimMount::stop(int sig) {
  if (pid_ <= 0) return -1;
  kill(pid_, sig);
  int status = 0;
  for (int i = 0; i < 1000; ++i) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

SimMount::~SimMount() {
  if (pid_ > 0) stop(SIGTERM);
  if (mounted()) {
    std::string cmd = "fusermount3 -u -z '" + root_ + "' 2>/dev/null";
    [[maybe_unused]] int rc = std::system(cmd.c_str());
  }
  ::rmdir(root_.c_str());
}

}  // namespace apc::kmod::test
