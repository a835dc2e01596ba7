// teardown.sh: removes the plan's mdevs, refusing those a running guest holds,
// then gives the queues back to the host's default drivers.
#include "backends/common.h"
#include "backends/script_support.h"
#include "backends/scripts_common.h"

namespace apc::backends::scripts {

namespace {

constexpr std::string_view kTeardown = R"SH(
APC_FAILED=0
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
# Sets the bits $3.. in bus/ap/$1 with the relative write $2, unless all are set.
apc_give_back() {
  local have id
  have=$(apc_read "$SYSFS/bus/ap/$1") || {
    APC_FAILED=1
    return 0
  }
  for id in "${@:3}"; do
    if ! apc_mask_bit "$have" "$id"; then
      apc_step "$SYSFS/bus/ap/$1" "$2" "$SYSFS/bus/ap/$1" "$have" || APC_FAILED=1
      return 0
    fi
  done
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

std::string idArgs(const ir::IdSet& s) {
  std::string out;
  for (unsigned id : ir::toVector(s)) out += " " + std::to_string(id);
  return out;
}

}  // namespace

std::string teardownScript(const ir::SolvedPlan& solved) {
  bool modern = isModern(solved);
  std::string out = sh::prologue(
      {"teardown.sh", "Removes the plan's mdevs (not those a guest holds) and gives the queues back to the host.",
       planBaseName(solved.plan)},
      {.lock = true, .args = true, .journal = true, .masks = modern, .holder = true, .driver = !modern, .mdev = true});
  out += kTeardown;
  out += modern ? kModernGiveBack : kLegacyGiveBack;
  out += modern ? "\nAPC_PARENT=$SYSFS/devices/vfio_ap/matrix\n"
                : "\nAPC_PARENT=$SYSFS/devices/virtual/misc/vfio_ap\n";
  out += "APC_CREATE=$APC_PARENT/mdev_supported_types/vfio_ap-passthrough/create\n";
  out += "\napc_args \"$@\"\napc_lock\nAPC_ON_FAIL='continue'\n";
  for (std::size_t g = 0; g < solved.alloc.size(); ++g)
    out += "apc_check_holder " + sh::quote(solved.alloc[g].uuid) + " " + sh::quote(solved.plan.guests[g].name) + "\n";
  out += "\n# Every write, each only when the live state still needs it: a rerun after\n"
         "# an interruption at any point finishes the job.\napc_plan() {\n";
  ir::IdSet adapters, domains;
  for (std::size_t g = 0; g < solved.alloc.size(); ++g) {
    const ir::GuestAllocation& a = solved.alloc[g];
    adapters |= a.adapters;
    domains |= a.domains;
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
  if (modern && adapters.any()) {
    out += "  # Give the queues back: the host's drivers keep apmask x aqmask, so every\n"
           "  # adapter and domain of the plan's guests goes back into the masks. Not while\n"
           "  # an mdev stays: the kernel would refuse (EBUSY) to take its queues.\n";
    out += "  if ((APC_HELD == 0)); then\n";
    out += "    apc_give_back apmask " + sh::quote(sh::relativeMaskList(adapters, '+')) + idArgs(adapters) + "\n";
    out += "    apc_give_back aqmask " + sh::quote(sh::relativeMaskList(domains, '+')) + idArgs(domains) + "\n";
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
