// verify.sh: reads the live sysfs, prints each difference from the plan and
// exits 0 only when there is none. It never writes.
#include "backends/common.h"
#include "backends/script_support.h"
#include "backends/scripts_common.h"

namespace apc::backends::scripts {

namespace {

constexpr std::string_view kVerify = R"SH(
APC_DIFFS=0

apc_diff() {
  APC_DIFFS=$((APC_DIFFS + 1))
  printf '%s\n' "$*"
}

apc_verify_queues() {
  local q drv
  for q in "${APC_QUEUES[@]}"; do
    if [[ ! -e $SYSFS/bus/ap/devices/$q ]]; then
      apc_diff "queue $q: does not exist"
      continue
    fi
    drv=$(apc_driver "$q")
    [[ $drv == vfio_ap ]] || apc_diff "queue $q: bound to '${drv:-no driver}', the plan gives it to vfio_ap"
  done
}

apc_verify_mdevs() {
  local uuid dir have line
  for uuid in "${APC_UUIDS[@]}"; do
    dir=$APC_PARENT/$uuid
    if [[ ! -d $dir ]]; then
      apc_diff "mdev $uuid (guest ${APC_NAME[$uuid]}): does not exist"
      continue
    fi
    have=$(apc_read "$dir/matrix") || have='(unreadable)'
    [[ $have == "${APC_MATRIX[$uuid]}" ]] ||
      apc_diff "mdev $uuid (guest ${APC_NAME[$uuid]}): matrix is '${have//$'\n'/ }', the plan says '${APC_MATRIX[$uuid]//$'\n'/ }'"
    have=$(apc_read "$dir/control_domains") || have='(unreadable)'
    [[ $have == "${APC_CONTROL[$uuid]}" ]] ||
      apc_diff "mdev $uuid (guest ${APC_NAME[$uuid]}): control_domains is '${have//$'\n'/ }', the plan says '${APC_CONTROL[$uuid]//$'\n'/ }'"
  done
  for dir in "$APC_PARENT"/*/; do
    dir=${dir%/}
    uuid=${dir##*/}
    [[ -f $dir/matrix && -z ${APC_MATRIX[$uuid]+set} ]] || continue
    have=$(apc_read "$dir/matrix") || continue
    while IFS= read -r line; do
      if [[ -n $line && -n ${APC_OWNER[$line]+set} ]]; then
        apc_diff "queue $line: in mdev $uuid, the plan gives it to guest ${APC_NAME[${APC_OWNER[$line]}]}"
      fi
    done <<<"$have"
  done
}
)SH";

constexpr std::string_view kVerifyMasks = R"SH(
apc_verify_masks() {
  local have
  have=$(apc_read "$SYSFS/bus/ap/apmask") || have='(unreadable)'
  [[ $have == "$APC_APMASK" ]] || apc_diff "apmask: is $have, the plan says $APC_APMASK"
  have=$(apc_read "$SYSFS/bus/ap/aqmask") || have='(unreadable)'
  [[ $have == "$APC_AQMASK" ]] || apc_diff "aqmask: is $have, the plan says $APC_AQMASK"
}
)SH";

constexpr std::string_view kVerifyMain = R"SH(
if [[ ! -d $APC_PARENT ]]; then
  apc_diff "vfio_ap: not loaded ($APC_PARENT does not exist)"
elif [[ ! -e $APC_CREATE ]]; then
  apc_diff "vfio_ap: $APC_CREATE does not exist"
fi
)SH";

constexpr std::string_view kVerifyEnd = R"SH(apc_verify_queues
apc_verify_mdevs
if ((APC_DIFFS > 0)); then
  apc_err "$APC_DIFFS difference(s) from the plan"
  exit 1
fi
printf '%s: the live configuration matches the plan\n' "$APC_SCRIPT"
)SH";

}  // namespace

std::string verifyScript(const ir::SolvedPlan& solved) {
  bool modern = isModern(solved);
  std::string out = sh::prologue(
      {"verify.sh", "Compares the live sysfs with the plan; prints each difference; exit 0 only on a match.",
       planBaseName(solved.plan)},
      {.lock = false, .journal = false, .masks = false, .holder = false, .driver = true});
  out += kVerify;
  if (modern) out += kVerifyMasks;
  out += "\n" + dataBlock(solved);
  out += kVerifyMain;
  if (modern) out += "apc_verify_masks\n";
  out += kVerifyEnd;
  return out;
}

}  // namespace apc::backends::scripts
