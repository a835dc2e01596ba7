// A fake sysfs tree made of plain files, directories and symlinks, shaped as
// the sysfs contract says, for running the generated scripts in tests. Writes
// land in plain files (nothing reacts to them), so tests check what a script
// wrote, what it left alone, and what it reports.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "compiler/ir/solved_plan.h"

namespace apc::backends::test {

struct FakeHost {
  std::filesystem::path sysfs;  // root to pass as SYSFS
  std::filesystem::path proc;   // root to pass as PROC
  bool modern = true;
  std::filesystem::path parent() const;
};

// The host before apply: the plan's adapters x usage domains exist (minus
// offline), all bound to cex4queue, masks all ones, vfio_ap loaded, no mdevs.
FakeHost makeFreshHost(const std::filesystem::path& root, const ir::SolvedPlan& solved);
// The host after a successful apply: planned masks, guest queues bound to
// vfio_ap, one mdev per guest with the planned matrix (iommu group 10 + g).
FakeHost makeAppliedHost(const std::filesystem::path& root, const ir::SolvedPlan& solved);

// APC_STATE_DIR of the host's scripts (apply.sh's record of the mask bits it
// cleared; makeAppliedHost writes the record an apply from all-ones masks leaves).
std::filesystem::path stateDir(const FakeHost& h);
// APC_MDEVCTL_DIR of the host's scripts: absent until a test writes definitions
// there (never the build host's /etc/mdevctl.d).
std::filesystem::path mdevctlDir(const FakeHost& h);

// An mdev folder with the given matrix/control_domains texts.
void addMdev(const FakeHost& h, const std::string& uuid, const std::string& matrix,
             const std::string& controlDomains, unsigned iommuGroup);
void bindQueue(const FakeHost& h, const std::string& queue, const std::string& driver);  // "" = unbind
// A process `pid` named `comm` with fd 3 open on /dev/vfio/<group>.
void addHolder(const FakeHost& h, unsigned pid, const std::string& comm, unsigned group);
// A process `pid` named `comm` whose fds 0, 1, ... point at `targets`.
void addProcess(const FakeHost& h, unsigned pid, const std::string& comm, const std::vector<std::string>& targets);
// The vfio core's class device of mdev `uuid`: <mdev>/vfio-dev/vfio<index>
// (its cdev is /dev/vfio/devices/vfio<index>).
void addVfioDevice(const FakeHost& h, const std::string& uuid, unsigned index);
// Queue `queue`'s vfio_ap `status` file ("assigned", "in use", ...).
void setQueueStatus(const FakeHost& h, const std::string& queue, const std::string& status);

// Every regular file's content and every symlink's target, by path.
std::map<std::string, std::string> snapshot(const std::filesystem::path& root);

// Runs `script` with SYSFS, PROC, APC_LOCK_FILE, APC_STATE_DIR and APC_MDEVCTL_DIR pointing into the fake host;
// returns the exit status, output in *output.
int runScript(const FakeHost& h, const std::filesystem::path& script, std::string* output);

}  // namespace apc::backends::test
