// qemu/<guest>.args: the vfio-ap device and the CPU model features a guest
// with AP passthrough needs, one option with its value per line.
#include "backends/common.h"
#include "backends/emitters.h"
#include "compiler/ir/internal_error.h"

namespace apc::backends {

std::vector<Artifact> emitQemu(const ir::SolvedPlan& solved) {
  std::vector<Artifact> out;
  for (std::size_t g = 0; g < solved.plan.guests.size(); ++g) {
    const ir::Guest& guest = solved.plan.guests[g];
    const ir::GuestAllocation& a = solved.alloc[g];
    APC_BUG_CHECK(isCanonicalUuid(a.uuid), "guest uuid '" + a.uuid + "' is not canonical");
    // `host` stands for the guest's CPU model: ap (AP instructions), apqci
    // (query configuration, needed for APQIs above 15), apft (facilities
    // test: without it the guest sees no CEX4+), apqi (interruptions).
    std::string args = "-cpu host,ap=on,apqci=on,apft=on,apqi=on\n"
                       "-device vfio-ap,sysfsdev=/sys/bus/mdev/devices/" + a.uuid + "\n";
    out.push_back({"qemu/" + guest.name + ".args", args});
  }
  return out;
}

}  // namespace apc::backends
