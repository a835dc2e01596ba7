// Byte-exact printers of the vfio_ap and AP bus show functions.
#pragma once

#include <string>

#include "compiler/ir/id_set.h"

namespace apc::kmod {

// vfio_ap_mdev_matrix_show: "%02lx.%04lx\n" per APQN (adapters outer,
// ascending), "%02lx.\n" per adapter when no domains, ".%04lx\n" per domain
// when no adapters, "" when empty. IDs above the maxima are not scanned.
std::string formatMatrix(const ir::IdSet& apm, const ir::IdSet& aqm, unsigned apmMax,
                         unsigned aqmMax);
// control_domains_show: "%04lx\n" per domain.
std::string formatControlDomains(const ir::IdSet& adm, unsigned admMax);
// apmask_show & co: "0x" + 64 lower-case hex digits + "\n".
std::string formatMaskLine(const ir::IdSet& mask);

}  // namespace apc::kmod
