// The host state a sim run can set beyond the plan's host block (the flags of
// `apc sim mount`): the kernel generation, zcrypt's default domain, requests
// in flight, a card deconfigured or checkstopped, a queue driver_override.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "kmod/model/kernel_model.h"

namespace apc::kmod {

// Each returns "" when applied, else what is wrong with the value (for
// "apc: error: --flag 'VALUE': ..."). IDs are hex as sysfs names them.
std::string applyKernelFlag(HostConfig& c, std::string_view value);         // "6.0"
std::string applyDefaultDomainFlag(HostConfig& c, std::string_view value);  // "0x04" / "4"
std::string applyBusyFlag(HostConfig& c, std::string_view value);           // "05.0004" or "05.0004=3"
std::string applyCardStateFlag(HostConfig& c, std::string_view value);      // "05=deconfigured|checkstop|offline"
std::string applyDriverOverrideFlag(HostConfig& c, std::string_view value); // "05.0004=vfio_ap"

}  // namespace apc::kmod
