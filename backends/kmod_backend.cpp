// The `kmod` backend: adapts apc_kmod_config's files to artifacts.
#include "backends/emitters.h"
#include "kmod/config/kmod_config.h"

namespace apc::backends {

std::vector<Artifact> emitKmod(const ir::SolvedPlan& solved) {
  std::vector<Artifact> out;
  for (kmod::ConfigFile& f : kmod::inTreeConfig(solved)) out.push_back({std::move(f.path), std::move(f.bytes)});
  return out;
}

}  // namespace apc::backends
