// Developer aid (not a test): writes the seed fixture's artifacts to argv[1].
#include <iostream>

#include "tests/backends/fixtures.h"

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  using namespace apc;
  ir::Interface iface = argc > 2 && std::string(argv[2]) == "legacy" ? ir::Interface::Legacy : ir::Interface::Modern;
  auto solved = backends::test::seedSolved(iface);
  backends::test::writeArtifacts(argv[1], backends::test::emitAll(solved));
  std::cout << backends::renderShow(solved);
}
