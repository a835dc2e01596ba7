// Conflict graph and its components with Boost.Graph.
#include "solver/components.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>

namespace apc::solver::detail {

namespace {

bool interacts(const Model& m, const GuestSpec& g, const GuestSpec& h) {
  IdSet ca = g.candA & h.candA;
  if (ca.none()) return false;  // every rule between two guests goes through a shared adapter
  if ((g.candD & h.candD).any()) return true;          // could share a queue
  if (m.maxPerAdapter) return true;                     // compete for adapter slots
  if (std::binary_search(g.apart.begin(), g.apart.end(), h.index)) return true;
  if (m.denyForeign && ((g.extraControl & h.candD).any() || (h.extraControl & g.candD).any()))
    return true;
  return false;
}

}  // namespace

std::vector<std::vector<std::size_t>> conflictComponents(const Model& m,
                                                         const std::vector<GuestSpec>& specs,
                                                         const std::vector<std::size_t>& open,
                                                         const std::vector<std::size_t>& rank) {
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
  Graph graph(open.size());
  for (std::size_t i = 0; i < open.size(); ++i)
    for (std::size_t j = i + 1; j < open.size(); ++j)
      if (interacts(m, specs[open[i]], specs[open[j]])) boost::add_edge(i, j, graph);
  std::vector<int> comp(open.size());
  int count = open.empty() ? 0 : boost::connected_components(graph, comp.data());
  std::vector<std::vector<std::size_t>> out(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < open.size(); ++i) out[static_cast<std::size_t>(comp[i])].push_back(open[i]);
  auto byRank = [&](std::size_t a, std::size_t b) { return rank[a] < rank[b]; };
  for (auto& c : out) std::sort(c.begin(), c.end(), byRank);
  std::sort(out.begin(), out.end(), [&](const auto& a, const auto& b) { return rank[a[0]] < rank[b[0]]; });
  return out;
}

}  // namespace apc::solver::detail
