// `apc query usage`: per adapter and per domain, how many queues guests use,
// the host's drivers keep, and stay free; overall utilisation.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/solved_plan.h"

namespace apc::query {

struct UsageLine {
  unsigned id = 0;        // adapter or domain ID
  std::string type;       // adapters: "CEX5C"; domains: ""
  unsigned existing = 0;  // queues that exist (adapter x usage domain, minus offline)
  unsigned used = 0;      // held by guests
  unsigned reserved = 0;  // `reserve`d for the host
  unsigned hostKept = 0;  // bound to the host's drivers (reserved ones and any extra the masks keep)
  unsigned free = 0;      // guest-usable and held by no guest
  unsigned guests = 0;    // guests holding a queue here
};

struct UsageReport {
  std::vector<UsageLine> adapters;  // ascending ID
  std::vector<UsageLine> domains;   // ascending ID (host usage domains)
  UsageLine total;                  // id/type unused
  unsigned usable = 0;              // existing minus reserved
  double utilisation = 0;           // used / usable, 0 when nothing is usable
};

UsageReport computeUsage(const ir::SolvedPlan& solved);

}  // namespace apc::query
