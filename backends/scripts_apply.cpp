// apply.sh: preconditions first (read only), then the changes, each undone
// from the journal if a later one fails; finally every mdev is read back.
#include <algorithm>

#include "backends/common.h"
#include "backends/script_preflight.h"
#include "backends/script_support.h"
#include "backends/scripts_common.h"

namespace apc::backends::scripts {

namespace {

// Checks that only read sysfs. Each failure is reported; any failure stops the
// run before the first change.
constexpr std::string_view kPreconditions = R"SH(
APC_PRE_FAILED=0

apc_pre() {
  APC_PRE_FAILED=1
  apc_err "$@"
}

# $1: bus/ap file with the kernel's highest ID; $2: the plan's highest ID.
apc_check_max() {
  local max
  [[ -e $SYSFS/bus/ap/$1 ]] || return 0
  max=$(apc_read "$SYSFS/bus/ap/$1") || max=unreadable
  if ! [[ $max =~ ^[0-9]+$ ]] || ((max < $2)); then
    apc_pre "the plan uses ID $2 but $SYSFS/bus/ap/$1 is $max"
  fi
}

# Another mdev must hold none of the plan's queues; an mdev with one of the
# plan's UUIDs must hold only IDs of its planned matrix: it is then the plan's
# own work, perhaps left half done by an interrupted run, and is completed.
apc_check_mdevs() {
  local dir uuid have line
  for dir in "$APC_PARENT"/*/; do
    dir=${dir%/}
    uuid=${dir##*/}
    [[ -f $dir/matrix ]] || continue
    if ! have=$(apc_read "$dir/matrix"); then
      APC_PRE_FAILED=1
      continue
    fi
    if [[ -n ${APC_MATRIX[$uuid]+set} ]]; then
      if ! apc_mdev_read "$uuid"; then
        APC_PRE_FAILED=1
      elif ! apc_subset "$APC_A" " ${APC_WANT_A[$uuid]} " || ! apc_subset "$APC_D" " ${APC_WANT_D[$uuid]} " ||
        ! apc_subset "$APC_C" " ${APC_WANT_C[$uuid]} "; then
        apc_pre "UUID $uuid (guest ${APC_NAME[$uuid]}) is taken by an mdev holding IDs outside the guest's planned matrix; run teardown.sh or remove it first"
      fi
      continue
    fi
    while IFS= read -r line; do
      [[ -n $line ]] || continue
      if [[ -n ${APC_OWNER[$line]+set} ]]; then
        apc_pre "queue $line is already in mdev $uuid (the plan gives it to guest ${APC_NAME[${APC_OWNER[$line]}]})"
      fi
      apc_check_foreign "$uuid" "$line"
    done <<<"$have"
  done
}
)SH";

constexpr std::string_view kModernChecks = R"SH(
# A queue of an mdev outside the plan must stay with vfio_ap under the planned
# masks, or the kernel refuses the mask write (EBUSY) half-way.
apc_check_foreign() {
  if [[ $2 =~ ^([0-9a-f]{2})\.([0-9a-f]{4})$ ]] &&
    apc_mask_bit "$APC_APMASK" "$((16#${BASH_REMATCH[1]}))" &&
    apc_mask_bit "$APC_AQMASK" "$((16#${BASH_REMATCH[2]}))"; then
    apc_pre "the planned masks would give queue $2 of mdev $1 back to the host"
  fi
}

apc_preconditions() {
  local q m v
  [[ -d $APC_PARENT ]] || apc_die "vfio_ap is not loaded: $APC_PARENT does not exist (modprobe vfio_ap)"
  [[ -e $APC_CREATE ]] || apc_die "$APC_CREATE does not exist"
  for m in apmask aqmask; do
    v=$(apc_read "$SYSFS/bus/ap/$m") || v=unreadable
    [[ $v =~ ^0x[0-9a-f]{64}$ ]] || apc_pre "$SYSFS/bus/ap/$m reads '$v', not a 256-bit mask"
  done
  for q in "${APC_QUEUES[@]}"; do
    [[ -e $SYSFS/bus/ap/devices/$q ]] || apc_pre "queue $q does not exist ($SYSFS/bus/ap/devices/$q is missing)"
  done
  apc_check_mdevs
  ((APC_PRE_FAILED == 0)) || apc_die "a precondition failed; nothing was changed"
}

# Masks change in two steps: first only bits are cleared (that never takes a
# queue from an mdev), then the full planned value is written; so the host
# keeps, at every moment, a subset of what it keeps in the end.
apc_set_masks() {
  local ap aq
  ap=$(apc_read "$SYSFS/bus/ap/apmask") || apc_rollback
  aq=$(apc_read "$SYSFS/bus/ap/aqmask") || apc_rollback
  apc_record_cleared apmask "$ap" "${APC_CLEAR_AP[@]}"
  apc_record_cleared aqmask "$aq" "${APC_CLEAR_AQ[@]}"
  if [[ $ap != "$APC_APMASK" ]]; then
    apc_do "$SYSFS/bus/ap/apmask" "$1" "$SYSFS/bus/ap/apmask" "$ap"
  fi
  if [[ $aq != "$APC_AQMASK" ]]; then
    apc_do "$SYSFS/bus/ap/aqmask" "$2" "$SYSFS/bus/ap/aqmask" "$aq"
  fi
  if [[ $ap != "$APC_APMASK" ]]; then
    apc_step "$SYSFS/bus/ap/apmask" "$APC_APMASK"
  fi
  if [[ $aq != "$APC_AQMASK" ]]; then
    apc_step "$SYSFS/bus/ap/aqmask" "$APC_AQMASK"
  fi
}

# Adds to $APC_STATE_DIR/$1.cleared the IDs $3.. whose bit this run is about
# to clear (set in $2, the mask as read). teardown.sh gives back only those: a
# bit that was clear before apply ran stays clear. Written before the clearing
# write, so an apply killed between the two and run again still leaves a
# complete record (teardown skips a recorded bit that is set), and journalled:
# a rollback restores the old record.
apc_record_cleared() {
  local file=$APC_STATE_DIR/$1.cleared old='' ids=' ' id add=0
  [[ $APC_MODE == run ]] || return 0
  if [[ -e $file ]]; then
    old=$(apc_read "$file") || apc_rollback
    if ! [[ $old =~ ^[0-9\ ]*$ ]]; then
      apc_err "$file reads '$old', not a list of mask IDs"
      apc_rollback
    fi
    ids=" $old "
  fi
  for id in "${@:3}"; do
    if apc_mask_bit "$2" "$id" && [[ $ids != *" $id "* ]]; then
      ids+="$id "
      add=1
    fi
  done
  ((add)) || return 0
  ids=${ids# }
  ids=${ids% }
  if ! mkdir -p -- "$APC_STATE_DIR"; then
    apc_err "cannot create $APC_STATE_DIR for the record of the cleared mask bits"
    apc_rollback
  fi
  apc_write "$file" "$ids" || apc_rollback
  apc_journal "$file" "$old"
}

# After the masks, the bus has rebound every planned queue to vfio_ap (the
# mask store reprobes them before it returns; up to 2 s are allowed). Before
# 6.0 an assign needs every queue of the new cross product bound to vfio_ap
# (else EADDRNOTAVAIL), so no mdev is touched before this holds.
apc_check_bound() {
  local q drv i
  [[ $APC_MODE == run ]] || return 0
  for q in "${APC_QUEUES[@]}"; do
    drv=$(apc_driver "$q")
    i=0
    while [[ $drv != vfio_ap ]] && ((i++ < 20)); do
      sleep 0.1
      drv=$(apc_driver "$q")
    done
    if [[ $drv != vfio_ap ]]; then
      apc_err "queue $q is bound to '${drv:-no driver}' after the mask change, not vfio_ap"
      apc_rollback
    fi
  done
}
)SH";

constexpr std::string_view kLegacyChecks = R"SH(
apc_check_foreign() {
  :
}

apc_preconditions() {
  local q drv
  [[ -d $APC_PARENT ]] || apc_die "vfio_ap is not loaded: $APC_PARENT does not exist (modprobe vfio_ap)"
  [[ -e $APC_CREATE ]] || apc_die "$APC_CREATE does not exist"
  for q in "${APC_QUEUES[@]}"; do
    if [[ ! -e $SYSFS/bus/ap/devices/$q ]]; then
      apc_pre "queue $q does not exist ($SYSFS/bus/ap/devices/$q is missing)"
      continue
    fi
    drv=$(apc_driver "$q")
    case $drv in
      cex4queue | vfio_ap | '') ;;
      *) apc_pre "queue $q is bound to $drv, neither cex4queue nor vfio_ap" ;;
    esac
  done
  apc_check_mdevs
  ((APC_PRE_FAILED == 0)) || apc_die "a precondition failed; nothing was changed"
}

# The 2018 design: unbind the queue from cex4queue, bind it to vfio_ap.
apc_bind_vfio() {
  case $(apc_driver "$1") in
    vfio_ap) ;;
    cex4queue)
      apc_do "$SYSFS/bus/ap/drivers/cex4queue/unbind" "$1" "$SYSFS/bus/ap/drivers/cex4queue/bind" "$1"
      apc_do "$SYSFS/bus/ap/drivers/vfio_ap/bind" "$1" "$SYSFS/bus/ap/drivers/vfio_ap/unbind" "$1"
      ;;
    '')
      apc_do "$SYSFS/bus/ap/drivers/vfio_ap/bind" "$1" "$SYSFS/bus/ap/drivers/vfio_ap/unbind" "$1"
      ;;
    *)
      apc_err "queue $1 is bound to an unexpected driver"
      apc_rollback
      ;;
  esac
}
)SH";

constexpr std::string_view kMdevs = R"SH(
# Gives mdev $1 what it lacks of its planned matrix, then reads it back. (The
# UUID is only ever a variable's value here, never text inside a subscript.)
apc_complete() {
  apc_mdev_edit "$1" add "${APC_WANT_A[$1]}" "${APC_WANT_D[$1]}" "${APC_WANT_C[$1]}"
  apc_readback "$1"
}

# Every mdev reads what the plan says (after the writes, not in a dry run).
apc_readback() {
  local dir=$APC_PARENT/$1 have
  [[ $APC_MODE == run ]] || return 0
  have=$(apc_read "$dir/matrix") || apc_rollback
  if [[ $have != "${APC_MATRIX[$1]}" ]]; then
    apc_err "mdev $1 (guest ${APC_NAME[$1]}): matrix reads '${have//$'\n'/ }', expected '${APC_MATRIX[$1]//$'\n'/ }'"
    apc_rollback
  fi
  have=$(apc_read "$dir/control_domains") || apc_rollback
  if [[ $have != "${APC_CONTROL[$1]}" ]]; then
    apc_err "mdev $1 (guest ${APC_NAME[$1]}): control_domains reads '${have//$'\n'/ }', expected '${APC_CONTROL[$1]//$'\n'/ }'"
    apc_rollback
  fi
}
)SH";

// `edits`: apc_safe_edit is in (a plan with guests), which asks apc_holder.
sh::Runtime applyRuntime(bool modern, bool edits) {
  sh::Runtime rt{.lock = true, .args = true, .journal = true, .masks = modern, .holder = edits, .driver = true, .mdev = true};
  if (modern) rt.env.push_back(kStateDir);
  for (const sh::EnvVar& v : sh::preflightEnv()) rt.env.push_back(v);
  return rt;
}

}  // namespace

std::string applyScript(const ir::SolvedPlan& solved) {
  bool modern = isModern(solved);
  std::string out = sh::prologue(
      {"apply.sh",
       modern ? "Gives the plan's queues to vfio_ap (apmask/aqmask) and creates one mdev per guest."
              : "Binds the plan's queues to vfio_ap (2018 design) and creates one mdev per guest.",
       planBaseName(solved.plan)},
      applyRuntime(modern, !solved.alloc.empty()));
  out += kPreconditions;
  out += modern ? kModernChecks : kLegacyChecks;
  out += kMdevs;
  out += sh::preflightRuntime(modern, !solved.alloc.empty());
  out += "\n" + dataBlock(solved);
  if (modern) out += clearedIdsBlock(solved);

  unsigned maxAdapter = 0, maxDomain = 0;
  for (const ir::GuestAllocation& a : solved.alloc) {
    for (unsigned id : ir::toVector(a.adapters)) maxAdapter = std::max(maxAdapter, id);
    for (unsigned id : ir::toVector(admOf(a))) maxDomain = std::max(maxDomain, id);
  }
  out += "\napc_args \"$@\"\napc_lock\n";
  if (!solved.alloc.empty()) {
    out += "apc_check_max ap_max_adapter_id " + std::to_string(maxAdapter) + "\n";
    out += "apc_check_max ap_max_domain_id " + std::to_string(maxDomain) + "\n";
  }
  out += "apc_preconditions\n";
  // Host safety and what this kernel can do, before the first write (also in
  // --dry-run): see script_preflight.h.
  out += modern ? "apc_safe_masks \"$APC_APMASK\" \"$APC_AQMASK\"\n" : "apc_safe_queues \"${APC_QUEUES[@]}\"\n";
  if (!solved.alloc.empty())
    out += "for u in \"${APC_UUIDS[@]}\"; do\n"
           "  apc_safe_edit \"$u\" \"${APC_NAME[$u]}\" \"${APC_WANT_A[$u]}\" \"${APC_WANT_D[$u]}\" \"${APC_WANT_C[$u]}\"\n"
           "done\n";
  out += "apc_safe_verdict\n";
  out += "\n# Every write, each only when the live state lacks it: a rerun after an\n"
         "# interruption at any point finishes the job.\napc_plan() {\n";
  if (modern) {
    // Step 1 clears every bit the plan clears; step 2 writes the full masks.
    auto clearWord = [](const ir::IdSet& mask, const char* fullVar) {
      std::string list = sh::relativeMaskList(~mask, '-');
      return list.empty() ? std::string("\"$") + fullVar + "\"" : sh::quote(list);
    };
    out += "  # The host keeps apmask x aqmask; every guest queue goes to vfio_ap.\n";
    out += "  apc_set_masks " + clearWord(solved.apmask, "APC_APMASK") + " " +
           clearWord(solved.aqmask, "APC_AQMASK") + "\n";
    out += "  apc_check_bound\n";
  }
  for (std::size_t g = 0; g < solved.alloc.size(); ++g) {
    const ir::GuestAllocation& a = solved.alloc[g];
    const std::string uuid = sh::quote(a.uuid);
    out += "\n  " + guestComment(solved, g);
    if (!modern)
      for (unsigned ad : ir::toVector(a.adapters))
        for (unsigned d : ir::toVector(a.domains)) out += "  apc_bind_vfio " + ir::formatQueue(ad, d) + "\n";
    out += "  apc_mdev_create " + uuid + "\n";
    out += "  apc_complete " + uuid + "\n";
  }
  if (solved.alloc.empty() && !modern) out += "  :\n";
  out += "}\napc_run apc_plan\n";
  out += "\nprintf '%s: the live configuration matches the plan (%d mdevs)\\n' \"$APC_SCRIPT\" \"${#APC_UUIDS[@]}\"\n";
  return out;
}

}  // namespace apc::backends::scripts
