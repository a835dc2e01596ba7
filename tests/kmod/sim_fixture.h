// Test helpers: a mounted emulated sysfs (the sim library served from a forked
// child, or `$APC_BIN sim mount`), temp folders and shell runs.
#pragma once

#include <sys/types.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "kmod/model/kernel_model.h"
#include "kmod/sim/sim_server.h"

namespace apc::kmod::test {

// The apc binary under test: CTest passes its path in APC_BIN (empty when unset,
// which the e2e fixtures report as a failure).
inline std::string apcBin() {
  const char* b = std::getenv("APC_BIN");
  return b ? b : "";
}

std::string makeTempDir(const std::string& tag);
void removeTree(const std::string& path);
std::string readText(const std::string& path);  // "" when unreadable
void writeText(const std::string& path, const std::string& text);

struct ShellResult {
  int status = -1;  // exit code, or 128 + signal
  std::string out;
  std::string err;
};
// Runs `script` with bash -c, extra environment, and a time limit (a hang is a
// failure, never a stuck test).
ShellResult runShell(const std::string& script, const std::map<std::string, std::string>& env = {},
                     int timeoutSeconds = 60);

class SimMount {
 public:
  // Serves `config` from a forked child (foreground); waits until mounted.
  static std::unique_ptr<SimMount> start(const HostConfig& config, SimOptions extra = {});
  // Runs `$APC_BIN sim mount PLAN DIR --foreground ARGS...`; waits until mounted.
  static std::unique_ptr<SimMount> startCli(const std::string& apcBin, const std::string& plan,
                                            const std::vector<std::string>& args = {});
  ~SimMount();
  SimMount(const SimMount&) = delete;
  SimMount& operator=(const SimMount&) = delete;

  const std::string& root() const { return root_; }
  std::string control(const std::string& name) const { return readText(root_ + "/.apc-sim/" + name); }
  // Stops the server with `sig` and returns its exit status (-1 on timeout).
  int stop(int sig = 15);
  // Whether the mount is still there.
  bool mounted() const;
  bool ok() const { return ok_; }
  // The environment of an admin who agreed to let the scripts take zcrypt's
  // default domain (bus/ap/ap_domain as served): the runs that test other
  // things than that refusal; host_safety_e2e_test tests the refusal itself.
  std::map<std::string, std::string> consentEnv() const {
    std::string d = readText(root_ + "/bus/ap/ap_domain");
    while (!d.empty() && d.back() == '\n') d.pop_back();
    return {{"APC_TAKE_DEFAULT_DOMAIN", d}};
  }

 private:
  SimMount() = default;
  bool waitMounted();
  std::string root_;
  pid_t pid_ = -1;
  bool ok_ = false;
};

}  // namespace apc::kmod::test
