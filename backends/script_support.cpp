// The bash runtime every generated script starts with, and the quoting rules
// that keep plan text data. The runtime text is fixed: only the header
// comment lines carry (sanitised) plan text.
#include "backends/script_support.h"

#include <algorithm>

#include "compiler/ir/internal_error.h"
#include "compiler/ir/version.h"

namespace apc::backends::sh {

namespace {

bool isBareSafe(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '.' || c == '/' || c == ':' || c == ',' || c == '+' || c == '=' ||
         c == '@' || c == '%' || c == '-';
}

constexpr std::string_view kBase = R"SH(
apc_err() {
  printf '%s: %s\n' "$APC_SCRIPT" "$*" >&2
}

apc_die() {
  apc_err "$@"
  exit 1
}

apc_read() {
  local out
  if ! out=$(cat -- "$1" 2>&1); then
    apc_err "cannot read $1: ${out##*: }"
    return 1
  fi
  printf '%s' "$out"
}
)SH";

constexpr std::string_view kArgs = R"SH(

# The only arguments: --dry-run (read the live state, print each write this
# run would make, change nothing) and --help. Anything else is refused.
APC_DRY=0
apc_args() {
  local arg
  for arg in "$@"; do
    case $arg in
      --dry-run) APC_DRY=1 ;;
      -h | --help)
        printf 'usage: %s [--dry-run]\n' "$APC_SCRIPT"
        exit 0
        ;;
      *)
        apc_err "unknown argument '$arg' (usage: $APC_SCRIPT [--dry-run])"
        exit 2
        ;;
    esac
  done
}
)SH";

constexpr std::string_view kLock = R"SH(
# s390-tools (zdev, ap-check) serialise AP changes on this lock; fd 9 keeps
# it until the script exits.
apc_lock() {
  exec 9>>"$APC_LOCK_FILE" || apc_die "cannot open the lock file $APC_LOCK_FILE"
  flock -w 60 9 || apc_die "another tool holds $APC_LOCK_FILE (waited 60 s)"
}
)SH";

constexpr std::string_view kJournal = R"SH(
# One write(2) of "$2\n", as `echo VALUE > PATH` does, by this shell itself
# (a signal sent to the script reaches the writer); sysfs reports the
# kernel's errno on it, which bash prints as "...: write error: <text>".
APC_ERRF=$(mktemp "${TMPDIR:-/tmp}/apc.XXXXXX") || apc_die "cannot create a temporary file"
trap 'rm -f -- "$APC_ERRF"' EXIT
apc_write() {
  if { printf '%s\n' "$2" >"$1"; } 2>"$APC_ERRF"; then
    return 0
  fi
  local out
  out=$(<"$APC_ERRF")
  apc_err "writing '$2' to $1 failed: ${out##*: }"
  return 1
}

# The undo journal: (path, value) writes that reverse this run's steps.
APC_UNDO_PATHS=()
APC_UNDO_VALUES=()

apc_journal() {
  [[ $APC_MODE == run ]] || return 0
  APC_UNDO_PATHS+=("$1")
  APC_UNDO_VALUES+=("$2")
}

apc_undo() {
  local i
  for ((i = ${#APC_UNDO_PATHS[@]} - 1; i >= 0; i--)); do
    apc_write "${APC_UNDO_PATHS[i]}" "${APC_UNDO_VALUES[i]}" ||
      apc_err "undo incomplete: could not write '${APC_UNDO_VALUES[i]}' to ${APC_UNDO_PATHS[i]}"
  done
  APC_UNDO_PATHS=()
  APC_UNDO_VALUES=()
}

apc_rollback() {
  if ((${#APC_UNDO_PATHS[@]} > 0)); then
    apc_err "undoing the ${#APC_UNDO_PATHS[@]} change(s) this run made"
  fi
  apc_undo
  exit 1
}

# SIGINT, SIGTERM, SIGHUP: the write in flight finishes (a signal during a
# step is only noted), then this run's changes are undone and the script
# exits 128 + the signal number. Further signals cannot stop the undo.
APC_SIGNAL=
APC_IN_STEP=0
apc_on_signal() {
  if ((APC_IN_STEP)); then
    APC_SIGNAL=$1
  else
    apc_interrupted "$1"
  fi
}

apc_interrupted() {
  local code
  trap '' INT TERM HUP
  case $1 in INT) code=130 ;; HUP) code=129 ;; *) code=143 ;; esac
  if [[ $APC_MODE != run ]]; then
    apc_err "interrupted by SIG$1; nothing was changed"
  elif ((${#APC_UNDO_PATHS[@]} > 0)); then
    apc_err "interrupted by SIG$1: undoing the ${#APC_UNDO_PATHS[@]} change(s) this run made"
    apc_undo
    apc_err "interrupted: the changes of this run are undone; run $APC_SCRIPT again to finish"
  else
    apc_err "interrupted by SIG$1 before any change; run $APC_SCRIPT again"
  fi
  exit "$code"
}
trap 'apc_on_signal INT' INT
trap 'apc_on_signal TERM' TERM
trap 'apc_on_signal HUP' HUP

# Every write goes through apc_step, in one of three modes: "count" (a silent
# pass that only tallies, for the summary printed before acting), "dry"
# (--dry-run: prints the write) and "run". APC_NEW holds the mdevs this pass
# creates; APC_VA/VD/VC what a count or dry pass has made of an mdev so far.
APC_MODE=run
APC_ON_FAIL=rollback
declare -A APC_NEW=() APC_CHANGED=() APC_VA=() APC_VD=() APC_VC=() APC_GONE=()
APC_N_WRITES=0 APC_N_CREATE=0 APC_N_REMOVE=0 APC_N_CHANGE=0 APC_N_MASK=0 APC_N_BIND=0

apc_tally() {
  local u
  APC_N_WRITES=$((APC_N_WRITES + 1))
  case $1 in
    "$APC_CREATE")
      APC_N_CREATE=$((APC_N_CREATE + 1))
      APC_NEW[$2]=1
      ;;
    */remove) APC_N_REMOVE=$((APC_N_REMOVE + 1)) ;;
    */bus/ap/a[pq]mask) APC_N_MASK=$((APC_N_MASK + 1)) ;;
    */bind | */unbind) APC_N_BIND=$((APC_N_BIND + 1)) ;;
    *)
      u=${1#"$APC_PARENT"/}
      u=${u%%/*}
      if [[ -z ${APC_NEW[$u]:-} && -z ${APC_CHANGED[$u]:-} ]]; then
        APC_CHANGED[$u]=1
        APC_N_CHANGE=$((APC_N_CHANGE + 1))
      fi
      ;;
  esac
}

# "create 3 mdevs, change 2, 2 mask writes: 41 writes"
apc_tally_text() {
  local t=
  ((APC_N_CREATE == 0)) || t+=", create $APC_N_CREATE mdev(s)"
  ((APC_N_REMOVE == 0)) || t+=", remove $APC_N_REMOVE mdev(s)"
  ((APC_N_CHANGE == 0)) || t+=", change $APC_N_CHANGE mdev(s)"
  ((APC_N_MASK == 0)) || t+=", $APC_N_MASK mask write(s)"
  ((APC_N_BIND == 0)) || t+=", $APC_N_BIND driver bind/unbind(s)"
  if ((APC_N_WRITES == 0)); then
    printf 'nothing to change: 0 writes'
  else
    printf '%s: %d write(s)' "${t:2}" "$APC_N_WRITES"
  fi
}

apc_tally_reset() {
  APC_NEW=() APC_CHANGED=() APC_VA=() APC_VD=() APC_VC=() APC_GONE=()
  APC_N_WRITES=0 APC_N_CREATE=0 APC_N_REMOVE=0 APC_N_CHANGE=0 APC_N_MASK=0 APC_N_BIND=0
}

# apc_step PATH VALUE [UNDO_PATH UNDO_VALUE]: one write, and what undoes it.
# On failure: rollback (or, with APC_ON_FAIL=continue, return 1).
apc_step() {
  apc_tally "$1" "$2"
  case $APC_MODE in
    count) return 0 ;;
    dry)
      printf 'would write %s to %s\n' "$2" "$1"
      return 0
      ;;
  esac
  local ok=0
  APC_IN_STEP=1
  if apc_write "$1" "$2"; then
    ok=1
    (($# < 4)) || apc_journal "$3" "$4"
  fi
  APC_IN_STEP=0
  [[ -z $APC_SIGNAL ]] || apc_interrupted "$APC_SIGNAL"
  ((ok)) && return 0
  [[ $APC_ON_FAIL == continue ]] && return 1
  apc_rollback
}

apc_do() {
  apc_step "$@"
}

# Runs the function $1 (every write of this script, each guarded by what the
# live state already has) three times over: counting, to say what will happen;
# then printing (--dry-run) or writing; then says what it did. APC_FAILED:
# set by a script whose run will stop short (teardown.sh: a held mdev stays).
APC_FAILED=0
apc_run() {
  APC_MODE=count
  "$1"
  printf '%s: to do: %s\n' "$APC_SCRIPT" "$(apc_tally_text)"
  apc_tally_reset
  if ((APC_DRY)); then
    APC_MODE=dry
    "$1"
    printf '%s: dry run: nothing was changed\n' "$APC_SCRIPT"
    # The dry run's exit status is the real run's as far as it is known.
    ((APC_FAILED == 0)) || exit 1
    exit 0
  fi
  APC_MODE=run
  "$1"
  printf '%s: done: %s\n' "$APC_SCRIPT" "$(apc_tally_text)"
}
)SH";

constexpr std::string_view kMdev = R"SH(
# mdev $1's adapters, domains and control domains into APC_A, APC_D, APC_C as
# " 5 6 " (decimal). A matrix line is "aa.dddd", "aa." (adapters only) or
# ".dddd" (domains only). In a count or dry pass, what that pass made of it.
apc_mdev_read() {
  local dir=$APC_PARENT/$1 m c line a d
  APC_A=' ' APC_D=' ' APC_C=' '
  if [[ $APC_MODE != run && -n ${APC_VA[$1]+set} ]]; then
    APC_A=${APC_VA[$1]} APC_D=${APC_VD[$1]} APC_C=${APC_VC[$1]}
    return 0
  fi
  [[ -d $dir ]] || return 0
  m=$(apc_read "$dir/matrix") || return 1
  c=$(apc_read "$dir/control_domains") || return 1
  while read -r line; do
    [[ $line =~ ^([0-9a-f]*)\.([0-9a-f]*)$ ]] || continue
    a=${BASH_REMATCH[1]} d=${BASH_REMATCH[2]}
    [[ -z $a || $APC_A == *" $((16#$a)) "* ]] || APC_A+="$((16#$a)) "
    [[ -z $d || $APC_D == *" $((16#$d)) "* ]] || APC_D+="$((16#$d)) "
  done <<<"$m"
  while read -r line; do
    [[ ! $line =~ ^[0-9a-f]+$ ]] || APC_C+="$((16#$line)) "
  done <<<"$c"
}

# True when every ID of the list $1 ("5 6") is in the set $2 (" 5 6 7 ").
apc_subset() {
  local id
  for id in $1; do
    [[ $2 == *" $id "* ]] || return 1
  done
}

# The mask "0x" + 64 hex digits (MSB-0) with the IDs $2.. set, into variable $1.
apc_mask_of() {
  local -a nibs=()
  local id i out=0x
  for ((i = 0; i < 64; i++)); do nibs[i]=0; done
  for id in "${@:2}"; do nibs[id / 4]=$((nibs[id / 4] | (8 >> (id % 4)))); done
  printf -v i '%x' "${nibs[@]}"
  printf -v "$1" '%s' "$out$i"
}

# One assign ($2 = +) or unassign ($2 = -) of ID $4 on mdev $1: $3 is 0 for
# an adapter, 1 a domain, 2 a control domain. An mdev this run created is
# undone by its removal, so its assigns are not journaled.
apc_mdev_id() {
  local dir=$APC_PARENT/$1 v
  local -a attrs=(adapter domain control_domain)
  local to=assign_${attrs[$3]} back=unassign_${attrs[$3]}
  [[ $2 == + ]] || { to=unassign_${attrs[$3]} back=assign_${attrs[$3]}; }
  printf -v v '0x%x' "$4"
  if [[ -n ${APC_NEW[$1]:-} ]]; then
    apc_step "$dir/$to" "$v"
  else
    apc_step "$dir/$to" "$v" "$dir/$back" "$v"
  fi
}

# apc_mdev_edit UUID add|drop|move ADAPTERS DOMAINS CONTROL [EARLY_A EARLY_D]:
# gives mdev UUID the listed IDs it lacks (add), takes the listed IDs it has
# (drop), or makes its matrix exactly the listed one (move: migrate.sh's one
# step per guest). On a kernel with `ap_config` (6.10+) an existing mdev
# changes in one write, so a running guest never sees a half-changed matrix.
# Otherwise one assign or unassign per ID; a move then assigns first the new
# control domains (no queue check refuses those) and, on hot-plug kernels,
# the new adapters EARLY_A and domains EARLY_D (migrate.sh lists those whose
# extra queues are free at that point), then unassigns what the mdev loses,
# then assigns the rest: a queue the guest keeps is never taken from it.
apc_mdev_edit() {
  local u=$1 op=$2 dir=$APC_PARENT/$1 id i old new
  local -a lists=("$3" "$4" "$5") have want
  apc_mdev_read "$u" || apc_rollback
  have=("$APC_A" "$APC_D" "$APC_C")
  want=("${have[@]}")
  [[ $op != move ]] || want=(' ' ' ' ' ')
  for i in 0 1 2; do
    for id in ${lists[i]}; do
      if [[ $op == drop ]]; then
        want[i]=${want[i]/ $id / }
      else
        [[ ${want[i]} == *" $id "* ]] || want[i]+="$id "
      fi
    done
  done
  local same=1
  for i in 0 1 2; do
    if ! apc_subset "${want[i]}" "${have[i]}" || ! apc_subset "${have[i]}" "${want[i]}"; then same=0; fi
  done
  ((same == 0)) || return 0
  if [[ $APC_MODE != run ]]; then
    APC_VA[$u]=${want[0]} APC_VD[$u]=${want[1]} APC_VC[$u]=${want[2]}
  fi
  if [[ -z ${APC_NEW[$u]:-} && -e $dir/ap_config ]]; then
    local oa oq oc na nq nc
    # shellcheck disable=SC2086 # the lists are IDs, split on purpose
    {
      apc_mask_of oa ${have[0]}
      apc_mask_of oq ${have[1]}
      apc_mask_of oc ${have[2]}
      apc_mask_of na ${want[0]}
      apc_mask_of nq ${want[1]}
      apc_mask_of nc ${want[2]}
    }
    old=$oa,$oq,$oc new=$na,$nq,$nc
    apc_step "$dir/ap_config" "$new" "$dir/ap_config" "$old"
    return 0
  fi
  if [[ $op == move ]]; then
    local -a early=("${6:-}" "${7:-}" "$5")
    # Only hot-plug kernels (guest_matrix) take an extra queue while running.
    [[ -e $dir/guest_matrix ]] || early=('' '' "$5")
    for i in 2 0 1; do
      for id in ${early[i]}; do
        [[ ${have[i]} == *" $id "* ]] || apc_mdev_id "$u" + "$i" "$id"
      done
    done
    for i in 0 1 2; do
      for id in ${have[i]}; do
        [[ ${want[i]} == *" $id "* ]] || apc_mdev_id "$u" - "$i" "$id"
      done
    done
    for i in 0 1; do
      for id in ${want[i]}; do
        [[ ${have[i]} == *" $id "* || " ${early[i]} " == *" $id "* ]] || apc_mdev_id "$u" + "$i" "$id"
      done
    done
    return 0
  fi
  for i in 0 1 2; do
    for id in ${lists[i]}; do
      if [[ $op == add ]]; then
        [[ ${have[i]} != *" $id "* ]] || continue
        apc_mdev_id "$u" + "$i" "$id"
      else
        [[ ${have[i]} == *" $id "* ]] || continue
        apc_mdev_id "$u" - "$i" "$id"
      fi
    done
  done
}

# Creates mdev $1 unless it exists (then it is the plan's own, perhaps half
# done by an interrupted run: apc_mdev_edit completes it).
apc_mdev_create() {
  [[ $APC_MODE == run && -d $APC_PARENT/$1 ]] && return 0
  [[ $APC_MODE != run && -d $APC_PARENT/$1 && -z ${APC_GONE[$1]:-} ]] && return 0
  apc_step "$APC_CREATE" "$1" "$APC_PARENT/$1/remove" 1
}

# Removes mdev $1 if it exists; the undo re-creates it with what it holds now.
apc_mdev_remove() {
  local u=$1 dir=$APC_PARENT/$1 id v
  [[ -d $dir && -z ${APC_GONE[$u]:-} ]] || return 0
  apc_mdev_read "$u" || apc_rollback
  [[ $APC_MODE == run ]] || APC_GONE[$u]=1
  apc_step "$dir/remove" 1 || return 1
  # The journal replays newest first: the assigns, newest first, then the create.
  for id in $APC_C; do printf -v v '0x%x' "$id"; apc_journal "$dir/assign_control_domain" "$v"; done
  for id in $APC_D; do printf -v v '0x%x' "$id"; apc_journal "$dir/assign_domain" "$v"; done
  for id in $APC_A; do printf -v v '0x%x' "$id"; apc_journal "$dir/assign_adapter" "$v"; done
  apc_journal "$APC_CREATE" "$u"
}
)SH";

constexpr std::string_view kMasks = R"SH(
# Bit $2 of mask $1 ("0x" + hex digits, MSB-0: ID 0 is the leftmost bit).
apc_mask_bit() {
  local nib=${1:2+$2/4:1}
  [[ -n $nib ]] && (((16#$nib >> (3 - $2 % 4)) & 1))
}
)SH";

constexpr std::string_view kHolder = R"SH(
# Running guests. The kernel is asked first: on 6.0+ a vfio_ap queue's
# `status` reads "in use" while its mdev is attached to a KVM (since 6.8 only
# for queues in the guest's matrix, so the queue asked is one of
# guest_matrix). Then the processes: a holder has the mdev's IOMMU group
# /dev/vfio/N open or, with iommufd, its device cdev /dev/vfio/devices/vfioN
# (the mdev's vfio-dev/vfioN). Every fd under $PROC is read in one pass of
# GNU find (no fork per fd), once per run; a QEMU in another PID namespace is
# not visible there, which is why the kernel's word comes first.
declare -A APC_VFIO_PID=() APC_MDEV_GROUP=() APC_GROUPS_SCANNED=()
APC_PROC_SCANNED=0
apc_proc_scan() {
  local i node pid
  local -a found=()
  ((APC_PROC_SCANNED == 0)) || return 0
  APC_PROC_SCANNED=1
  # Depth 1 keeps only the pid folders, depth 2 only their fd/, depth 3 the
  # fds whose target is under /dev/vfio/: "PID/fd/N" and the target per
  # match, NUL-separated (a file name may hold a newline).
  mapfile -d '' -t found < <(cd -- "$PROC" 2>/dev/null &&
    find . -mindepth 1 -maxdepth 3 \
      \( -path './*/*/*' -lname '/dev/vfio/*' -printf '%P\0%l\0' \) -o \
      \( -path './*/*' \( -name fd -o -prune \) \) -o \
      \( -name '[!0-9]*' -prune \) 2>/dev/null)
  for ((i = 0; i + 1 < ${#found[@]}; i += 2)); do
    pid=${found[i]%%/*}
    node=${found[i + 1]}
    [[ $pid =~ ^[0-9]+$ && -n $node ]] || continue
    if [[ -z ${APC_VFIO_PID[$node]:-} ]] || ((pid < APC_VFIO_PID[$node])); then
      APC_VFIO_PID[$node]=$pid
    fi
  done
}

# The IOMMU group of mdev folder $1 into APC_GROUP: the iommu_group links of
# all mdevs under its parent are read by one find, once per run.
apc_mdev_group() {
  local parent=${1%/*} i link
  local -a found=()
  if [[ -n $parent && -z ${APC_GROUPS_SCANNED[$parent]:-} ]]; then
    APC_GROUPS_SCANNED[$parent]=1
    mapfile -d '' -t found < <(find "$parent" -mindepth 2 -maxdepth 2 -name iommu_group -type l -printf '%h\0%l\0' 2>/dev/null)
    for ((i = 0; i + 1 < ${#found[@]}; i += 2)); do
      [[ -z ${found[i]} ]] || APC_MDEV_GROUP[${found[i]}]=${found[i + 1]##*/}
    done
  fi
  APC_GROUP=${APC_MDEV_GROUP[$1]:-}
  if [[ -z $APC_GROUP ]] && link=$(readlink -- "$1/iommu_group" 2>/dev/null); then
    APC_GROUP=${link##*/}
  fi
  [[ $APC_GROUP =~ ^[0-9]+$ ]]
}

# apc_holder MDEVDIR: true when a running guest holds the mdev; APC_HOLDER
# then names it: "process PID (COMM)", or what the kernel said when no
# process under $PROC has the mdev open.
apc_holder() {
  local dir=$1 node pid comm line status inuse=
  local -a nodes=()
  APC_HOLDER=
  if [[ -r $dir/guest_matrix ]]; then
    while read -r line; do
      [[ $line =~ ^[0-9a-f]{2}\.[0-9a-f]{4}$ ]] || continue
      status=
      { read -r status <"$SYSFS/bus/ap/devices/$line/status"; } 2>/dev/null || true
      [[ $status != "in use" ]] || inuse=$line
      break
    done <"$dir/guest_matrix"
  fi
  apc_proc_scan
  if apc_mdev_group "$dir"; then nodes+=("/dev/vfio/$APC_GROUP"); fi
  for node in "$dir"/vfio-dev/*; do nodes+=("/dev/vfio/devices/${node##*/}"); done
  for node in "${nodes[@]}"; do
    pid=${APC_VFIO_PID[$node]:-}
    [[ -n $pid ]] || continue
    comm='?'
    { read -r comm <"$PROC/$pid/comm"; } 2>/dev/null || true
    APC_HOLDER="process $pid ($comm)"
    return 0
  done
  [[ -n $inuse ]] || return 1
  APC_HOLDER="a running guest (its queue $inuse reads 'in use'; no process under $PROC has the mdev open)"
}
)SH";

constexpr std::string_view kDriver = R"SH(
apc_driver() {
  local link
  link=$(readlink -- "$SYSFS/bus/ap/devices/$1/driver" 2>/dev/null) || link=
  printf '%s' "${link##*/}"
}
)SH";

// Every variable the script reads, in the order the header names them. TMPDIR
// is only read where the journal makes its temporary file.
std::vector<EnvVar> readsFromEnvironment(const Runtime& runtime) {
  std::vector<EnvVar> env;
  if (runtime.sysfs) env.push_back({"SYSFS", "/sys", "the root of every sysfs path"});
  if (runtime.holder) env.push_back({"PROC", "/proc", "where the processes holding an mdev are looked up"});
  if (runtime.lock)
    env.push_back({"APC_LOCK_FILE", "/run/lock/s390apconfig.lock",
                   "the s390-tools lock, held while this script runs"});
  env.insert(env.end(), runtime.env.begin(), runtime.env.end());
  if (runtime.journal) env.push_back({"TMPDIR", "/tmp", "holds one temporary file for the kernel's error text"});
  return env;
}

std::string environmentComment(const std::vector<EnvVar>& env) {
  if (env.empty()) return "# It reads no environment variables.\n";
  std::size_t width = 0;
  for (const EnvVar& v : env) width = std::max(width, v.name.size());
  std::string out = "# Environment (each optional):\n";
  for (const EnvVar& v : env)
    out += "#   " + std::string(v.name) + std::string(width - v.name.size() + 2, ' ') + commentText(v.purpose) +
           (v.fallback.empty() ? std::string(" (unset by default)") : " (default " + commentText(v.fallback) + ")") +
           "\n";
  return out;
}

}  // namespace

std::string quote(std::string_view s) {
  bool bare = !s.empty();
  bool plainQuotes = true;  // '...' works and shellcheck sees no expansion in it
  for (char c : s) {
    APC_BUG_CHECK(c != '\0', "NUL byte in text for a shell script");
    if (!isBareSafe(c)) bare = false;
    if (c == '\'' || c == '$' || c == '`' || c == '\\') plainQuotes = false;
  }
  if (bare) return std::string(s);
  if (plainQuotes) return "'" + std::string(s) + "'";
  // ANSI-C quoting: every byte that could mean something is a \xHH escape.
  std::string out = "$'";
  static const char* kHex = "0123456789abcdef";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f && c != '\'' && c != '$' && c != '`' && c != '\\' && c != '"' && c != '!') {
      out += c;
    } else {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  out += '\'';
  return out;
}

std::string commentText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    out += (u >= 0x20 && u < 0x7f) ? c : '?';
  }
  return out;
}

std::string relativeMaskList(const ir::IdSet& ids, char sign) {
  APC_BUG_CHECK(sign == '+' || sign == '-', "mask sign");
  std::string out;
  for (unsigned i = 0; i < ir::kMaxIds;) {
    if (!ids.test(i)) {
      ++i;
      continue;
    }
    unsigned j = i;
    while (j + 1 < ir::kMaxIds && ids.test(j + 1)) ++j;
    auto term = [&](unsigned v) {
      if (!out.empty()) out += ',';
      out += sign;
      out += std::to_string(v);
    };
    if (j >= i + 2) {
      term(i);
      out += '-' + std::to_string(j);
    } else {
      term(i);
      if (j == i + 1) term(j);
    }
    i = j + 1;
  }
  return out;
}

std::string prologue(const Header& header, const Runtime& runtime) {
  std::string out = "#!/bin/bash\n";
  out += "# " + commentText(header.scriptName) + " for the plan " + commentText(header.planName) +
         ": generated by apc " + kVersion + ". Do not edit; recompile the plan.\n";
  out += "# " + commentText(header.purpose) + "\n";
  std::vector<EnvVar> env = readsFromEnvironment(runtime);
  out += environmentComment(env);
  out += "set -euo pipefail\nshopt -s nullglob\n\n";
  for (const EnvVar& v : env)
    if (v.name != "TMPDIR") out += std::string(v.name) + "=${" + std::string(v.name) + ":-" + std::string(v.fallback) + "}\n";
  out += "APC_SCRIPT=" + quote(header.scriptName) + "\n";
  out += kBase;
  if (runtime.args) out += kArgs;
  if (runtime.lock) out += kLock;
  if (runtime.journal) out += kJournal;
  if (runtime.mdev) out += kMdev;
  if (runtime.masks) out += kMasks;
  if (runtime.holder) out += kHolder;
  if (runtime.driver) out += kDriver;
  return out;
}

}  // namespace apc::backends::sh
