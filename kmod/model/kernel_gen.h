// The kernel generations the model reproduces for the modern interface (the
// merged vfio_ap, parent devices/vfio_ap/matrix). Each value names the first
// mainline release of a rule set that a script can tell apart; kmod/README.md
// cites the source each rule comes from. Scripts must find out which one they
// run on from what sysfs offers, never from uname: the predicates below say
// which files exist and how writes are checked.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace apc::kmod {

enum class KernelGen { K4_20, K5_15, K6_0, K6_10, K6_19 };
inline constexpr KernelGen kNewestKernel = KernelGen::K6_19;

std::string_view kernelGenName(KernelGen g);  // "4.20", "5.15", "6.0", "6.10", "6.19"
// "4.20" .. "6.19" (also "v6.19"); nullopt for anything else.
std::optional<KernelGen> parseKernelGen(std::string_view s);
std::vector<KernelGen> allKernelGens();  // oldest first

// 6.0 dynamic configuration: assignment checks mask ownership only
// (over-provisioning), assign/unassign hot-plug into a running guest,
// guest_matrix, the queue `status` attribute, vfio_ap's in_use callback.
inline bool hasDynamicConfig(KernelGen g) { return g >= KernelGen::K6_0; }
// A queue's `status` reads "in use" only for queues in the guest's matrix
// (shadow APCB) since 6.8 (a0d8f4eeb7c4); before, for every queue of an
// mdev attached to a KVM.
inline bool statusChecksShadow(KernelGen g) { return g >= KernelGen::K6_10; }
// The vfio core's class device `vfio-dev/vfioN` under each vfio device (6.1,
// "vfio: Add struct device to vfio_device"), with the device cdev
// /dev/vfio/devices/vfioN for iommufd users since 6.6.
inline bool hasVfioDeviceClass(KernelGen g) { return g >= KernelGen::K6_10; }
// 6.10: the mdev's `ap_config` attribute.
inline bool hasApConfig(KernelGen g) { return g >= KernelGen::K6_10; }
// The matrix parent's `features` (2024, in 6.19), queue `driver_override`,
// the all-ones in_use checks and the bus's `bindings_complete_count` (6.19).
inline bool hasParentFeatures(KernelGen g) { return g >= KernelGen::K6_19; }
inline bool hasDriverOverride(KernelGen g) { return g >= KernelGen::K6_19; }
inline bool allOnesInUse(KernelGen g) { return g >= KernelGen::K6_19; }
// The 4.20 mdev core passes the vendor's EBUSY for a held mdev back to the
// writer of `remove`; later cores remove anyway (and since 5.13 block until
// the guest lets go).
inline bool removeOfHeldFails(KernelGen g) { return g == KernelGen::K4_20; }
// The mdev core counts instances since late 2022 (6.2: EUSERS); before, the
// vfio_ap driver's own counter answered EPERM.
inline bool createExhaustedIsEusers(KernelGen g) { return g >= KernelGen::K6_10; }

}  // namespace apc::kmod
