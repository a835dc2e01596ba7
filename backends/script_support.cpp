// The bash runtime every generated script starts with, and the quoting rules
// that keep plan text data. The runtime text is fixed: only the header
// comment lines carry (sanitised) plan text.
#include "backends/script_support.h"

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

# One write(2) of "$2\n", as `echo VALUE > PATH` does; sysfs reports the
# kernel's errno on it, which bash prints as "...: write error: <text>".
apc_write() {
  local out
  if out=$({ printf '%s\n' "$2" >"$1"; } 2>&1); then
    return 0
  fi
  apc_err "writing '$2' to $1 failed: ${out##*: }"
  return 1
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
# The undo journal: (path, value) writes that reverse this run's steps.
APC_UNDO_PATHS=()
APC_UNDO_VALUES=()

apc_journal() {
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

apc_step() {
  apc_write "$1" "$2" || apc_rollback
}

apc_do() {
  apc_step "$1" "$2"
  apc_journal "$3" "$4"
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
# A running guest holds an mdev when a process has its VFIO group open.
apc_holder() {
  local link group fd pid comm
  local -a fds
  link=$(readlink -- "$1/iommu_group") || return 1
  group=${link##*/}
  [[ $group =~ ^[0-9]+$ ]] || return 1
  fds=("$PROC"/[0-9]*/fd/*)
  for fd in "${fds[@]}"; do
    if [[ $(readlink -- "$fd" 2>/dev/null) == "/dev/vfio/$group" ]]; then
      pid=${fd#"$PROC"/}
      pid=${pid%%/*}
      comm=$(cat -- "$PROC/$pid/comm" 2>/dev/null) || comm='?'
      printf '%s (%s)\n' "$pid" "$comm"
      return 0
    fi
  done
  return 1
}
)SH";

constexpr std::string_view kDriver = R"SH(
apc_driver() {
  local link
  link=$(readlink -- "$SYSFS/bus/ap/devices/$1/driver" 2>/dev/null) || link=
  printf '%s' "${link##*/}"
}
)SH";

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
  out += "# Every path is under SYSFS (default /sys); PROC (default /proc) is where\n"
         "# holders of mdevs are looked up; APC_LOCK_FILE overrides the s390-tools lock.\n";
  out += "set -euo pipefail\nshopt -s nullglob\n\n";
  out += "SYSFS=${SYSFS:-/sys}\n";
  if (runtime.holder) out += "PROC=${PROC:-/proc}\n";
  if (runtime.lock) out += "APC_LOCK_FILE=${APC_LOCK_FILE:-/run/lock/s390apconfig.lock}\n";
  out += "APC_SCRIPT=" + quote(header.scriptName) + "\n";
  out += kBase;
  if (runtime.lock) out += kLock;
  if (runtime.journal) out += kJournal;
  if (runtime.masks) out += kMasks;
  if (runtime.holder) out += kHolder;
  if (runtime.driver) out += kDriver;
  return out;
}

}  // namespace apc::backends::sh
