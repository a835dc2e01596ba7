// What apply.sh, teardown.sh and verify.sh share: the per-plan data block
// (parent paths, queues, expected mdev contents) and per-guest comment lines.
#pragma once

#include <string>

#include "backends/script_support.h"
#include "compiler/ir/solved_plan.h"

namespace apc::backends::scripts {

// Bash assignments every script starts from, after the prologue:
//   APC_PARENT, APC_CREATE          the matrix parent and its create file
//   APC_APMASK, APC_AQMASK          the planned host masks (modern only)
//   APC_QUEUES=(...)                every guest queue, ascending
//   APC_UUIDS=(...)                 every guest's UUID, plan order
//   APC_OWNER[queue]=uuid           which mdev each queue goes to
//   APC_NAME[uuid]=guest name       for messages only (always quoted data)
//   APC_MATRIX[uuid], APC_CONTROL[uuid]   the expected `matrix` and
//                                   `control_domains` text, trailing newline cut
//   APC_WANT_A/D/C[uuid]            its adapters, domains and control domains
//                                   as decimal IDs ("5 6"), for apc_mdev_edit
//                                   (only `withIds`)
std::string dataBlock(const ir::SolvedPlan& solved, bool withIds = true);

// Where apply.sh records the mask bits it cleared and teardown.sh reads them
// (modern only). Under /run: masks reset at boot, and so does the record.
inline constexpr sh::EnvVar kStateDir{"APC_STATE_DIR", "/run/apc",
                                      "where apply.sh records the mask bits it cleared, for teardown.sh"};

// APC_CLEAR_AP=(...) and APC_CLEAR_AQ=(...): the IDs whose bit the planned
// host masks clear, decimal ascending (modern only).
std::string clearedIdsBlock(const ir::SolvedPlan& solved);

// "# Guest NAME: adapters ..; domains ..; control domains .." (sanitised).
std::string guestComment(const ir::SolvedPlan& solved, std::size_t g);

// `"$APC_PARENT"/<uuid>/<attr>` as one safe shell word.
std::string mdevPath(const std::string& uuid, const std::string& attr);

bool isModern(const ir::SolvedPlan& solved);

std::string applyScript(const ir::SolvedPlan& solved);
std::string teardownScript(const ir::SolvedPlan& solved);
std::string verifyScript(const ir::SolvedPlan& solved);

}  // namespace apc::backends::scripts
