// Small views of a solved plan that several backends share: the plan's base
// name, the per-guest matrix texts as the kernel prints them, and the CRYCB
// mask widths.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/solved_plan.h"

namespace apc::backends {

// The plan file's base name ("seed.ap"), so outputs carry no directories.
std::string planBaseName(const ir::Plan& plan);

// What an mdev's `matrix` attribute reads for this allocation: "%02x.%04x\n"
// per queue, adapters outer, domains inner, both ascending.
std::string matrixText(const ir::GuestAllocation& a);
// What `control_domains` reads: "%04x\n" per control domain, ascending.
std::string controlDomainsText(const ir::GuestAllocation& a);

// Mask widths in bits by CRYCB format: format 2 (APXA) 256/256/256,
// formats 0 and 1: APM 64, AQM 16, ADM 16.
struct CrycbWidths {
  unsigned apm = 256;
  unsigned aqm = 256;
  unsigned adm = 256;
};
CrycbWidths crycbWidths(unsigned crycbFormat);

struct CrycbMasks {
  std::string apm, aqm, adm;  // "0x" + width/4 lower-case hex digits, MSB-0
};
CrycbMasks crycbMasks(const ir::GuestAllocation& a, unsigned crycbFormat);

// The mdevctl / sysfs attribute list of a guest, in the order every artifact
// writes it: adapters, then usage domains, then control domains (usage
// domains included), each ascending; values as ir::formatSysfsId ("0x5").
struct Attr {
  std::string name;   // "assign_adapter" | "assign_domain" | "assign_control_domain"
  std::string value;  // "0x5"
};
std::vector<Attr> mdevAttrs(const ir::GuestAllocation& a);

// SolvedPlan::allGuestQueues and hostKeptQueues with the same meaning, and
// the free queues: guest-usable, unheld and not kept by the host (released to
// vfio_ap and unused, the matrix's '.'; with the legacy interface none, as
// every unheld queue stays with the default driver). Computed from the
// guests' set bits only (the ir versions walk all
// 256 x 256 pairs per guest, which dominates emission for 1000 guests).
struct QueueViews {
  ir::QueueSet guests;
  ir::QueueSet hostKept;
  ir::QueueSet free;
};
QueueViews queueViews(const ir::SolvedPlan& solved);

// The guest's ADM: its control domains plus every usage domain (apc's rule;
// the kernel never adds usage domains to the ADM by itself).
ir::IdSet admOf(const ir::GuestAllocation& a);

// Lower-case 8-4-4-4-12 hex: the only UUID text used in file names.
bool isCanonicalUuid(const std::string& s);

}  // namespace apc::backends
