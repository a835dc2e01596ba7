// The AP configuration of a live sysfs (the real /sys or an `apc sim` mount),
// read with plain file reads into a structure: what `apc discover` prints as a
// plan and what `apc diff --live` compares a plan against.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "compiler/ir/id_set.h"
#include "kmod/discover/sysfs_view.h"

namespace apc::kmod {

struct LiveCard {
  unsigned id = 0;
  std::string type;  // lszcrypt's CEX5C
  bool online = true;
  bool configured = true;  // `config` 0: SCLP-deconfigured (out of every guest's CRYCB)
  bool checkstop = false;  // `chkstop` 1
};

struct LiveMdev {
  std::string uuid;
  ir::IdSet adapters, domains;
  ir::IdSet controlDomains;  // the ADM as control_domains prints it
  bool readable = true;      // false: matrix or control_domains could not be read
  bool matrixOk = true;      // false: a matrix line did not parse
  // guest_matrix (kernels with dynamic configuration, modern only): what the
  // guest's CRYCB really holds, the matrix filtered by vfio_ap.
  bool hasGuestMatrix = false;
  ir::IdSet guestAdapters, guestDomains;
};

struct LiveHost {
  std::string interface;  // "modern" or "legacy"
  bool vfioAp = false;    // the matrix parent exists
  bool apxa = false;      // ap_max_*_id beyond 63/15: CRYCB format 2
  std::map<unsigned, LiveCard> cards;  // CEX4 and newer, by ID
  ir::IdSet usage, control;            // the LPAR's usage and control domains
  ir::QueueSet existing;               // queue devices of the cards x usage domains
  ir::QueueSet kept;                   // existing queues the host's drivers keep
  ir::QueueSet offline;                // card x usage domain with no queue device
  ir::QueueSet vfioBound;              // existing queues bound to vfio_ap
  ir::QueueSet deconfigured;           // existing queues whose `config` reads 0
  ir::QueueSet checkstopped;           // existing queues whose `chkstop` reads 1
  ir::IdSet apmask, aqmask;            // modern only
  std::vector<LiveMdev> mdevs;         // sorted by UUID
  std::vector<std::string> notes;      // about the host, for the plan's header
};

// false with `error` set when there is no AP bus in the tree.
bool readLiveHost(const SysfsView& sysfs, LiveHost& host, std::string& error);
// The same over the files under `sysfsRoot`.
bool readLiveHost(const std::string& sysfsRoot, LiveHost& host, std::string& error);

}  // namespace apc::kmod
