// `apc discover`: reads a live sysfs (the real /sys or the emulated one of
// `apc sim`) with plain file reads and prints it as a plan: the host block and
// one guest per mdev, such that compiling that plan reproduces the
// configuration. The host's mdevctl and libvirt definitions (under etcRoot)
// give each guest its name, start policy and tags.
#pragma once

#include <string>
#include <vector>

namespace apc::kmod {

struct DiscoverOptions {
  std::string root = "/sys";     // the sysfs root
  std::string hostName;          // "": etcRoot/etc/hostname, else "discovered"
  std::string etcRoot;           // "": read no mdevctl/libvirt/hostname files
};

struct DiscoverResult {
  bool ok = false;
  std::string plan;                   // the plan text (when ok)
  std::string error;                  // why not (when !ok)
  std::vector<std::string> warnings;  // things the plan cannot say, also as comments in it
};

DiscoverResult discover(const DiscoverOptions& opts);

struct LiveHost;
struct Identities;
// The host block's name: opts.hostName, else etcRoot/etc/hostname's first
// word as a plan identifier, else "discovered".
std::string hostNameFrom(const DiscoverOptions& opts);
// One name per mdev of `h` (same order): the libvirt domain's (a second mdev
// of the same domain gets "-2", ...), else mdev_<first 8 hex> (the whole UUID
// when 8 are ambiguous). `apc discover` and `apc show --live` name alike.
std::vector<std::string> guestNames(const LiveHost& h, const Identities& ids);

}  // namespace apc::kmod
