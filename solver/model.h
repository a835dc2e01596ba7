// The solver's internal view of a plan: per-guest candidate adapters and
// domains pruned to a fixpoint, the guest-usable queue matrix, and the
// placement state shared by the greedy pass, the Z3 pass and the checks.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/plan_ir.h"
#include "compiler/ir/solved_plan.h"

namespace apc::solver::detail {

using ir::IdSet;

// Calls f(id) for each set bit in ascending order.
template <class F>
void forEachId(const IdSet& s, F&& f) {
  for (std::size_t i = s._Find_first(); i < s.size(); i = s._Find_next(i)) f(static_cast<unsigned>(i));
}

struct Placement {
  IdSet adapters;
  IdSet domains;
};

// One guest as the search sees it. Indices are positions in Plan::guests.
struct GuestSpec {
  std::size_t index = 0;
  unsigned nA = 0;        // adapters the guest holds
  unsigned nD = 0;        // usage domains the guest holds
  bool exactA = false;
  bool exactD = false;
  IdSet candA;            // candidate adapters (after pruning)
  IdSet candD;            // candidate usage domains (after pruning)
  IdSet extraControl;     // control domains beyond the usage domains
  std::vector<std::size_t> apart;  // guests (plan indices) it must share no adapter with
  std::optional<Placement> fixed;  // pinned, fully explicit, or kept from the lock
  std::optional<Placement> preferred;  // its locked matrix (valid alone), tried first
  enum class FixedBy { None, Pinned, Explicit, Lock } fixedBy = FixedBy::None;
};

// Placement state: which queues guests hold and which queues a guest's extra
// control domains put off-limits for every other guest (foreign control).
struct State {
  std::array<IdSet, ir::kMaxIds> owned{};        // per adapter: domains held by a guest
  std::array<IdSet, ir::kMaxIds> controlled{};   // per adapter: extra control domains of holders
  std::array<unsigned, ir::kMaxIds> guestsOn{};  // guests holding each adapter
  std::vector<std::optional<Placement>> placed;  // parallel to Plan::guests

  void place(const GuestSpec& g, const Placement& p, bool denyForeign);
};

struct Model {
  const ir::Plan* plan = nullptr;
  std::array<IdSet, ir::kMaxIds> usable{};  // per adapter: domains a guest may get
  IdSet reservedAdapters;                   // modern: adapters carrying a reserved queue
  IdSet reservedDomains;                    // modern: domains carrying a reserved queue
  std::vector<GuestSpec> guests;            // parallel to Plan::guests
  unsigned maxPerAdapter = 0;               // 0: no limit
  bool denyForeign = true;

  std::size_t usableCount() const;
};

// Builds the usable matrix and each guest's requirement (no pruning yet).
Model buildModel(const ir::Plan& plan);

// Whether a placement meets the guest's own requirement and uses only usable queues.
bool meetsRequirement(const Model& m, const GuestSpec& g, const Placement& p);

// Free domains of adapter a for guest g in state s (usable, unheld, not under
// another guest's control), restricted to g's candidates.
IdSet freeDomainsFor(const Model& m, const State& s, const GuestSpec& g, unsigned a);
// Whether g may take adapter a in state s: capacity, apart partners, and g's
// own extra control domains not held by others on a.
bool adapterOpenFor(const Model& m, const State& s, const GuestSpec& g, unsigned a);

// Prunes g's candidates against state s to a fixpoint: an adapter stays only
// if it has at least nD candidate free domains, a domain only if at least nA
// candidate adapters offer it. Exact axes stay whole (and fail if broken).
// Returns false when the guest can no longer be placed.
bool pruneCandidates(const Model& m, const State& s, GuestSpec& g);

// Whether placing `p` for g conflicts with the placements already in s.
bool compatible(const Model& m, const State& s, const GuestSpec& g, const Placement& p);

}  // namespace apc::solver::detail
