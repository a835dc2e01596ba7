// teardown.sh: removes the plan's mdevs, refusing those a running guest holds,
// then gives the queues back to the host's default drivers.
#include "backends/common.h"
#include "backends/script_support.h"
#include "backends/scripts_common.h"

namespace apc::backends::scripts {

namespace {

constexpr std::string_view kTeardown = R"SH(
APC_HELD=0
declare -A APC_KEEP=()

# Before any change: the mdevs a running guest holds stay (on modern kernels
# `remove` does not fail while a guest holds the mdev: it pulls the queues
# out of the guest), and so do their queues.
apc_check_holder() {
  local dir=$APC_PARENT/$1
  [[ -d $dir ]] || return 0
  if apc_holder "$dir"; then
    apc_err "refusing to remove mdev $1 of guest $2: $APC_HOLDER holds it; stop the guest first"
    APC_KEEP[$1]=1
    APC_FAILED=1
    APC_HELD=1
  fi
}

# Removes mdev $1 unless it stays. False when it stays (held, or refused).
apc_teardown_mdev() {
  [[ -z ${APC_KEEP[$1]:-} ]] || return 1
  apc_mdev_remove "$1" && return 0
  APC_FAILED=1
  APC_HELD=1
  return 1
}
)SH";

constexpr std::string_view kModernGiveBack = R"SH(
# The bits of bus/ap/$1 to give back among the plan's IDs $2..: those
# apply.sh recorded as cleared by it ($APC_STATE_DIR/$1.cleared) and still
# clear, into APC_BACK (" 4 7 "); the still-clear ones it did not clear into
# APC_NOREC; the record into APC_REC and the mask into APC_HAVE. False (and
# APC_FAILED) when the record or the mask cannot be read.
apc_give_back_ids() {
  local file=$APC_STATE_DIR/$1.cleared id
  APC_BACK=' ' APC_NOREC='' APC_REC='' APC_HAVE=''
  if [[ -e $file ]]; then
    APC_REC=$(apc_read "$file") || {
      APC_FAILED=1
      return 1
    }
    if ! [[ $APC_REC =~ ^[0-9\ ]*$ ]]; then
      apc_err "$file reads '$APC_REC', not a list of mask IDs; $1 left unchanged"
      APC_FAILED=1
      return 1
    fi
  fi
  APC_HAVE=$(apc_read "$SYSFS/bus/ap/$1") || {
    APC_FAILED=1
    return 1
  }
  for id in "${@:2}"; do
    apc_mask_bit "$APC_HAVE" "$id" && continue
    if [[ " $APC_REC " == *" $id "* ]]; then
      APC_BACK+="$id "
    else
      APC_NOREC+=" $id"
    fi
  done
}

# Gives back to the host the bits of bus/ap/$1 that apc_give_back_ids finds
# among the plan's IDs $4..: one relative write (+N,...). $2 names the other
# mask and $3 (" 4 7 ") the IDs this run gives back in it before it is written
# again. A bit apply.sh did not clear (clear before it ran, e.g. by the boot
# configuration) stays clear, and is named. So does a bit under which an mdev
# (not removed here: another plan's, or one made by hand) holds a queue: the
# run fails and names it; a rerun once that mdev is gone gives it back. The
# given-back IDs (APC_GIVEN), and those set again meanwhile, leave the record.
apc_give_back() {
  local file=$APC_STATE_DIR/$1.cleared id list='' left='' other
  APC_GIVEN=' '
  apc_give_back_ids "$1" "${@:4}" || return 0
  if [[ -n $APC_NOREC && $APC_MODE != count ]]; then
    printf '%s: %s bit(s)%s stay clear: apply.sh did not clear them\n' "$APC_SCRIPT" "$1" "$APC_NOREC"
  fi
  if [[ $APC_BACK != ' ' ]]; then
    other=$(apc_read "$SYSFS/bus/ap/$2") || {
      APC_FAILED=1
      return 0
    }
    other="$(apc_mask_ids "$other")${3# }"
    apc_guard_scan || {
      APC_FAILED=1
      return 0
    }
  fi
  for id in $APC_BACK; do
    if apc_mask_guard "$1" "$id" "$other"; then
      APC_FAILED=1
      [[ $APC_MODE == count ]] ||
        apc_err "$1 bit $id stays clear: $APC_GUARD, which setting the bit would give to the host's drivers; remove that mdev (or its ID $id), then run $APC_SCRIPT again"
      continue
    fi
    list+=",+$id"
    APC_GIVEN+="$id "
  done
  if [[ -n $list ]]; then
    apc_step "$SYSFS/bus/ap/$1" "${list:1}" "$SYSFS/bus/ap/$1" "$APC_HAVE" || {
      APC_FAILED=1
      return 0
    }
  fi
  [[ $APC_MODE == run && -e $file ]] || return 0
  # The record keeps only IDs outside this plan's or still clear and not given back.
  for id in $APC_REC; do
    if [[ " ${*:4} " == *" $id "* ]] && { [[ $APC_GIVEN == *" $id "* ]] || apc_mask_bit "$APC_HAVE" "$id"; }; then
      continue
    fi
    left+=" $id"
  done
  [[ ${left# } != "$APC_REC" ]] || return 0
  if apc_write "$file" "${left# }"; then
    apc_journal "$file" "$APC_REC"
  else
    APC_FAILED=1
  fi
}
)SH";

constexpr std::string_view kLegacyGiveBack = R"SH(
# The 2018 design, reversed: unbind the queue from vfio_ap, bind it to cex4queue.
apc_release() {
  local drv
  [[ -e $SYSFS/bus/ap/devices/$1 ]] || return 0
  drv=$(apc_driver "$1")
  [[ $APC_MODE == run ]] || [[ -z ${APC_UNBOUND[$1]:-} ]] || drv=
  if [[ $drv == vfio_ap ]]; then
    if ! apc_step "$SYSFS/bus/ap/drivers/vfio_ap/unbind" "$1" "$SYSFS/bus/ap/drivers/vfio_ap/bind" "$1"; then
      APC_FAILED=1
      return 0
    fi
    [[ $APC_MODE == run ]] || APC_UNBOUND[$1]=1
    drv=
  fi
  if [[ -z $drv ]]; then
    apc_step "$SYSFS/bus/ap/drivers/cex4queue/bind" "$1" "$SYSFS/bus/ap/drivers/cex4queue/unbind" "$1" ||
      APC_FAILED=1
  fi
}
declare -A APC_UNBOUND=()
)SH";


sh::Runtime teardownRuntime(bool modern) {
  sh::Runtime rt{.lock = true, .args = true, .journal = true, .masks = modern, .maskGuard = modern, .holder = true, .driver = !modern, .mdev = true};
  if (modern) rt.env.push_back(kStateDir);
  return rt;
}

}  // namespace

std::string teardownScript(const ir::SolvedPlan& solved) {
  bool modern = isModern(solved);
  std::string out = sh::prologue(
      {"teardown.sh", "Removes the plan's mdevs (not those a guest holds) and gives the queues back to the host.",
       planBaseName(solved.plan)},
      teardownRuntime(modern));
  out += kTeardown;
  out += modern ? kModernGiveBack : kLegacyGiveBack;
  out += modern ? "\nAPC_PARENT=$SYSFS/devices/vfio_ap/matrix\n"
                : "\nAPC_PARENT=$SYSFS/devices/virtual/misc/vfio_ap\n";
  out += "APC_CREATE=$APC_PARENT/mdev_supported_types/vfio_ap-passthrough/create\n";
  bool anyQueue = false;
  for (const ir::GuestAllocation& a : solved.alloc) anyQueue = anyQueue || a.adapters.any();
  if (modern && anyQueue) out += clearedIdsBlock(solved);
  out += "\napc_args \"$@\"\napc_lock\nAPC_ON_FAIL='continue'\n";
  for (std::size_t g = 0; g < solved.alloc.size(); ++g)
    out += "apc_check_holder " + sh::quote(solved.alloc[g].uuid) + " " + sh::quote(solved.plan.guests[g].name) + "\n";
  out += "\n# Every write, each only when the live state still needs it: a rerun after\n"
         "# an interruption at any point finishes the job.\napc_plan() {\n";
  for (std::size_t g = 0; g < solved.alloc.size(); ++g) {
    const ir::GuestAllocation& a = solved.alloc[g];
    out += "  " + guestComment(solved, g);
    if (modern) {
      out += "  apc_teardown_mdev " + sh::quote(a.uuid) + " || true\n";
    } else {
      out += "  if apc_teardown_mdev " + sh::quote(a.uuid) + "; then\n";
      for (unsigned ad : ir::toVector(a.adapters))
        for (unsigned d : ir::toVector(a.domains)) out += "    apc_release " + ir::formatQueue(ad, d) + "\n";
      out += "  fi\n";
    }
  }
  if (modern && anyQueue) {
    out += "  # Give the queues back: the host's drivers keep apmask x aqmask, so the bits\n"
           "  # the planned masks clear go back, those apply.sh cleared only. Not while an\n"
           "  # mdev of the plan stays, and never a bit under which another mdev holds a\n"
           "  # queue (apc_mask_guard).\n";
    out += "  if ((APC_HELD == 0)); then\n";
    out += "    local aq_back\n";
    out += "    # What aqmask gets back decides which apmask bits are safe to set first.\n";
    out += "    if apc_give_back_ids aqmask \"${APC_CLEAR_AQ[@]}\" 2>/dev/null; then aq_back=$APC_BACK; else aq_back=' '; fi\n";
    out += "    apc_give_back apmask aqmask \"$aq_back\" \"${APC_CLEAR_AP[@]}\"\n";
    out += "    apc_give_back aqmask apmask \"$APC_GIVEN\" \"${APC_CLEAR_AQ[@]}\"\n";
    out += "  fi\n";
  }
  out += "  :\n}\napc_run apc_plan\n";
  out += "\nif ((APC_HELD != 0)); then\n  apc_err \"some mdevs of the plan stay, and so do their queues" +
         std::string(modern ? "; masks left unchanged" : "") + "\"\nfi\n";
  out += "if ((APC_FAILED != 0)); then\n  apc_err \"teardown incomplete\"\n  exit 1\nfi\n";
  out += "printf '%s: the plan'\\''s mdevs are gone and its queues are back with the host\\n' \"$APC_SCRIPT\"\n";
  return out;
}

}  // namespace apc::backends::scripts
