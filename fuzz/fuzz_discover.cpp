// discover's reader over a sysfs tree generated from the input: cards with
// fuzzed attribute bytes, queue folders with any names, masks, mdevs with
// fuzzed matrix text, and special files (FIFOs, symlinks to /dev/zero) where
// attributes should be. discover must answer (a plan or an error), and a
// plan it prints must parse.
#include <fuzzer/FuzzedDataProvider.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "compiler/frontend/frontend.h"
#include "fuzz/fuzz_support.h"
#include "kmod/discover/discover.h"

namespace {

namespace fs = std::filesystem;

const fs::path& scratch() {
  static const fs::path dir = [] {
    std::string t = (fs::temp_directory_path() / "apc-fuzz-discover-XXXXXX").string();
    if (!::mkdtemp(t.data())) std::abort();
    return fs::path(t);
  }();
  return dir;
}

// An attribute: usually bytes, sometimes a FIFO or a link to a device.
// The same mdev can be drawn twice, so whatever is at `p` goes first (the
// throwing overloads made that a crash of this harness, not of apc).
void attribute(FuzzedDataProvider& in, const fs::path& p) {
  std::error_code ec;
  fs::remove_all(p, ec);
  switch (in.ConsumeIntegralInRange<int>(0, 15)) {
    case 0: ::mkfifo(p.c_str(), 0600); return;
    case 1: fs::create_symlink("/dev/zero", p, ec); return;
    case 2: fs::create_directory(p, ec); return;
    default: std::ofstream(p, std::ios::binary) << in.ConsumeRandomLengthString(64);
  }
}

const char* kUuids[] = {"4023f29f-2362-5061-8775-177c27bf60e8", "00000000-0000-0000-0000-000000000001",
                        "4023F29F-2362-5061-8775-177C27BF60E8"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const fs::path root = scratch() / "sys";
  std::error_code ec;
  fs::remove_all(root, ec);
  const fs::path bus = root / "bus/ap";
  fs::create_directories(bus / "devices");
  for (const char* a : {"ap_max_adapter_id", "ap_max_domain_id", "ap_usage_domain_mask", "ap_control_domain_mask",
                        "apmask", "aqmask"})
    if (in.ConsumeBool()) attribute(in, bus / a);
  const bool legacy = in.ConsumeBool();
  const fs::path parent = legacy ? root / "devices/virtual/misc/vfio_ap" : root / "devices/vfio_ap/matrix";
  if (in.ConsumeBool()) fs::create_directories(parent);
  const int items = in.ConsumeIntegralInRange<int>(0, 12);
  for (int i = 0; i < items && in.remaining_bytes() > 0; ++i) {
    switch (in.ConsumeIntegralInRange<int>(0, 3)) {
      case 0: {  // a card
        char name[16];
        std::snprintf(name, sizeof name, "card%02x", in.ConsumeIntegral<std::uint8_t>());
        fs::path c = bus / "devices" / name;
        fs::create_directories(c, ec);
        for (const char* a : {"hwtype", "type", "online", "ap_functions"})
          if (in.ConsumeBool()) attribute(in, c / a);
        break;
      }
      case 1: {  // a queue folder, with a well-formed or any name
        std::string name = in.ConsumeBool() ? in.ConsumeRandomLengthString(9) : "";
        if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
          char buf[16];
          std::snprintf(buf, sizeof buf, "%02x.%04x", in.ConsumeIntegral<std::uint8_t>(),
                        in.ConsumeIntegral<std::uint16_t>());
          name = buf;
        }
        fs::create_directories(bus / "devices" / name, ec);
        if (legacy && in.ConsumeBool())
          fs::create_symlink(in.ConsumeBool() ? "../../drivers/vfio_ap" : "/dev/zero",
                             bus / "devices" / name / "driver", ec);
        break;
      }
      default: {  // an mdev
        fs::path m = parent / kUuids[in.ConsumeIntegralInRange<int>(0, 2)];
        fs::create_directories(m, ec);
        attribute(in, m / "matrix");
        attribute(in, m / "control_domains");
      }
    }
  }
  apc::kmod::DiscoverResult r = apc::kmod::discover({root.string(), "fuzzhost"});
  apc::fuzz::require(r.ok != !r.error.empty() || r.ok, "discover failed without a reason");
  if (r.ok) {
    apc::ir::SourceManager sm;
    apc::ir::DiagEngine diags;
    apc::compiler::loadPlanFromText(apc::fuzz::kDisplayPath, r.plan, sm, diags);
    for (const apc::ir::Diagnostic& d : diags.all())
      apc::fuzz::require(d.code != apc::ir::DiagCode::Internal, "discover's plan makes an internal error");
  }
  return 0;
}
