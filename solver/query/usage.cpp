// Counting over the queue matrix; no solver.
#include "solver/query/usage.h"

namespace apc::query {

UsageReport computeUsage(const ir::SolvedPlan& sp) {
  const ir::Inventory& host = sp.plan.host;
  ir::QueueSet existing = host.existingQueues();
  ir::QueueSet used = sp.allGuestQueues();
  ir::QueueSet kept = sp.hostKeptQueues();
  ir::QueueSet free = sp.freeQueues();
  auto fill = [&](UsageLine& l, unsigned a, unsigned d) {
    if (!existing.contains(a, d)) return;
    ++l.existing;
    l.used += used.contains(a, d);
    l.reserved += host.reservedQueues.contains(a, d);
    l.hostKept += kept.contains(a, d);
    // Free as in the matrix and plan.json: not kept by the host either, so
    // a row's USED + HOST + FREE is its QUEUES (offline queues aside).
    l.free += free.contains(a, d) && !kept.contains(a, d);
  };
  UsageReport r;
  std::vector<unsigned> domains = ir::toVector(host.usageDomains);
  for (const ir::Adapter& a : host.adapters) {
    UsageLine l;
    l.id = a.id;
    l.type = a.type.str();
    for (unsigned d : domains) fill(l, a.id, d);
    for (const ir::GuestAllocation& g : sp.alloc) l.guests += g.adapters.test(a.id) && g.domains.any();
    r.adapters.push_back(l);
  }
  for (unsigned d : domains) {
    UsageLine l;
    l.id = d;
    for (const ir::Adapter& a : host.adapters) fill(l, a.id, d);
    for (const ir::GuestAllocation& g : sp.alloc) l.guests += g.domains.test(d) && g.adapters.any();
    r.domains.push_back(l);
  }
  for (const UsageLine& l : r.adapters) {
    r.total.existing += l.existing;
    r.total.used += l.used;
    r.total.reserved += l.reserved;
    r.total.hostKept += l.hostKept;
    r.total.free += l.free;
  }
  r.total.guests = static_cast<unsigned>(sp.alloc.size());
  r.usable = r.total.existing - r.total.reserved;
  r.utilisation = r.usable ? static_cast<double>(r.total.used) / r.usable : 0.0;
  return r;
}

}  // namespace apc::query
