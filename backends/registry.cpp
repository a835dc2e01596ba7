// The one table of backends: it drives --emit, --help and the write order.
#include "backends/backend.h"
#include "backends/emitters.h"

namespace apc::backends {

const std::vector<Backend>& registry() {
  static const std::vector<Backend> kBackends = {
      {"json", "plan.json: the allocation report every other artifact is lowered from", &emitJson},
      {"crycb", "crycb.txt: each guest's APM/AQM/ADM as the kernel prints masks, and its matrix", &emitCrycb},
      {"scripts", "apply.sh, teardown.sh, verify.sh: configure, undo and check the running host", &emitScripts},
      {"mdevctl", "mdevctl/<uuid>.json and define.sh: persistent mdev definitions", &emitMdevctl},
      {"libvirt", "libvirt/<guest>.hostdev.xml and .nodedev.xml", &emitLibvirt},
      {"qemu", "qemu/<guest>.args: the vfio-ap device and CPU features", &emitQemu},
      {"kmod", "kmod/: kernel command line, 41-ap.rules, modprobe.d, modules-load.d, README", &emitKmod},
  };
  return kBackends;
}

}  // namespace apc::backends
