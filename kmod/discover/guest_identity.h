// Who an mdev belongs to, from the host's persistent configuration under a
// root (the real / or a test tree):
//   etc/mdevctl.d/<parent>/<uuid>  mdevctl's definition: the start policy
//   etc/libvirt/qemu/*.xml         libvirt's domains: the one whose
//                                  <hostdev type='mdev'> names the UUID gives
//                                  the guest's name; apc's tags are read from
//                                  <metadata><apc:guest xmlns:apc="urn:apc:guest:1">
//                                  <apc:tags>prod, web</apc:tags></apc:guest>
#pragma once

#include <map>
#include <string>
#include <vector>

namespace apc::kmod {

struct GuestIdentity {
  std::string name;                // the libvirt domain's name ("" when no domain names the mdev)
  std::string start;               // "auto" / "manual" from mdevctl ("" when not defined)
  std::vector<std::string> tags;   // from the domain's apc metadata
};

struct Identities {
  std::map<std::string, GuestIdentity> byUuid;  // lower-case UUID
  std::vector<std::string> warnings;            // files that could not be read or understood
};

// Reads both sources under `root` (missing folders are not an error: the
// host may have no mdevctl or no libvirt).
Identities readGuestIdentities(const std::string& root);

}  // namespace apc::kmod
