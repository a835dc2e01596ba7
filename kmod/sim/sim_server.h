// `apc sim`: serves a KernelModel as a real file tree through FUSE (libfuse3),
// root = the sysfs root, so `SYSFS=MOUNTPOINT apply.sh` runs unchanged. Test
// control lives in the hidden folder MOUNTPOINT/.apc-sim/ (control_files.h).
#pragma once

#include <string>
#include <vector>

#include "kmod/model/kernel_model.h"

namespace apc::kmod {

struct SimOptions {
  std::string mountpoint;
  bool foreground = true;   // false: daemonize once mounted (the caller returns)
  std::vector<FaultSpec> faults;
  std::vector<std::string> holds;  // uuids held by a running guest (from creation on)
};

// Mounts, serves requests one at a time (writes are serialised like the
// kernel's matrix lock, even from several processes) until SIGTERM/SIGINT/
// SIGHUP or `fusermount3 -u`, then unmounts. Returns 0, or 1 with `error` set
// when the mount failed.
int runSim(KernelModel& model, const SimOptions& opts, std::string& error);

// Parses "N PATH ERRNO" (ERRNO a name like EIO or a number) or "N PATH SIGNAL"
// (KILL, TERM, INT or HUP, with or without "SIG"); PATH "*" is any path, the
// Nth write since the last reset. nullopt if malformed.
std::optional<FaultSpec> parseFaultSpec(std::string_view line);
// The spelling of a FaultSpec for the `faults` file: "3 * KILL", "1 PATH EIO".
std::string formatFaultSpec(const FaultSpec& f);

}  // namespace apc::kmod
