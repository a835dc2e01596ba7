// Dependency order of migrate.sh's guest moves (see migrate_order.h).
// Guest i waits for guest j when i's new matrix shares a queue with what j
// holds now: j's old matrix until j moves or drops. After a drop j holds only
// what it keeps, which lies inside its new matrix and so meets no other
// guest's new matrix: every wait on j ends there.
#include "backends/migrate/migrate_order.h"

#include <algorithm>
#include <functional>
#include <set>

namespace apc::migrate {

namespace {

// Whether the products a1 x d1 and a2 x d2 share a queue.
bool meet(const ir::IdSet& a1, const ir::IdSet& d1, const ir::IdSet& a2, const ir::IdSet& d2) {
  return (a1 & a2).any() && (d1 & d2).any();
}

// The strongly connected components of the live part of the wait graph
// (Tarjan): the component number of each pending guest, and which
// components hold more than one guest (a genuine cycle).
struct Components {
  std::vector<std::size_t> of;
  std::vector<bool> cyclic;
};

Components components(const std::vector<std::vector<std::size_t>>& waitsFor, const std::vector<bool>& blocking,
                      const std::vector<bool>& pending) {
  const std::size_t n = waitsFor.size();
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::vector<std::size_t> index(n, kNone), low(n, 0);
  std::vector<bool> onStack(n, false);
  std::vector<std::size_t> stack;
  Components c;
  c.of.assign(n, kNone);
  std::size_t next = 0;
  std::function<void(std::size_t)> visit = [&](std::size_t v) {
    index[v] = low[v] = next++;
    stack.push_back(v);
    onStack[v] = true;
    for (std::size_t w : waitsFor[v]) {
      if (!blocking[w] || !pending[w]) continue;
      if (index[w] == kNone) {
        visit(w);
        low[v] = std::min(low[v], low[w]);
      } else if (onStack[w]) {
        low[v] = std::min(low[v], index[w]);
      }
    }
    if (low[v] != index[v]) return;
    std::size_t id = c.cyclic.size(), size = 0;
    for (;;) {
      std::size_t w = stack.back();
      stack.pop_back();
      onStack[w] = false;
      c.of[w] = id;
      ++size;
      if (w == v) break;
    }
    c.cyclic.push_back(size > 1);
  };
  for (std::size_t v = 0; v < n; ++v)
    if (pending[v] && index[v] == kNone) visit(v);
  return c;
}

}  // namespace

std::vector<OrderStep> orderMoves(const std::vector<MovingGuest>& guests) {
  const std::size_t n = guests.size();
  // waitsFor[i]: the guests whose old matrix meets i's new one; waitedBy the reverse.
  std::vector<std::vector<std::size_t>> waitsFor(n), waitedBy(n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      const MovingGuest &a = guests[i], &b = guests[j];
      if (meet(a.afterAdapters, a.afterDomains, b.beforeAdapters, b.beforeDomains)) {
        waitsFor[i].push_back(j);
        waitedBy[j].push_back(i);
      }
    }
  // blocking[j]: j still holds queues others wait for (not moved, not dropped).
  std::vector<bool> pending(n, true), blocking(n, true);
  std::vector<std::size_t> waits(n);
  std::set<std::size_t> ready;
  for (std::size_t i = 0; i < n; ++i) {
    waits[i] = waitsFor[i].size();
    if (waits[i] == 0) ready.insert(i);
  }
  auto release = [&](std::size_t j) {
    blocking[j] = false;
    for (std::size_t i : waitedBy[j])
      if (--waits[i] == 0 && pending[i]) ready.insert(i);
  };

  std::vector<OrderStep> steps;
  std::size_t left = n;
  while (left > 0) {
    if (!ready.empty()) {
      std::size_t i = *ready.begin();
      ready.erase(ready.begin());
      steps.push_back({StepKind::Move, i, {}});
      pending[i] = false;
      --left;
      if (blocking[i]) release(i);
      continue;
    }
    // Every pending guest waits for another: some of them wait in a circle.
    // Its first guest drops what it loses; the guests waiting only on it go.
    Components c = components(waitsFor, blocking, pending);
    std::size_t pick = n;
    for (std::size_t v = 0; v < n && pick == n; ++v)
      if (pending[v] && blocking[v] && c.cyclic[c.of[v]]) pick = v;
    if (pick == n) {
      // Unreachable for disjoint new matrices; never loop: move the first
      // pending guest and let the kernel's refusal roll the run back.
      for (std::size_t v = 0; v < n && pick == n; ++v)
        if (pending[v]) pick = v;
      waits[pick] = 0;
      ready.insert(pick);
      continue;
    }
    OrderStep drop{StepKind::Drop, pick, {}};
    for (std::size_t v = 0; v < n; ++v)
      if (pending[v] && c.of[v] == c.of[pick]) drop.cycle.push_back(v);
    steps.push_back(std::move(drop));
    release(pick);
  }
  return steps;
}

}  // namespace apc::migrate
