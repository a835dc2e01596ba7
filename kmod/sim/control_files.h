// The sim's test-control folder `.apc-sim/` (not part of any real sysfs):
//   faults  rw  append "N PATH ERRNO" lines; reads the faults not yet fired
//   hold    rw  write a uuid: a running guest holds that mdev; reads held uuids
//   release wo  write a uuid: no guest holds it any more
//   reset   wo  write anything: back to the start state (no faults, holds, logs)
//   events  ro  destructive events, "UUID PATH WHAT" per line
//   writes  ro  every write so far, "PATH<TAB>DATA<TAB>ERRNO" (DATA with \n escaped)
//   state   ro  the whole model as JSON;  config  ro  masks, bindings, mdevs as JSON
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kmod/model/kernel_model.h"

namespace apc::kmod {

inline constexpr std::string_view kControlDir = ".apc-sim";

struct ControlFile {
  bool readable;
  bool writable;
};

// `name` is the path below `.apc-sim/`; nullopt when no such control file.
std::optional<ControlFile> controlFile(std::string_view name);
std::vector<std::string> controlFileNames();
ReadResult readControl(const KernelModel& model, std::string_view name);
int writeControl(KernelModel& model, std::string_view name, std::string_view data);

}  // namespace apc::kmod
