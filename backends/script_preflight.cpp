// The preflight checks of apply.sh and migrate.sh that protect the host's own
// use of its AP queues and find out what the running kernel can do, from the
// files it offers (never uname). Kernel facts, as read in the source:
//  - bus/ap/ap_domain: ap_domain_show prints ap_domain_index with "%d\n"; it
//    is -1 until ap_select_domain picks one (every version).
//  - queue requestq_count / pendingq_count: "%d\n" of the queue's counters
//    (ap_queue.c; 0 while the queue is not initiated). Taking a queue from
//    zcrypt (mask bits cleared) reprobes it: ap_queue_remove flushes what is
//    pending, and those requests fail.
//  - 6.19 apmask_store/aqmask_store: "if (ap_driver_override_ctr) goto done"
//    with rc = -EINVAL before parsing: every mask write, even an unchanged
//    one, is EINVAL while any queue has a driver_override.
//  - before 6.0 assign_*/unassign_* of an mdev with a KVM (a running guest)
//    is EBUSY (no hot plug); 6.0 added guest_matrix with hot plug.
#include "backends/script_preflight.h"

#include <string_view>

namespace apc::backends::sh {

namespace {

constexpr std::string_view kCommon = R"SH(
# --- Host safety: what the host itself uses is never taken silently. ---
APC_SAFE_FAILED=0
apc_unsafe() {
  APC_SAFE_FAILED=1
  apc_err "refusing: $*"
}

apc_safe_verdict() {
  ((APC_SAFE_FAILED == 0)) || apc_die "nothing was changed (the refusals above say what to do)"
}

# The first line of sysfs attribute $2 into variable $1, read by the shell
# itself (no fork: a host has up to 65536 queues); a file without a newline
# or that cannot be read goes through apc_read (which says why it failed).
apc_attr() {
  local v
  if { IFS= read -r "$1" <"$2"; } 2>/dev/null; then return 0; fi
  v=$(apc_read "$2") || return 1
  printf -v "$1" '%s' "${v%%$'\n'*}"
}

# zcrypt's default domain (bus/ap/ap_domain, "%d"): its number, or false when
# there is none (-1, absent or unreadable).
apc_default_domain() {
  local d
  [[ -e $SYSFS/bus/ap/ap_domain ]] || return 1
  d=$(apc_read "$SYSFS/bus/ap/ap_domain") || return 1
  [[ $d =~ ^[0-9]+$ ]] || return 1
  printf '%d' "$((10#$d))"
}

# True when APC_TAKE_DEFAULT_DOMAIN names domain $1 (decimal or 0x hex).
apc_take_default_ok() {
  local v=${APC_TAKE_DEFAULT_DOMAIN:-} n=$1
  if [[ $v =~ ^0[xX][0-9a-fA-F]{1,4}$ ]]; then
    ((v == n))
  else
    [[ $v =~ ^[0-9]{1,5}$ ]] && ((10#$v == n))
  fi
}

apc_refuse_default() {
  local hex
  printf -v hex '0x%02x' "$1"
  apc_take_default_ok "$1" && return 0
  apc_unsafe "the plan takes domain $1 ($hex), zcrypt's default domain ($SYSFS/bus/ap/ap_domain), from the host; its crypto requests that name no domain would fail. Change the plan to leave domain $1 to the host, or set APC_TAKE_DEFAULT_DOMAIN=$hex to take it anyway"
}

# Queue $1 leaves the host's zcrypt driver: it must have no request in
# flight (the reprobe flushes them), unless APC_TAKE_BUSY_QUEUES is 1 or
# lists it.
apc_check_idle() {
  local dir=$SYSFS/bus/ap/devices/$1 f n busy=
  for f in requestq_count pendingq_count; do
    [[ -e $dir/$f ]] || continue
    if ! apc_attr n "$dir/$f"; then
      APC_SAFE_FAILED=1
      return 0
    fi
    if ! [[ $n =~ ^[0-9]+$ ]]; then
      apc_unsafe "$dir/$f reads '$n', not a count"
      return 0
    fi
    ((10#$n == 0)) || busy+=", $((10#$n)) in $f"
  done
  [[ -n $busy ]] || return 0
  case " ${APC_TAKE_BUSY_QUEUES:-} " in
    " 1 " | *" $1 "*) return 0 ;;
  esac
  apc_unsafe "queue $1 has requests in flight (${busy:2}); taking it from the host's zcrypt flushes them. Let the host's crypto work on it finish and run again, change the plan, or set APC_TAKE_BUSY_QUEUES=$1 (or 1 for every queue) to take it anyway"
}
)SH";

constexpr std::string_view kModern = R"SH(
# The masks become $1/$2 (apmask, aqmask): what that takes from the host.
apc_safe_masks() {
  local ap aq f ov q dir a d dom
  ap=$(apc_read "$SYSFS/bus/ap/apmask") || return 0
  aq=$(apc_read "$SYSFS/bus/ap/aqmask") || return 0
  [[ $ap =~ ^0x[0-9a-f]{64}$ && $aq =~ ^0x[0-9a-f]{64}$ ]] || return 0
  [[ $ap != "$1" || $aq != "$2" ]] || return 0
  # 6.19: every mask write is EINVAL while a queue has a driver_override.
  for f in "$SYSFS"/bus/ap/devices/*.*/driver_override; do
    q=${f%/driver_override}
    q=${q##*/}
    apc_attr ov "$f" || ov='(unreadable)'
    [[ -n $ov && $ov != '(null)' ]] || continue
    apc_unsafe "queue $q has driver_override '$ov': the kernel refuses every apmask/aqmask write (EINVAL) while any queue has one. Clear it (write an empty line to $f) or give queues to vfio_ap with driver_override instead of this plan's masks"
  done
  if dom=$(apc_default_domain) && apc_mask_bit "$aq" "$dom" && ! apc_mask_bit "$2" "$dom"; then
    apc_refuse_default "$dom"
  fi
  for dir in "$SYSFS"/bus/ap/devices/[0-9a-f][0-9a-f].[0-9a-f][0-9a-f][0-9a-f][0-9a-f]; do
    q=${dir##*/}
    a=$((16#${q%.*}))
    d=$((16#${q#*.}))
    # Only queues the host's drivers have now and lose.
    if ! apc_mask_bit "$ap" "$a" || ! apc_mask_bit "$aq" "$d"; then continue; fi
    if apc_mask_bit "$1" "$a" && apc_mask_bit "$2" "$d"; then continue; fi
    apc_check_idle "$q"
  done
}
)SH";

constexpr std::string_view kLegacy = R"SH(
# The queues $@ move from cex4queue to vfio_ap: what that takes from the host.
apc_safe_queues() {
  local q dom dir left=0 taken=0
  local -A moving=()
  for q in "$@"; do
    [[ $(apc_driver "$q") == cex4queue ]] || continue
    moving[$q]=1
    apc_check_idle "$q"
  done
  dom=$(apc_default_domain) || return 0
  printf -v q '%04x' "$dom"
  for dir in "$SYSFS"/bus/ap/devices/[0-9a-f][0-9a-f]."$q"; do
    [[ $(apc_driver "${dir##*/}") == cex4queue ]] || continue
    if [[ -n ${moving[${dir##*/}]:-} ]]; then taken=1; else left=1; fi
  done
  ((taken == 0 || left == 1)) || apc_refuse_default "$dom"
}
)SH";

constexpr std::string_view kEdit = R"SH(
# mdev $1 (guest $2) is to hold the adapters $3, domains $4, control domains
# $5. Without AP hot plug (no guest_matrix: kernels before 6.0, and the
# legacy interface) the kernel refuses every assign/unassign while a guest
# runs on it (EBUSY): refuse now rather than half-way.
apc_safe_edit() {
  local dir=$APC_PARENT/$1
  [[ -d $dir && ! -e $dir/guest_matrix ]] || return 0
  apc_mdev_read "$1" || return 0
  if apc_subset "$3" "$APC_A" && apc_subset "$APC_A" " $3 " && apc_subset "$4" "$APC_D" &&
    apc_subset "$APC_D" " $4 " && apc_subset "$5" "$APC_C" && apc_subset "$APC_C" " $5 "; then
    return 0
  fi
  if apc_holder "$dir"; then
    apc_unsafe "mdev $1 of guest $2 must change, but $APC_HOLDER holds it and this kernel has no AP hot plug ($dir has no guest_matrix, so vfio_ap refuses every assign/unassign of an mdev a running guest holds with EBUSY). Stop the guest first, then run again"
  fi
}
)SH";

}  // namespace

std::string preflightRuntime(bool modern, bool edits) {
  std::string out(kCommon);
  out += modern ? kModern : kLegacy;
  if (edits) out += kEdit;
  return out;
}

std::vector<EnvVar> preflightEnv() {
  return {{"APC_TAKE_DEFAULT_DOMAIN", "", "takes zcrypt's default domain anyway (its ID)"},
          {"APC_TAKE_BUSY_QUEUES", "", "takes queues with requests in flight anyway (1, or their APQNs)"}};
}

}  // namespace apc::backends::sh
