// The order in which migrate.sh moves its guests. Each changed or added guest
// goes from its old matrix to its new one in one step, so a running guest
// never holds a half-changed matrix. A step may only give a guest queues no
// other mdev holds at that moment (the kernel refuses a queue in two mdevs),
// so a guest that gains queues another guest gives up moves after that guest.
// A cycle (A gains B's queues and B gains A's) has no such order: there the
// first guest of the cycle in change-list order first drops what it loses
// (one extra write), which frees its queues, and moves to its new matrix later.
#pragma once

#include <cstddef>
#include <vector>

#include "compiler/ir/id_set.h"

namespace apc::migrate {

// A guest that changes, as matrices: before is empty for an added guest.
// Its queues are adapters x domains (control domains never conflict).
struct MovingGuest {
  ir::IdSet beforeAdapters, beforeDomains;
  ir::IdSet afterAdapters, afterDomains;
};

enum class StepKind {
  Drop,  // the guest gives up what it loses, keeps the rest: breaks a cycle
  Move,  // the guest takes its whole new matrix
};

struct OrderStep {
  StepKind kind = StepKind::Move;
  std::size_t guest = 0;  // index into the input
  // Drop: the guests of the cycle it breaks (ascending, the guest included).
  std::vector<std::size_t> cycle;
};

// Every guest gets exactly one Move; Drops only break genuine cycles. Among
// the guests free to move, the first in input order goes first, so the same
// input gives the same order. The new matrices must be pairwise disjoint (a
// solved plan's are); the old ones are a configuration that once held.
std::vector<OrderStep> orderMoves(const std::vector<MovingGuest>& guests);

}  // namespace apc::migrate
