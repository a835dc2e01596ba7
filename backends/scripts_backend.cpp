// The `scripts` backend: the three host scripts, executable.
#include "backends/emitters.h"
#include "backends/scripts_common.h"

namespace apc::backends {

std::vector<Artifact> emitScripts(const ir::SolvedPlan& solved) {
  return {{"apply.sh", scripts::applyScript(solved), true},
          {"teardown.sh", scripts::teardownScript(solved), true},
          {"verify.sh", scripts::verifyScript(solved), true}};
}

}  // namespace apc::backends
