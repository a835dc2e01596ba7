// Portions and wording for the solve's shared work pools (budget.h).
#include "solver/budget.h"

#include <vector>

namespace apc::solver {

namespace {

WorkBudget portionOf(const WorkBudget& b, std::uint64_t num, std::uint64_t den) {
  // left * num / den without overflow: the pools stay far below 2^60.
  return WorkBudget(den == 0 ? 0 : b.left() / den * num + b.left() % den * num / den);
}

// 1234567 -> "1.2M", 950 -> "950": the messages quote magnitudes, not digits.
std::string units(std::uint64_t v) {
  if (v < 10'000) return std::to_string(v);
  const char* suffix = v >= 1'000'000'000 ? "G" : v >= 1'000'000 ? "M" : "k";
  std::uint64_t scale = v >= 1'000'000'000 ? 1'000'000'000 : v >= 1'000'000 ? 1'000'000 : 1'000;
  std::uint64_t tenths = v * 10 / scale;
  std::string out = std::to_string(tenths / 10);
  if (tenths % 10 && tenths < 1000) out += "." + std::to_string(tenths % 10);
  return out + suffix;
}

}  // namespace

SolveBudgets SolveBudgets::portion(std::uint64_t num, std::uint64_t den) const {
  SolveBudgets p;
  p.greedy = portionOf(greedy, num, den);
  p.decide = portionOf(decide, num, den);
  p.localSearch = portionOf(localSearch, num, den);
  p.z3 = portionOf(z3, num, den);
  p.z3Conflicts = portionOf(z3Conflicts, num, den);
  p.caps = caps;
  return p;
}

void SolveBudgets::absorb(const SolveBudgets& part) {
  greedy.charge(part.greedy.spent());
  decide.charge(part.decide.spent());
  localSearch.charge(part.localSearch.spent());
  z3.charge(part.z3.spent());
  z3Conflicts.charge(part.z3Conflicts.spent());
}

std::string SolveBudgets::spentText() const {
  auto one = [](const char* name, const WorkBudget& b, const char* unit) {
    return std::string(name) + " " + units(b.spent()) + " of " + units(b.total()) + " " + unit;
  };
  return one("greedy", greedy, "look-ups") + ", colouring search " + units(decide.spent()) + " of " +
         units(decide.total()) + " units, " + one("local search", localSearch, "units") + ", " +
         one("Z3", z3, "rlimit") + ", " + one("Z3", z3Conflicts, "conflicts");
}

std::string SolveBudgets::exhaustedText() const {
  // Totals, not spends: they are constants of the build, so the words are
  // the same on every machine and with every Z3 build.
  std::vector<std::string> dry;
  if (greedy.exhausted()) dry.push_back("the greedy (" + units(greedy.total()) + " look-ups)");
  if (decide.exhausted()) dry.push_back("the colouring search (" + units(decide.total()) + " units)");
  if (localSearch.exhausted()) dry.push_back("the local search (" + units(localSearch.total()) + " units)");
  if (z3.exhausted()) dry.push_back("Z3 (" + units(z3.total()) + " rlimit)");
  if (z3Conflicts.exhausted()) dry.push_back("Z3 (" + units(z3Conflicts.total()) + " conflicts)");
  std::string out;
  for (std::size_t i = 0; i < dry.size(); ++i)
    out += (i == 0 ? "" : i + 1 == dry.size() ? " and " : ", ") + dry[i];
  return out;
}

}  // namespace apc::solver
