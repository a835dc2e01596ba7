// Hand-built solved plans for the backend tests: the design document's seed
// (two guests on one LPAR) in either interface, and helpers to write
// artifacts to a folder and run tools on them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "backends/backend.h"
#include "compiler/ir/solved_plan.h"

namespace apc::backends::test {

// host lpar: adapters 0x05 CEX5C and 0x06 CEX5A, domains 0x04 0x47 0xab 0xff;
// Guest1 = {5,6} x {0x04,0xab}, Guest2 = {5} x {0x47,0xff}; host masks
// apmask = all but 5 and 6, aqmask = all.
ir::SolvedPlan seedSolved(ir::Interface iface = ir::Interface::Modern);

// The seed with plan text that would be code if it reached a shell unquoted:
// guest names, tags, host name, plan path and a string UUID with $(...),
// backquotes, quotes, ';' and newlines. Only for backends that never use the
// UUID or guest name as a file name (json, crycb, scripts).
ir::SolvedPlan hostileSolved(ir::Interface iface);

// Every artifact of every backend, in registry order.
std::vector<Artifact> emitAll(const ir::SolvedPlan& solved);

// Writes artifacts under dir (creating folders; executable bit as asked).
void writeArtifacts(const std::filesystem::path& dir, const std::vector<Artifact>& artifacts);

// A fresh empty temporary folder (removed by the caller's TempDir).
struct TempDir {
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path path;
};

// Runs `bash -c command`; returns the exit status; output (stdout+stderr) in *output.
int run(const std::string& command, std::string* output = nullptr);

std::string readFile(const std::filesystem::path& p);

}  // namespace apc::backends::test
