// Exact guest i owns adapters 2j, 2j+1 (j = i mod 128) x domain 1 + i / 128,
// so exact matrices never overlap for up to 32,640 exact guests.
#include "bench/frontend_plan_text.h"

#include <cstdio>

namespace apc::bench {

namespace {
std::string hex(unsigned v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%02x", v);
  return b;
}
}  // namespace

std::string generatePlanText(unsigned guests) {
  std::string s;
  s.reserve(guests * 80 + 4096);
  s += "# generated: " + std::to_string(guests) + " guests on a 256 x 256 host\n";
  s += "host bench-lpar {\n    interface modern;\n    crycb format 2;\n";
  s += "    adapter 0x00..0x3f CEX8C;\n    adapter 0x40..0x7f CEX8P;\n";
  s += "    adapter 0x80..0xbf CEX8A;\n    adapter 0xc0..0xff CEX7C;\n";
  s += "    domains 0x00..0xff;\n    control domains 0x00..0xff;\n";
  s += "    reserve *.0000;\n    offline ff.00ff;\n}\n\n";
  for (unsigned t = 0; t < 10; ++t) {
    static const char* kModes[] = {"cca", "ep11", "accel"};
    s += "template tier" + std::to_string(t) + " {\n    adapters any " + std::to_string(1 + t % 3) + " mode " +
         kModes[t % 3] + ";\n    domains any " + std::to_string(1 + t % 4) + " in 0x10..0xff;\n    tags tier" +
         std::to_string(t) + ", prod;\n}\n";
  }
  const unsigned exact = guests * 4 / 10;
  const unsigned anyGuests = guests * 3 / 10;
  const unsigned families = (guests - exact - anyGuests) / 20;
  for (unsigned i = 0; i < exact; ++i) {
    const unsigned j = i % 128, d = 1 + i / 128;
    s += "guest ex" + std::to_string(i) + " { adapters " + hex(2 * j) + ", " + hex(2 * j + 1) + "; domains " +
         hex(d) + "; tags exact; }\n";
  }
  for (unsigned i = 0; i < anyGuests; ++i) {
    char uuid[40];
    std::snprintf(uuid, sizeof uuid, "%08x-1d2b-4c3a-9e8f-0123456789ab", i);
    s += "guest any" + std::to_string(i) + " {\n    adapters any 2 mode cca in 0x00..0x3f;\n" +
         "    domains any 1 in 0x10..0xff;\n    control domains 0x01;\n    uuid " + uuid + ";\n" +
         "    start manual;\n}\n";
  }
  for (unsigned f = 0; f < families; ++f) {
    s += "guest fam" + std::to_string(f) + "-[1..20] : tier" + std::to_string(f % 10);
    s += f % 4 == 0 ? " { domains any 2; }\n" : ";\n";
  }
  for (unsigned i = 0; i + 1 < anyGuests; i += 100)
    s += "apart any" + std::to_string(i) + ", any" + std::to_string(i + 1) + ";\n";
  s += "\npolicy {\n    min adapters 1 for tag prod;\n    max guests per adapter 400;\n    headroom 5%;\n}\n";
  return s;
}

}  // namespace apc::bench
