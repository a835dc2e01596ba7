// E116 without pairwise work: one pass over the queues each explicit guest
// writes, remembering the first owner of each queue (65,536 slots). Cost is
// the number of explicit queues, so 10,000 guests stay fast.
#include <algorithm>
#include <map>

#include "compiler/frontend/lower.h"

namespace apc::compiler {

void checkExplicitOverlap(const ir::Plan& plan, Reporter& rep) {
  constexpr std::uint32_t kFree = ~std::uint32_t{0};
  std::vector<std::uint32_t> owner(ir::kMaxIds * ir::kMaxIds, kFree);
  // (first owner, later guest) -> shared queues; ordered so reports are stable.
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::vector<ir::Queue>> shared;
  for (std::size_t gi = 0; gi < plan.guests.size(); ++gi) {
    const ir::Guest& g = plan.guests[gi];
    if (!g.adapters.present || !g.domains.present || g.adapters.kind != ir::IdRequirement::Kind::Exact ||
        g.domains.kind != ir::IdRequirement::Kind::Exact)
      continue;
    const ir::IdSet& as = g.adapters.exact;
    const ir::IdSet& ds = g.domains.exact;
    // _Find_first/_Find_next (libstdc++) visit set bits without building vectors.
    for (std::size_t a = as._Find_first(); a < ir::kMaxIds; a = as._Find_next(a))
      for (std::size_t d = ds._Find_first(); d < ir::kMaxIds; d = ds._Find_next(d)) {
        std::uint32_t& o = owner[a * ir::kMaxIds + d];  // a, d < 256
        if (o == kFree)
          o = static_cast<std::uint32_t>(gi);
        else
          shared[{o, static_cast<std::uint32_t>(gi)}].push_back(
              {static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(d)});
      }
  }
  for (auto& [pair, queues] : shared) {
    const ir::Guest& first = plan.guests[pair.first];
    const ir::Guest& second = plan.guests[pair.second];
    std::sort(queues.begin(), queues.end());
    std::string list;
    const std::size_t shown = std::min<std::size_t>(queues.size(), 8);
    for (std::size_t i = 0; i < shown; ++i) list += (i ? ", " : "") + ir::formatQueue(queues[i]);
    if (queues.size() > shown) list += " and " + std::to_string(queues.size() - shown) + " more";
    auto& d = rep.error(ir::DiagCode::ExplicitOverlap, second.range,
                        "guests '" + first.name + "' and '" + second.name + "' would both get " +
                            (queues.size() == 1 ? "queue " : "queues ") + list +
                            "; a queue can belong to one guest only");
    ir::addNote(d, first.range, "'" + first.name + "' is declared here with adapters " +
                                    ir::formatIdList(first.adapters.exact) + " and domains " +
                                    ir::formatIdList(first.domains.exact));
    ir::addNote(d, second.range, "'" + second.name + "' is declared here with adapters " +
                                     ir::formatIdList(second.adapters.exact) + " and domains " +
                                     ir::formatIdList(second.domains.exact));
  }
}

}  // namespace apc::compiler
