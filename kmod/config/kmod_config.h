// The in-tree driver configuration (OUTPUTS.md section 5): what the kernel's
// own AP bus and vfio_ap modules read at boot. Pure text generators; the
// backends registry lists them as the `kmod` backend.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/solved_plan.h"

namespace apc::kmod {

struct ConfigFile {
  std::string path;  // relative to the output folder, '/'-separated
  std::string bytes;
};

// `ap.apmask=0x<64 hex> ap.aqmask=0x<64 hex>` and a newline.
std::string kernelCmdline(const ir::IdSet& apmask, const ir::IdSet& aqmask);

// /etc/udev/rules.d/41-ap.rules byte for byte as s390-tools' `chzdev -t ap
// apmask=... aqmask=...` of s390-tools 2.40 and later writes it (zdev/src/ap.c,
// ap_write_type_udev; 2.40 added the coldplug trigger, commit 6532bf02), so
// chzdev and ap-check read these masks as their own persistent masks.
std::string udevRules(const ir::IdSet& apmask, const ir::IdSet& aqmask);

// modprobe.d: the vfio_ap dependency chain as soft dependencies.
std::string modprobeConf();
// modules-load.d: load vfio_ap at boot.
std::string modulesLoadConf();

// Every file under kmod/: cmdline.txt, udev/41-ap.rules (modern only: the
// legacy interface has no masks), modprobe.d/apc-vfio-ap.conf,
// modules-load.d/apc-vfio-ap.conf and README.md with the install order.
std::vector<ConfigFile> inTreeConfig(const ir::SolvedPlan& solved);

}  // namespace apc::kmod
