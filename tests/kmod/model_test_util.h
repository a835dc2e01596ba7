// Hosts and helpers shared by the kmod tests.
#pragma once

#include <string>

#include "kmod/model/kernel_model.h"

namespace apc::kmod::test {

inline constexpr const char* kUuid1 = "6c4a3f0e-1d2b-4c3a-9e8f-0123456789ab";
inline constexpr const char* kUuid2 = "0b1c2d3e-4f50-4a6b-8c7d-8e9fa0b1c2d3";

// The design document's host: adapter 5 CEX5C, adapter 6 CEX5A, usage (and
// control) domains 4, 0x47, 0xab, 0xff; CRYCB format 2.
inline HostConfig seedHost(ir::Interface iface = ir::Interface::Modern) {
  HostConfig c;
  c.interface = iface;
  c.cards = {{5, 11, ir::CardMode::Cca, true}, {6, 11, ir::CardMode::Accel, true}};
  c.usageDomains = ir::makeIdSet({4, 0x47, 0xab, 0xff});
  c.controlDomains = c.usageDomains;
  return c;
}

inline std::string mdevPath(const KernelModel& m, const std::string& uuid, const std::string& attr) {
  return m.matrixParent() + "/" + uuid + "/" + attr;
}
inline std::string createPath(const KernelModel& m) {
  return m.matrixParent() + "/mdev_supported_types/vfio_ap-passthrough/create";
}

}  // namespace apc::kmod::test
