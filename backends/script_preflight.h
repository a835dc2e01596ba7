// Host-safety and kernel-generation checks that apply.sh and migrate.sh run
// before their first write (also in --dry-run): the host's own use of the AP
// queues a script takes, and what the running kernel can do. Each refusal
// names the queue, domain or mdev and what the admin can do about it.
#pragma once

#include <string>
#include <vector>

#include "backends/script_support.h"

namespace apc::backends::sh {

// Bash functions (fixed text; needs the prologue's apc_read/apc_err/apc_die,
// apc_mask_bit when modern, apc_driver when legacy, apc_holder and
// apc_mdev_read/apc_subset for the hot-plug check):
//   apc_safe_masks APM AQM   modern: the live masks would become APM/AQM.
//       Refuses (a) any mask change while a queue has a non-empty
//       driver_override (6.19: every apmask/aqmask write is EINVAL then);
//       (b) clearing the aqmask bit of zcrypt's default domain
//       (bus/ap/ap_domain; -1 or absent = none) unless
//       APC_TAKE_DEFAULT_DOMAIN names that domain (decimal or 0x hex);
//       (c) taking from the host a queue with requests in flight
//       (requestq_count/pendingq_count non-zero) unless APC_TAKE_BUSY_QUEUES
//       is 1 or lists the queue (space separated).
//   apc_safe_queues Q...     legacy: the queues Q move to vfio_ap; (b) when no
//       queue of the default domain stays with cex4queue, and (c).
//   apc_safe_edit UUID NAME A D C   the script will give mdev UUID the matrix
//       A/D/C (decimal ID lists): on a kernel without AP hot plug (no mdev
//       `guest_matrix`: before 6.0, and the legacy interface) an mdev a
//       running guest holds cannot change (EBUSY): refuse, "stop the guest".
//   apc_safe_verdict         exits 1 ("nothing was changed") after any refusal.
// `edits`: include apc_safe_edit (only for scripts that call it: shellcheck
// flags a function nothing calls).
std::string preflightRuntime(bool modern, bool edits);

// The variables preflightRuntime's functions read, for the script's header.
std::vector<EnvVar> preflightEnv();

}  // namespace apc::backends::sh
