// Queue-level views of a solved plan, shared by backends, checker and queries.
#include "compiler/ir/solved_plan.h"

namespace apc::ir {

QueueSet SolvedPlan::guestQueues(std::size_t g) const {
  QueueSet q;
  q.insertProduct(alloc.at(g).adapters, alloc.at(g).domains);
  return q;
}

QueueSet SolvedPlan::allGuestQueues() const {
  QueueSet q;
  for (std::size_t g = 0; g < alloc.size(); ++g) q.insertProduct(alloc[g].adapters, alloc[g].domains);
  return q;
}

std::optional<std::size_t> SolvedPlan::owner(unsigned a, unsigned d) const {
  for (std::size_t g = 0; g < alloc.size(); ++g)
    if (alloc[g].adapters.test(a) && alloc[g].domains.test(d)) return g;
  return std::nullopt;
}

QueueSet SolvedPlan::hostKeptQueues() const {
  QueueSet kept;
  QueueSet guests = allGuestQueues();
  for (const Queue& q : plan.host.existingQueues().toVector()) {
    bool keep = plan.host.interface == Interface::Modern
                    ? apmask.test(q.adapter) && aqmask.test(q.domain)
                    : !guests.contains(q.adapter, q.domain);
    if (keep) kept.insert(q.adapter, q.domain);
  }
  return kept;
}

QueueSet SolvedPlan::freeQueues() const {
  QueueSet free;
  QueueSet guests = allGuestQueues();
  for (const Queue& q : plan.host.usableQueues().toVector())
    if (!guests.contains(q.adapter, q.domain)) free.insert(q.adapter, q.domain);
  return free;
}

}  // namespace apc::ir
