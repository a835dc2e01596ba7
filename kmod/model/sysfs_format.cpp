// Printers for the read side of the model (vfio_ap_ops.c / ap_bus.c show functions).
#include "kmod/model/sysfs_format.h"

#include <cstdio>

namespace apc::kmod {

std::string formatMatrix(const ir::IdSet& apm, const ir::IdSet& aqm, unsigned apmMax,
                         unsigned aqmMax) {
  std::string out;
  char buf[16];
  const bool anyA = (apm.count() > 0), anyD = (aqm.count() > 0);
  if (anyA && anyD) {
    out.reserve(apm.count() * aqm.count() * 8);
    for (unsigned a = 0; a <= apmMax && a < ir::kMaxIds; ++a) {
      if (!apm.test(a)) continue;
      for (unsigned d = 0; d <= aqmMax && d < ir::kMaxIds; ++d) {
        if (!aqm.test(d)) continue;
        std::snprintf(buf, sizeof buf, "%02x.%04x\n", a, d);
        out += buf;
      }
    }
  } else if (anyA) {
    for (unsigned a = 0; a <= apmMax && a < ir::kMaxIds; ++a) {
      if (!apm.test(a)) continue;
      std::snprintf(buf, sizeof buf, "%02x.\n", a);
      out += buf;
    }
  } else if (anyD) {
    for (unsigned d = 0; d <= aqmMax && d < ir::kMaxIds; ++d) {
      if (!aqm.test(d)) continue;
      std::snprintf(buf, sizeof buf, ".%04x\n", d);
      out += buf;
    }
  }
  return out;
}

std::string formatControlDomains(const ir::IdSet& adm, unsigned admMax) {
  std::string out;
  char buf[16];
  for (unsigned d = 0; d <= admMax && d < ir::kMaxIds; ++d) {
    if (!adm.test(d)) continue;
    std::snprintf(buf, sizeof buf, "%04x\n", d);
    out += buf;
  }
  return out;
}

std::string formatMaskLine(const ir::IdSet& mask) { return ir::formatMask(mask, 256) + "\n"; }

}  // namespace apc::kmod
