// Shared helpers for every generated host script (apply/teardown/verify.sh and
// the queries' migrate.sh): shell quoting, comment sanitising, and a prologue
// that defines a small bash runtime (sysfs roots, flock, checked writes, undo).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/id_set.h"

namespace apc::backends::sh {

// One shell word holding exactly `s`: bare when every byte is in
// [A-Za-z0-9_./:,+=@%-] (and s is not empty); else '...' when s holds no
// ', $, ` or \; else bash's $'...' with those bytes (and every control or
// non-ASCII byte, and " and !) as \xHH escapes. No plan text may reach a
// script except through this.
// NUL cannot be represented in bash and is an internal error.
std::string quote(std::string_view s);

// Text safe inside a `# ...` comment line: printable ASCII kept, everything
// else (newline, CR, other control bytes, non-ASCII) becomes '?', so no plan
// string can end the comment and start a command.
std::string commentText(std::string_view s);

// A relative mask write for bus/ap/apmask or aqmask: `sign` is '+' or '-',
// IDs in decimal, runs of 3 or more as `+N-M`, terms joined by ','. An empty
// set gives "" (write nothing: the kernel would clear the mask on "").
std::string relativeMaskList(const ir::IdSet& ids, char sign);

// Which runtime functions a script needs (shellcheck flags functions that are
// defined but never called, so each script asks only for what it uses).
// A variable a script reads from the environment beyond the runtime's own
// (SYSFS, PROC, APC_LOCK_FILE, TMPDIR): defined in the prologue as
// NAME=${NAME:-fallback} and named in the header with what it is for.
struct EnvVar {
  std::string_view name;      // e.g. "APC_MDEVCTL_DIR"
  std::string_view fallback;  // its default, e.g. "/etc/mdevctl.d"
  std::string_view purpose;   // one short phrase for the header comment
};

struct Runtime {
  bool sysfs = true;    // SYSFS: the root of every sysfs path (false: the script reads none)
  bool lock = true;     // apc_lock: flock on $APC_LOCK_FILE (fd 9)
  bool args = false;    // apc_args: --dry-run (APC_DRY=1), --help; refuses others
  bool journal = true;  // apc_do / apc_step / apc_journal / apc_undo / apc_rollback
  bool masks = false;   // apc_mask_bit
  bool maskGuard = false;  // apc_guard_scan / apc_mask_ids / apc_mask_guard (needs masks, mdev)
  bool holder = false;  // apc_holder: whether (and which process) a running guest holds an mdev
  bool driver = false;  // apc_driver: the driver a queue is bound to
  bool mdev = false;    // apc_mdev_read / _edit / _create / _remove (needs journal)
  std::vector<EnvVar> env;  // further variables the script reads
};

struct Header {
  std::string_view scriptName;  // "apply.sh": also the prefix of every message
  std::string_view purpose;     // one line; sanitised into a comment
  std::string_view planName;    // the plan file's base name; sanitised
};

// The top of a script: shebang, what it is, a header naming exactly the
// environment variables it reads (derived from `runtime`, so it cannot name
// one the script ignores), `set -euo pipefail`, the roots it uses
//   SYSFS=${SYSFS:-/sys} (sysfs)  PROC=${PROC:-/proc} (holder)
//   APC_LOCK_FILE=${APC_LOCK_FILE:-/run/lock/s390apconfig.lock} (lock)
// then runtime.env, and the runtime functions asked for. The functions (bash; every argument is
// data, never evaluated):
//   apc_err MSG...            "<script>: MSG" on stderr
//   apc_die MSG...            apc_err, then exit 1 (no undo: use before changes)
//   apc_read PATH             prints the file's content (trailing newlines
//                             stripped); on failure reports PATH and the error
//   apc_write PATH VALUE      one write of "VALUE\n" (as `echo VALUE > PATH`);
//                             on failure prints PATH, VALUE and the kernel's
//                             error text ("Address already in use") and returns 1
//   apc_lock                  opens $APC_LOCK_FILE on fd 9 and flocks it (held
//                             until exit; waits at most 60 s)
//   apc_journal PATH VALUE    remember that writing VALUE to PATH undoes a step
//   apc_undo                  replays the journal newest first (best effort,
//                             each failure reported) and empties it
//   apc_rollback              apc_undo, then exit 1
//   apc_step PATH VALUE       apc_write or apc_rollback (no undo entry: for
//                             steps undone by an earlier entry, e.g. assigns
//                             inside an mdev this run created)
//   apc_do PATH VALUE UPATH UVALUE   apc_step, then apc_journal UPATH UVALUE
//   apc_mask_bit MASK ID      true when bit ID (MSB-0) is set in MASK (0x+hex)
//   apc_holder MDEVDIR        true when a running guest holds the mdev: its
//                             queue `status` reads "in use" (6.0+), or a
//                             process under $PROC has its /dev/vfio/<group> or
//                             /dev/vfio/devices/vfioN open (one pass of find
//                             over $PROC per run); APC_HOLDER then says who:
//                             "process PID (COMM)" or the kernel's word
//   apc_driver QUEUE          prints the driver queue QUEUE ("05.0004") is bound
//                             to (basename of its driver link), "" when unbound
std::string prologue(const Header& header, const Runtime& runtime);

}  // namespace apc::backends::sh
