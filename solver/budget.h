// One budget per whole solve (issue 10, item 3: "no plan runs longer than
// 10 s before an answer"). Each search phase draws from one pool shared by
// every component and by the lock re-attempts, so ten hard components cost
// what one does, not ten times as much. Every unit is counted work (greedy
// look-ups, colouring-search nodes, local-search evaluations, Z3's rlimit),
// never wall-clock time, so the answer is the same bytes on every machine.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

namespace apc::solver {

// A pool of work units: what may be spent in total and what has been.
class WorkBudget {
 public:
  WorkBudget() = default;
  explicit WorkBudget(std::uint64_t total) : total_(total) {}

  std::uint64_t total() const { return total_; }
  std::uint64_t spent() const { return spent_; }
  std::uint64_t left() const { return spent_ >= total_ ? 0 : total_ - spent_; }
  bool exhausted() const { return spent_ >= total_; }
  // What one call may spend: what is left, or `cap` when that is smaller.
  std::uint64_t grant(std::uint64_t cap) const { return std::min(cap, left()); }
  // Work done (a call may overshoot its grant by one step; that is counted too).
  void charge(std::uint64_t units) { spent_ = units > UINT64_MAX - spent_ ? UINT64_MAX : spent_ + units; }

 private:
  std::uint64_t total_ = 0;
  std::uint64_t spent_ = 0;
};

// The caps a single call may take from a pool (the old per-component
// budgets), so one component cannot starve the rest when totals are large.
struct BudgetCaps {
  // Candidate queue look-ups (sum over guests of candidate adapters x
  // candidate domains per pass): a 16x48 tight plan gets thousands of
  // restarts, a 1000-guest 256x256 one a few dozen.
  std::uint64_t greedyPerComponent = 250'000'000;
  // Colouring-search units (solver/decide/): 600M took 5 s on Mycielski M_7
  // on 6 adapters, which ends in E204.
  std::uint64_t decidePerComponent = 300'000'000;
  // Local-search evaluations weighted by the adapters and neighbours they
  // look at: 40M is about 1 s on a 1000-guest 256 x 256 component. A
  // component Z3 can take whole gets a sixteenth (solve.cpp).
  std::uint64_t localSearchPerComponent = 40'000'000;
  std::uint64_t z3PerCheck = 50'000'000;     // Z3 rlimit of one check() call
  std::uint64_t z3ConflictsPerCheck = 20'000;  // SAT conflicts of one check() (0: no cap)
};

// What a whole solve may spend per phase (SolveOptions::budget). Measured
// with bench_solver_worst on the worst families (see solver/README.md):
// together about 10 s of CPU at most on one core of the reference machine.
struct BudgetTotals {
  std::uint64_t greedy = 250'000'000;
  std::uint64_t decide = 300'000'000;
  std::uint64_t localSearch = 60'000'000;
  std::uint64_t z3 = 40'000'000;
  std::uint64_t z3Conflicts = 40'000;
  BudgetCaps caps;
};

// The pools of one solve, by phase.
struct SolveBudgets {
  SolveBudgets() = default;
  explicit SolveBudgets(const BudgetTotals& t)
      : greedy(t.greedy), decide(t.decide), localSearch(t.localSearch), z3(t.z3), z3Conflicts(t.z3Conflicts),
        caps(t.caps) {}

  WorkBudget greedy;       // candidate queue look-ups over the greedy's restarts
  WorkBudget decide;       // colouring-search work units (solver/decide/)
  WorkBudget localSearch;  // min-conflicts evaluations (local_search.cpp) and the objective's local passes
  WorkBudget z3;           // Z3 rlimit units over every check (components, subproblems, objective)
  // Z3's SAT conflicts over every check: rlimit bounds time badly (Mycielski
  // M_6 on 5 adapters, one guest on 2: 13.9M rlimit took 51 s of CPU), the
  // conflict count well (20k conflicts: 1.6 s), so both pools bound Z3.
  WorkBudget z3Conflicts;
  BudgetCaps caps;

  // The share of what is left that a first attempt may spend, so the lock
  // re-attempts (solve.cpp) still have something: `num/den` of each pool.
  SolveBudgets portion(std::uint64_t num, std::uint64_t den) const;
  // Charges what `part` (a portion of this) spent.
  void absorb(const SolveBudgets& part);
  // "greedy 1.2M of 600M look-ups, ...": every pool's spend (logs, benches).
  std::string spentText() const;
  // The pools that ran dry with their totals ("the colouring search (450M
  // units) and Z3 (60M rlimit)"), or "" (for E204).
  std::string exhaustedText() const;
};

}  // namespace apc::solver
