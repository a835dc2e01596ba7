// Fixtures shared by the backend tests: hand-built plans and small process helpers.
#include "tests/backends/fixtures.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace apc::backends::test {

ir::SolvedPlan seedSolved(ir::Interface iface) {
  ir::SolvedPlan s;
  s.plan.path = "seed.ap";
  ir::Inventory& h = s.plan.host;
  h.name = "lpar";
  h.interface = iface;
  h.crycbFormat = 2;
  h.adapters = {{5, {5, ir::CardMode::Cca}, {}}, {6, {5, ir::CardMode::Accel}, {}}};
  h.usageDomains = ir::makeIdSet({0x04, 0x47, 0xab, 0xff});
  h.controlDomains = h.usageDomains;
  ir::Guest g1;
  g1.name = "Guest1";
  g1.adapters.exact = ir::makeIdSet({5, 6});
  g1.domains.exact = ir::makeIdSet({0x04, 0xab});
  ir::Guest g2;
  g2.name = "Guest2";
  g2.adapters.exact = ir::makeIdSet({5});
  g2.domains.exact = ir::makeIdSet({0x47, 0xff});
  s.plan.guests = {g1, g2};
  s.alloc = {{ir::makeIdSet({5, 6}), ir::makeIdSet({0x04, 0xab}), ir::makeIdSet({0x04, 0xab}),
              "0f5b2c1a-7e4d-5a3b-9c2d-1e0f4a5b6c7d"},
             {ir::makeIdSet({5}), ir::makeIdSet({0x47, 0xff}), ir::makeIdSet({0x47, 0xff}),
              "3d1c9e8f-2b4a-5c6d-8e7f-0a1b2c3d4e5f"}};
  s.apmask.set();
  s.aqmask.set();
  if (iface == ir::Interface::Modern) {
    s.apmask.reset(5);
    s.apmask.reset(6);
  }
  return s;
}

ir::SolvedPlan hostileSolved(ir::Interface iface) {
  ir::SolvedPlan s = seedSolved(iface);
  s.plan.path = "/tmp/x'$(touch PWNED)'\n;touch PWNED;.ap";
  s.plan.host.name = "lpar`touch PWNED`";
  s.plan.guests[0].name = "a;touch PWNED;rm -rf canary";
  s.plan.guests[1].name = "$(touch PWNED)\n\"'";
  s.plan.guests[0].tags = {"x\ntouch PWNED", "`touch PWNED`", "'; touch PWNED; '"};
  s.alloc[1].uuid = "3d1c9e8f$(touch PWNED)';touch PWNED;'\n";
  return s;
}

std::vector<Artifact> emitAll(const ir::SolvedPlan& solved) {
  std::vector<Artifact> all;
  for (const Backend& b : registry())
    for (Artifact& a : b.emit(solved)) all.push_back(std::move(a));
  return all;
}

void writeArtifacts(const std::filesystem::path& dir, const std::vector<Artifact>& artifacts) {
  for (const Artifact& a : artifacts) {
    std::filesystem::path p = dir / a.path;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << a.bytes;
    if (a.executable) ::chmod(p.c_str(), 0755);
  }
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "apc-be-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

int run(const std::string& command, std::string* output) {
  std::string cmd = "bash -c " + std::string("'");
  for (char c : command) {
    if (c == '\'') cmd += "'\\''";
    else cmd += c;
  }
  cmd += "' 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return -1;
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = ::pclose(p);
  if (output) *output = out;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace apc::backends::test
