// The baseline encoding, written plainly on purpose (see solver_pairwise.h).
#include "bench/solver_pairwise.h"

#include <z3++.h>

#include <algorithm>
#include <climits>
#include <vector>

namespace apc::bench {

std::string PairwiseOutcome::label() const {
  switch (status) {
    case Status::Sat: return "pairwise: solved";
    case Status::Unsat: return "pairwise: proved infeasible";
    case Status::LimitReached: return "pairwise: did not finish within rlimit";
    case Status::NotBuilt: return "pairwise: not built (" + std::to_string(clauses) + " clauses)";
  }
  return "";
}

PairwiseOutcome solvePairwise(const ir::Plan& plan, std::uint64_t rlimit, std::uint64_t maxClauses) {
  PairwiseOutcome out;
  const ir::Inventory& host = plan.host;
  std::size_t n = plan.guests.size();
  std::vector<ir::IdSet> candA(n), candD(n);
  for (std::size_t g = 0; g < n; ++g) {
    const ir::Guest& guest = plan.guests[g];
    for (const ir::Adapter& a : host.adapters)
      if (guest.adapters.admitsAdapter(a)) candA[g].set(a.id);
    for (unsigned d = 0; d < ir::kMaxIds; ++d)
      if (host.usageDomains.test(d) && guest.domains.admitsDomain(d)) candD[g].set(d);
  }
  for (std::size_t g = 0; g < n; ++g)
    for (std::size_t h = g + 1; h < n; ++h)
      out.clauses += (candA[g] & candA[h]).count() * (candD[g] & candD[h]).count();
  if (out.clauses > maxClauses) return out;

  z3::config cfg;
  cfg.set("rlimit", std::to_string(std::min<std::uint64_t>(rlimit, UINT_MAX)).c_str());
  z3::context ctx(cfg);
  z3::solver s(ctx);
  std::vector<std::vector<int>> xi(n, std::vector<int>(ir::kMaxIds, -1)), yi(n, std::vector<int>(ir::kMaxIds, -1));
  std::vector<z3::expr_vector> xs, ys;
  for (std::size_t g = 0; g < n; ++g) {
    xs.emplace_back(ctx);
    ys.emplace_back(ctx);
    for (unsigned a : ir::toVector(candA[g])) {
      xi[g][a] = static_cast<int>(xs[g].size());
      xs[g].push_back(ctx.bool_const(("x" + std::to_string(g) + "_" + std::to_string(a)).c_str()));
    }
    for (unsigned d : ir::toVector(candD[g])) {
      yi[g][d] = static_cast<int>(ys[g].size());
      ys[g].push_back(ctx.bool_const(("y" + std::to_string(g) + "_" + std::to_string(d)).c_str()));
    }
    unsigned nA = plan.guests[g].adapters.size(), nD = plan.guests[g].domains.size();
    if (xs[g].size() < nA || ys[g].size() < nD) {
      out.status = PairwiseOutcome::Status::Unsat;
      return out;
    }
    s.add(z3::atmost(xs[g], nA) && z3::atleast(xs[g], nA));
    s.add(z3::atmost(ys[g], nD) && z3::atleast(ys[g], nD));
    for (unsigned a : ir::toVector(candA[g]))
      for (unsigned d : ir::toVector(candD[g]))
        if (!host.queueUsable(a, d)) s.add(!xs[g][xi[g][a]] || !ys[g][yi[g][d]]);
  }
  for (std::size_t g = 0; g < n; ++g)
    for (std::size_t h = g + 1; h < n; ++h)
      for (unsigned a : ir::toVector(candA[g] & candA[h]))
        for (unsigned d : ir::toVector(candD[g] & candD[h]))
          s.add(!xs[g][xi[g][a]] || !ys[g][yi[g][d]] || !xs[h][xi[h][a]] || !ys[h][yi[h][d]]);
  switch (s.check()) {
    case z3::sat: out.status = PairwiseOutcome::Status::Sat; break;
    case z3::unsat: out.status = PairwiseOutcome::Status::Unsat; break;
    case z3::unknown: out.status = PairwiseOutcome::Status::LimitReached; break;
  }
  return out;
}

}  // namespace apc::bench
