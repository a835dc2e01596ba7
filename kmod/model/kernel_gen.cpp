// Names of the kernel generations (see kernel_gen.h).
#include "kmod/model/kernel_gen.h"

namespace apc::kmod {

std::string_view kernelGenName(KernelGen g) {
  switch (g) {
    case KernelGen::K4_20: return "4.20";
    case KernelGen::K5_15: return "5.15";
    case KernelGen::K6_0: return "6.0";
    case KernelGen::K6_10: return "6.10";
    case KernelGen::K6_19: return "6.19";
  }
  return "";
}

std::vector<KernelGen> allKernelGens() {
  return {KernelGen::K4_20, KernelGen::K5_15, KernelGen::K6_0, KernelGen::K6_10, KernelGen::K6_19};
}

std::optional<KernelGen> parseKernelGen(std::string_view s) {
  if (!s.empty() && s.front() == 'v') s.remove_prefix(1);
  for (KernelGen g : allKernelGens())
    if (kernelGenName(g) == s) return g;
  return std::nullopt;
}

}  // namespace apc::kmod
