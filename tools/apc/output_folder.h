// compile's output folder as a sandbox that changes as a whole.
//
// The new set of artifacts is built in a fresh sibling folder
// `<out>.apc-new.<random>` and then swapped with `<out>` by
// renameat2(RENAME_EXCHANGE), so a reader (a deploy job) sees the old set or
// the new one, never a mix. Where the filesystem cannot exchange, the old
// folder is first renamed aside to `<out>.apc-old.<random>` and the new one
// renamed in: a reader may then find no folder for an instant, but never a
// mix. Leftover `.apc-new.`/`.apc-old.` siblings of a killed run are removed
// by the next compile, under an flock on the parent folder.
//
// Everything inside is reached through directory handles opened with
// O_NOFOLLOW: no write or delete ever goes through a symlink in the folder.
// The `.apc-manifest` lists what apc wrote; an existing, non-empty folder
// without one is refused unless `force`. Files the manifest does not own
// (and never the plan, its includes, lock or policy files) are carried into
// the new set as hard links, so they survive the swap untouched.
#pragma once

#include <string>
#include <vector>

namespace apc::cli {

struct OutputFile {
  std::string path;  // relative, '/'-separated
  std::string bytes;
  bool executable = false;
};

struct OutputRequest {
  std::string dir;                          // -o, or PLAN.out
  bool force = false;                       // --force: manage a folder apc did not write
  std::vector<std::string> protectedFiles;  // plan, includes, lock, policy files
};

struct OutputResult {
  std::string error;                  // "" on success; else nothing was changed
  std::vector<std::string> warnings;  // ignored manifest lines, replaced user files
};

inline constexpr const char* kManifestName = ".apc-manifest";

OutputResult replaceOutputFolder(const OutputRequest& req, const std::vector<OutputFile>& files);

// Why `rel` is not a plain relative path apc may write or delete ("" = fine):
// no empty, "." or ".." component, not absolute, no control characters.
std::string badRelativePath(const std::string& rel);

}  // namespace apc::cli
