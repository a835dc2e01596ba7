// The kernel model: the state of an s390 host's AP bus and vfio_ap driver as
// sysfs shows it, and every read and write a script can do on it with the
// kernel's exact answer (bytes, or the errno of the write). No FUSE in here:
// kmod/sim serves this model as a file tree, tests and benches drive it directly.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/ir/id_set.h"
#include "compiler/ir/plan_ir.h"
#include "kmod/model/kernel_gen.h"

namespace apc::kmod {

// One card as the AP bus sees it. `hwtype` is the compatibility type
// (10 = CEX4 .. 14 = CEX8); cards below 10 (CEX2/3) exist but vfio_ap and
// cex4card do not drive them.
struct CardConfig {
  unsigned id = 0;
  unsigned hwtype = 11;
  ir::CardMode mode = ir::CardMode::Cca;
  bool online = true;
  // Host state beyond the plan (sim flags): SCLP-deconfigured (`config` 0:
  // out of the QCI adapter mask, so out of every guest_matrix) or checkstopped.
  bool configured = true;
  bool checkstop = false;
  std::string typeName() const;  // zcrypt's `type`: "CEX5C"; "" for hwtype < 10
};

// One queue's host-side state beyond its driver: requests zcrypt has in
// flight on it (`requestq_count` waiting, `pendingq_count` sent to the card;
// `request_count` counts all since probe) and a 6.19 `driver_override`.
struct QueueHostState {
  unsigned requestq = 0;
  unsigned pendingq = 0;
  std::uint64_t requests = 0;
  std::string driverOverride;  // "" = none
};

// What the host offers at boot: the QCI view plus limits. Masks start all ones
// (no ap.apmask=/ap.aqmask= boot parameters), every queue bound to cex4queue.
struct HostConfig {
  ir::Interface interface = ir::Interface::Modern;
  KernelGen kernel = kNewestKernel;  // modern interface only; legacy ignores it
  std::vector<CardConfig> cards;  // sorted by id, unique
  ir::IdSet usageDomains;
  ir::IdSet controlDomains;
  ir::QueueSet missingQueues;     // adapter x usage domain pairs with no queue device
  unsigned maxAdapterId = 255;    // ap_max_adapter_id (63 without APXA)
  unsigned maxDomainId = 255;     // ap_max_domain_id (15 without APXA)
  std::uint32_t maxInstances = 65536;  // MAX_ZDEV_ENTRIES_EXT
  unsigned firstIommuGroup = 0;   // iommu groups are handed out lowest free first
  // zcrypt's default domain (bus/ap/ap_domain, the `ap.domain=` parameter);
  // unset: chosen at boot as ap_select_domain does (see initState).
  std::optional<unsigned> defaultDomain;
  std::map<ir::Queue, QueueHostState> queueState;  // queues not listed: idle, no override
};

// The host block of a plan as the model's starting point.
HostConfig hostConfigFromInventory(const ir::Inventory& inv);

enum class Driver { None, Cex4Queue, VfioAp };
std::string_view driverName(Driver d);  // "", "cex4queue", "vfio_ap"

struct MdevState {
  std::string uuid;  // lower case
  ir::IdSet apm, aqm, adm;
  unsigned iommuGroup = 0;
  unsigned vfioDevice = 0;  // N of its vfio-dev/vfioN (vfio core's device IDA)
  bool held = false;  // a running guest has its VFIO device open
};

enum class NodeKind { File, Dir, Symlink };
struct NodeStat {
  NodeKind kind = NodeKind::File;
  bool readable = false;
  bool writable = false;
  std::string linkTarget;  // relative, as sysfs links are (Symlink only)
};

struct ReadResult {
  int err = 0;  // 0 or the errno of the read (ENOENT, EISDIR, EACCES)
  std::string data;
};
struct ListResult {
  int err = 0;  // 0, ENOENT or ENOTDIR
  std::vector<std::string> names;  // sorted
};

// "The nth write (1-based, counted from the model's start) to `path` fails
// with `err`", whatever its bytes; the model state does not change. `path`
// "*" counts every write to any path. With `signal` set, the write is not
// performed either, and fails with EINTR: the server sends that signal to the
// writing process (takeSignal), as an admin's kill or a dropped session would.
struct FaultSpec {
  std::uint64_t nth = 1;
  std::string path;  // canonical path below the root, no leading '/'; or "*"
  int err = 5;       // EIO
  int signal = 0;    // SIGKILL, SIGTERM, SIGINT or SIGHUP; 0: fail with err
};

struct WriteRecord {
  std::string path;  // canonical
  std::string data;
  int err = 0;
  bool injected = false;  // failed by a FaultSpec
};

// Something the real kernel would have done to a running guest.
struct DestructiveEvent {
  std::string path;
  std::string uuid;
  std::string what;
};

class KernelModel {
 public:
  explicit KernelModel(HostConfig config);

  // --- the path API (paths relative to the sysfs root; a leading '/' is
  // ignored; symlinks inside the path are followed, the last one is not) ---
  std::optional<NodeStat> stat(std::string_view path) const;  // nullopt: ENOENT
  ReadResult read(std::string_view path) const;
  int write(std::string_view path, std::string_view data);    // 0 or errno
  ListResult list(std::string_view path) const;
  // The canonical path (every symlink followed), or nullopt when it does not exist.
  std::optional<std::string> canonical(std::string_view path) const;

  // --- the typed API ---
  const HostConfig& config() const { return config_; }
  ir::IdSet apmask() const;
  ir::IdSet aqmask() const;
  bool queueExists(unsigned a, unsigned d) const;
  Driver driverOf(unsigned a, unsigned d) const;
  std::vector<MdevState> mdevs() const;  // sorted by uuid
  std::optional<MdevState> mdev(std::string_view uuid) const;
  // "devices/vfio_ap/matrix" or the legacy misc path.
  const std::string& matrixParent() const { return parent_; }
  // Marks an mdev as held by a running guest (or releases it). A uuid with no
  // mdev yet is remembered: the mdev is held from its creation on. Returns
  // whether the mdev exists now.
  bool hold(std::string_view uuid, bool held = true);
  std::vector<std::string> heldUuids() const;  // sorted
  void setCardOnline(unsigned id, bool online);
  // zcrypt's default domain as bus/ap/ap_domain prints it (-1: none).
  int defaultDomain() const;
  QueueHostState queueState(unsigned a, unsigned d) const;
  // Back to the start state of the constructor: no mdevs, masks all ones, every
  // queue on cex4queue, and no faults, holds, write log or events.
  void reset();
  void addFault(FaultSpec f);
  std::vector<FaultSpec> pendingFaults() const;
  // The signal a fault asked for at the last write (0 when none); cleared.
  int takeSignal();
  std::vector<WriteRecord> writeLog() const;
  std::vector<DestructiveEvent> destructiveEvents() const;
  // Everything above as one JSON document with sorted keys (tests compare it).
  std::string stateJson() const;
  // The part of the state a configuration changes (masks, bindings, mdevs):
  // equal before and after a rolled-back apply.
  std::string configJson() const;

  struct Node;  // a resolved path (kernel_model.cpp)

 private:
  std::optional<Node> lookup(std::string_view path) const;
  std::optional<Node> step(const Node& n, const std::string& c) const;
  std::optional<Node> lookupCanonical(const std::vector<std::string>& parts) const;
  std::optional<std::string> resolve(std::string_view path) const;
  ReadResult readNode(const Node& n) const;
  int writeNode(const Node& n, std::string_view data);
  std::vector<std::string> children(const Node& n) const;
  std::optional<std::string> linkTarget(const Node& n) const;

  // writes
  int writeMask(bool adapters, std::string_view data);
  int writeBind(Driver drv, bool bind, std::string_view data);
  int writeCreate(std::string_view data);
  int writeRemove(MdevState& m, const std::string& path, std::string_view data);
  int writeAssign(MdevState& m, std::string_view attr, std::string_view data);
  int writeApConfig(MdevState& m, std::string_view data);
  int validateMatrix(const MdevState& m, const ir::IdSet& apm, const ir::IdSet& aqm) const;
  bool sharesWithOthers(const MdevState& m, const ir::IdSet& apm, const ir::IdSet& aqm) const;
  void reviseBindings();
  bool ownedByDefault(unsigned a, unsigned d) const;
  bool anyDriverOverride() const;
  int writeDriverOverride(unsigned a, unsigned d, std::string_view data);
  bool heldPreDynamic(const MdevState& m) const;
  std::string guestMatrix(const MdevState& m) const;
  std::pair<ir::IdSet, ir::IdSet> shadowApcb(const MdevState& m) const;  // apm, aqm
  const CardConfig* card(unsigned id) const;

  void initState();

  HostConfig initial_;  // as given to the constructor (reset() returns to it)
  HostConfig config_;
  std::string parent_;   // the matrix parent folder (by interface)
  std::string typeDir_;  // parent_ + "/mdev_supported_types/vfio_ap-passthrough"
  ir::IdSet adapterIds_;
  ir::IdSet apmask_, aqmask_;
  int defaultDomain_ = -1;
  std::vector<Driver> drivers_;  // index a * 256 + d; None for missing queues too
  std::map<std::string, MdevState> mdevs_;
  std::map<std::string, bool> heldUuids_;  // lower-case uuid -> held
  std::vector<FaultSpec> faults_;
  std::map<std::string, std::uint64_t> writeCounts_;  // key "*": all writes
  int pendingSignal_ = 0;
  std::vector<WriteRecord> writeLog_;
  std::vector<DestructiveEvent> events_;
  mutable std::mutex mu_;  // the kernel's matrix_dev->mdevs_lock / ap_attr_mutex
};

// "EADDRINUSE" for 98; a number in decimal for errnos without a name here.
std::string errnoName(int err);
// The reverse: accepts names ("EIO") and decimal numbers; nullopt otherwise.
std::optional<int> parseErrno(std::string_view s);

}  // namespace apc::kmod
