// verify.sh: reads the live sysfs, prints each difference from the plan and
// exits 0 only when there is none. It never writes.
#include "backends/backend.h"
#include "backends/common.h"
#include "backends/emitters.h"
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
  # An mdev the plan does not have is drift: more so when it holds queues.
  for dir in "$APC_PARENT"/*/; do
    dir=${dir%/}
    uuid=${dir##*/}
    [[ -f $dir/matrix && -z ${APC_MATRIX[$uuid]+set} ]] || continue
    have=$(apc_read "$dir/matrix") || have=
    if [[ -z $have ]]; then
      apc_diff "mdev $uuid: not in the plan (it holds no queue)"
      continue
    fi
    apc_diff "mdev $uuid: not in the plan, holds ${have//$'\n'/ }"
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

// Where mdevctl keeps its definitions is readable (as root, or in a test
// root): a definition of a plan mdev must read what `apc` emits for it. A
// missing one is no drift: apply.sh creates mdevs without mdevctl.
// mdevctl 1.2 keeps one JSON file per mdev: $APC_MDEVCTL_DIR/<parent>/<uuid>.
// apc_def_queues reads the queues one assigns (assign_adapter x
// assign_domain) into APC_DEF_Q=(05.0004 05.00ab) and APC_DEF_QUEUES (the
// same, one string, or "no queue"); a value the kernel
// would refuse goes to APC_DEF_BAD. Values are read as vfio_ap reads them
// (kstrtoul base 0: 0x hex, leading 0 octal, else decimal; IDs 0..255), and
// bash arithmetic only sees text the patterns checked.
constexpr std::string_view kVerifyMdevctl = R"SH(
apc_def_queues() {
  local rest=$1 re='"assign_(adapter|domain)"[[:space:]]*:[[:space:]]*"([^"]*)"(.*)'
  local key val id a d q
  local -a ads=() doms=()
  APC_DEF_Q=()
  APC_DEF_QUEUES=''
  APC_DEF_BAD=''
  while [[ $rest =~ $re ]]; do
    key=${BASH_REMATCH[1]} val=${BASH_REMATCH[2]} rest=${BASH_REMATCH[3]}
    if [[ $val =~ ^0[xX][0-9a-fA-F]{1,4}$ ]]; then
      id=$((16#${val:2}))
    elif [[ $val =~ ^0[0-7]{0,5}$ ]]; then
      id=$((8#$val))
    elif [[ $val =~ ^[1-9][0-9]{0,4}$ ]]; then
      id=$((10#$val))
    else
      id=256
    fi
    if ((id > 255)); then
      APC_DEF_BAD+=" assign_$key '${val//[^[:print:]]/?}'"
    elif [[ $key == adapter ]]; then
      ads[id]=1
    else
      doms[id]=1
    fi
  done
  for a in "${!ads[@]}"; do
    for d in "${!doms[@]}"; do
      printf -v q '%02x.%04x' "$a" "$d"
      APC_DEF_Q+=("$q")
    done
  done
  APC_DEF_QUEUES=${APC_DEF_Q[*]}
  ((${#APC_DEF_Q[@]} > 0)) || APC_DEF_QUEUES='no queue'
}

apc_verify_defined() {
  local file=$APC_MDEVCTL_DIR/matrix/$1 have
  [[ -d $APC_MDEVCTL_DIR && -r $APC_MDEVCTL_DIR ]] || return 0
  [[ -e $file ]] || return 0
  if ! have=$(<"$file"); then
    apc_diff "mdev $1 (guest ${APC_NAME[$1]}): the mdevctl definition $file cannot be read"
  elif [[ $have != "$2" ]]; then
    apc_def_queues "$have"
    apc_diff "mdev $1 (guest ${APC_NAME[$1]}): the mdevctl definition $file differs from the plan's (it assigns '$APC_DEF_QUEUES'${APC_DEF_BAD:+, refused values:$APC_DEF_BAD}; the plan's matrix is '${APC_MATRIX[$1]//$'\n'/ }')"
  fi
}

# A vfio_ap-passthrough definition whose UUID is no guest's: mdevctl would
# create an mdev outside the plan (at boot, with start auto). Drift when it
# assigns queues (or values the kernel refuses); one assigning none holds
# nothing. A plan guest defined under another parent than matrix is drift too.
apc_verify_stray() {
  local file uuid parent have q type='"mdev_type"[[:space:]]*:[[:space:]]*"vfio_ap-passthrough"'
  local -A plan=()
  [[ -d $APC_MDEVCTL_DIR && -r $APC_MDEVCTL_DIR ]] || return 0
  for uuid in "${APC_UUIDS[@]}"; do plan[${uuid,,}]=$uuid; done
  for file in "$APC_MDEVCTL_DIR"/*/*; do
    uuid=${file##*/}
    [[ -f $file && $uuid =~ ^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$ ]] || continue
    parent=${file%/*}
    parent=${parent##*/}
    if ! have=$(<"$file"); then
      apc_diff "mdevctl definition $file: cannot be read"
      continue
    fi
    [[ $have =~ $type ]] || continue
    if [[ -n ${plan[${uuid,,}]+set} ]]; then
      [[ $parent == matrix ]] ||
        apc_diff "mdevctl definition $file: guest ${APC_NAME[${plan[${uuid,,}]}]} is defined under parent '$parent', the plan's is matrix"
      continue
    fi
    apc_def_queues "$have"
    ((${#APC_DEF_Q[@]} > 0)) || [[ -n $APC_DEF_BAD ]] || continue
    apc_diff "mdevctl definition $file: not in the plan, assigns $APC_DEF_QUEUES${APC_DEF_BAD:+ and refused values:$APC_DEF_BAD}"
    for q in "${APC_DEF_Q[@]}"; do
      if [[ -n ${APC_OWNER[$q]+set} ]]; then
        apc_diff "queue $q: in the mdevctl definition $file, the plan gives it to guest ${APC_NAME[${APC_OWNER[$q]}]}"
      fi
    done
  done
}
)SH";

constexpr std::string_view kVerifyMain = R"SH(
# verify.sh never writes: --dry-run is accepted and changes nothing.
apc_args "$@"
((APC_DRY == 0)) || printf '%s: a dry run: verify.sh only reads in any case\n' "$APC_SCRIPT"
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
  bool canonical = true;  // mdevctl names files by canonical UUIDs only
  for (const ir::GuestAllocation& a : solved.alloc) canonical = canonical && isCanonicalUuid(a.uuid);
  sh::Runtime rt{.lock = false, .args = true, .journal = false, .masks = false, .holder = false, .driver = true};
  if (modern)
    rt.env.push_back({"APC_MDEVCTL_DIR", "/etc/mdevctl.d", "where mdevctl keeps the definitions compared"});
  std::string out = sh::prologue(
      {"verify.sh", "Compares the live sysfs with the plan; prints each difference; exit 0 only on a match.",
       planBaseName(solved.plan)},
      rt);
  out += kVerify;
  if (modern) out += kVerifyMasks;
  if (modern) out += kVerifyMdevctl;
  out += "\n" + dataBlock(solved, false);
  out += kVerifyMain;
  if (modern) out += "apc_verify_masks\n";
  if (modern && canonical) {
    for (const Artifact& a : emitMdevctl(solved)) {
      if (!a.path.ends_with(".json")) continue;
      std::string uuid = a.path.substr(a.path.find('/') + 1);
      uuid.resize(uuid.size() - 5);
      std::string bytes = a.bytes;
      while (!bytes.empty() && bytes.back() == '\n') bytes.pop_back();
      out += "apc_verify_defined " + sh::quote(uuid) + " " + sh::quote(bytes) + "\n";
    }
  }
  if (modern) out += "apc_verify_stray\n";
  out += kVerifyEnd;
  return out;
}

}  // namespace apc::backends::scripts
