// Hand-built solved plans for the show tests (see show_fixtures.h).
#include "tests/backends/show_fixtures.h"

#include <cstdio>
#include <string>
#include <vector>

namespace apc::backends::test {

namespace {
std::string uuidOf(std::size_t g) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "00000000-0000-5000-8000-%012zx", g % 0x1000000000000);
  return buf;
}
}  // namespace

ir::SolvedPlan z16Solved() {
  ir::SolvedPlan s;
  ir::Inventory& h = s.plan.host;
  h.name = "z16";
  h.interface = ir::Interface::Modern;
  const std::vector<std::pair<unsigned, ir::CardMode>> cards = {
      {0x00, ir::CardMode::Cca},  {0x01, ir::CardMode::Cca},  {0x02, ir::CardMode::Cca},
      {0x03, ir::CardMode::Cca},  {0x04, ir::CardMode::Ep11}, {0x05, ir::CardMode::Ep11},
      {0x06, ir::CardMode::Accel}, {0x07, ir::CardMode::Accel}, {0x10, ir::CardMode::Ep11},
      {0x11, ir::CardMode::Ep11}};
  for (auto [id, mode] : cards) h.adapters.push_back({id, {8, mode}, {}});
  for (unsigned d = 0; d <= 0x54; ++d) h.usageDomains.set(d);
  h.controlDomains = h.usageDomains;
  for (auto [id, mode] : cards) h.reservedQueues.insert(id, 0);
  h.offlineQueues.insert(0x06, 0x54);
  const std::vector<unsigned> pool = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x10, 0x11};
  for (std::size_t g = 0; g < 12; ++g) {
    ir::Guest guest;
    guest.name = g < 6 ? "web" + std::to_string(g + 1) : std::vector<std::string>{"hsm1", "hsm2", "batch", "db", "app", "spare"}[g - 6];
    s.plan.guests.push_back(guest);
    ir::GuestAllocation a;
    a.adapters.set(pool[g % 9]);
    a.adapters.set(pool[(g + 1) % 9]);
    for (unsigned d = 1 + 7 * static_cast<unsigned>(g); d <= 6 + 7 * static_cast<unsigned>(g); ++d) a.domains.set(d);
    a.controlDomains = a.domains;
    a.uuid = uuidOf(g);
    s.alloc.push_back(a);
  }
  s.apmask.set(0x07);
  for (unsigned d = 0; d < 256; ++d) s.aqmask.set(d);
  return s;
}

ir::SolvedPlan gridSolved(unsigned adapters, unsigned domains, std::size_t guests) {
  ir::SolvedPlan s;
  ir::Inventory& h = s.plan.host;
  h.name = "grid";
  for (unsigned a = 0; a < adapters; ++a) h.adapters.push_back({a, {8, ir::CardMode::Cca}, {}});
  for (unsigned d = 0; d < domains; ++d) h.usageDomains.set(d);
  h.controlDomains = h.usageDomains;
  for (std::size_t g = 0; g < guests; ++g) {
    ir::Guest guest;
    guest.name = "guest-with-a-long-long-name-" + std::to_string(g + 1);
    s.plan.guests.push_back(guest);
    ir::GuestAllocation a;
    a.adapters.set(static_cast<unsigned>(g % adapters));
    a.domains.set(static_cast<unsigned>(g / adapters));
    a.controlDomains = a.domains;
    a.uuid = uuidOf(g);
    s.alloc.push_back(a);
  }
  return s;
}

}  // namespace apc::backends::test
