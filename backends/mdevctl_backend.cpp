// mdevctl/<uuid>.json in mdevctl's own file format (serde_json pretty print:
// 2-space indent, keys mdev_type, start, attrs, string values, no trailing
// newline: byte-identical to what `mdevctl define` stores), and define.sh.
#include <nlohmann/json.hpp>

#include "backends/common.h"
#include "backends/emitters.h"
#include "backends/script_support.h"
#include "compiler/ir/internal_error.h"

namespace apc::backends {

namespace {

constexpr std::string_view kDefine = R"SH(
APC_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
APC_FAILED=0

# Defines mdev $1 (guest $2) from $APC_DIR/$1.json with parent matrix. An
# existing definition is kept when it is the same, reported when it differs.
apc_define() {
  local file=$APC_DIR/$1.json have want
  want=$(tr -d ' \n' <"$file")
  if have=$(mdevctl list -d -p matrix -u "$1" --dumpjson 2>/dev/null) && [[ -n $have && $have != '[]' ]]; then
    have=$(printf '%s' "$have" | tr -d ' \n')
    if [[ $have != "$want" ]]; then
      apc_err "mdev $1 (guest $2) is already defined differently; run: mdevctl undefine -u $1 -p matrix"
      APC_FAILED=1
    fi
    return 0
  fi
  mdevctl define -p matrix -u "$1" --jsonfile "$file" || {
    apc_err "mdevctl define of $1 (guest $2) failed"
    APC_FAILED=1
  }
}
)SH";

}  // namespace

std::vector<Artifact> emitMdevctl(const ir::SolvedPlan& solved) {
  std::vector<Artifact> out;
  std::string define = sh::prologue(
      {"define.sh", "Defines one persistent mdevctl device per guest (parent matrix) from the JSON files beside it.",
       planBaseName(solved.plan)},
      {.sysfs = false, .lock = false, .journal = false});
  define += kDefine;
  define += "\ncommand -v mdevctl >/dev/null || apc_die \"mdevctl is not installed\"\n";
  for (std::size_t g = 0; g < solved.plan.guests.size(); ++g) {
    const ir::GuestAllocation& a = solved.alloc[g];
    APC_BUG_CHECK(isCanonicalUuid(a.uuid), "guest uuid '" + a.uuid + "' is not canonical");
    nlohmann::ordered_json j;
    j["mdev_type"] = "vfio_ap-passthrough";
    j["start"] = std::string(ir::startName(solved.plan.guests[g].start));
    j["attrs"] = nlohmann::ordered_json::array();
    for (const Attr& attr : mdevAttrs(a)) j["attrs"].push_back({{attr.name, attr.value}});
    out.push_back({"mdevctl/" + a.uuid + ".json", j.dump(2)});
    define += "apc_define " + sh::quote(a.uuid) + " " + sh::quote(solved.plan.guests[g].name) + "\n";
  }
  define += "\n((APC_FAILED == 0)) || exit 1\n";
  define += "printf '%s: every mdev of the plan is defined\\n' \"$APC_SCRIPT\"\n";
  out.push_back({"mdevctl/define.sh", define, true});
  return out;
}

}  // namespace apc::backends
