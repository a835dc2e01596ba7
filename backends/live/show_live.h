// `apc show --live`: a live host's AP configuration (the real /sys or an
// `apc sim` mount, read by kmod/discover) as the ShowModel every `apc show`
// renderer draws. A floor above both apc_backends (the model) and
// apc_discover (the reading), so neither depends on the other.
#pragma once

#include <string>
#include <vector>

#include "backends/show_matrix.h"
#include "kmod/discover/guest_identity.h"
#include "kmod/discover/live_host.h"

namespace apc::backends {

struct LiveShowOptions {
  std::string sysfsRoot = "/sys";
  std::string etcRoot;   // "": no mdevctl/libvirt/hostname files (guests named mdev_<uuid8>)
  std::string hostName;  // "": as `apc discover` names it
};

struct LiveShowResult {
  bool ok = false;
  std::string error;                  // why not (when !ok)
  std::vector<std::string> warnings;  // what the picture cannot show, for stderr
  ShowModel model;
};

// Reads the host and builds its picture.
LiveShowResult readLiveShow(const LiveShowOptions& opts);

// The picture of a host already read: rows are its cards (CEX4 and newer),
// columns its usage domains, guests its mdevs in UUID order named `names`
// (kmod::guestNames). A guest's queue it cannot use (outside the mdev's
// guest_matrix; without one, not bound to vfio_ap) or that is deconfigured
// or checkstopped is drift. Unreadable mdevs are left out.
ShowModel liveShowModel(const kmod::LiveHost& host, const std::vector<std::string>& names,
                        const kmod::Identities& ids, const std::string& hostName, const std::string& source);

}  // namespace apc::backends
