// The state transitions of the model: mask writes, driver bind/unbind, mdev
// create/remove and the assign/unassign attributes, each with the checks and
// errnos of the kernel version named beside it (see kmod/README.md).
#include "kmod/model/kernel_model.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <utility>

#include "compiler/ir/internal_error.h"
#include "kmod/model/bitmap_parse.h"
#include "kmod/model/kstrtox.h"
#include "kmod/model/sysfs_format.h"

namespace apc::kmod {

using ir::IdSet;

std::string CardConfig::typeName() const {
  if (hwtype < 10) return "";
  return "CEX" + std::to_string(hwtype - 6) + ir::modeLetter(mode);
}

std::string_view driverName(Driver d) {
  switch (d) {
    case Driver::None: return "";
    case Driver::Cex4Queue: return "cex4queue";
    case Driver::VfioAp: return "vfio_ap";
  }
  return "";
}

HostConfig hostConfigFromInventory(const ir::Inventory& inv) {
  HostConfig c;
  c.interface = inv.interface;
  for (const auto& a : inv.adapters)
    c.cards.push_back({a.id, a.type.hwtype(), a.type.mode, true});
  c.usageDomains = inv.usageDomains;
  c.controlDomains = inv.controlDomains;
  c.missingQueues = inv.offlineQueues;
  c.maxAdapterId = inv.maxAdapterId();
  c.maxDomainId = inv.maxDomainId();
  return c;
}

KernelModel::KernelModel(HostConfig config)
    : initial_(std::move(config)),
      parent_(initial_.interface == ir::Interface::Modern ? "devices/vfio_ap/matrix"
                                                          : "devices/virtual/misc/vfio_ap"),
      typeDir_(parent_ + "/mdev_supported_types/vfio_ap-passthrough") {
  std::sort(initial_.cards.begin(), initial_.cards.end(),
            [](const CardConfig& x, const CardConfig& y) { return x.id < y.id; });
  for (const auto& c : initial_.cards) {
    APC_BUG_CHECK(c.id < ir::kMaxIds, "card id past 255");
    APC_BUG_CHECK(!adapterIds_.test(c.id), "card declared twice");
    adapterIds_.set(c.id);
  }
  initState();
}

void KernelModel::initState() {
  config_ = initial_;
  // ap_perms_init: without boot parameters both masks are all ones.
  apmask_.set();
  aqmask_.set();
  drivers_.assign(ir::kMaxIds * ir::kMaxIds, Driver::None);
  for (const auto& c : config_.cards)
    for (unsigned d = 0; d < ir::kMaxIds; ++d)
      if (queueExists(c.id, d) && c.hwtype >= 10) drivers_[c.id * ir::kMaxIds + d] = Driver::Cex4Queue;
  mdevs_.clear();
  heldUuids_.clear();
  faults_.clear();
  writeCounts_.clear();
  pendingSignal_ = 0;
  writeLog_.clear();
  events_.clear();
}

void KernelModel::reset() {
  std::lock_guard lock(mu_);
  initState();
}

const CardConfig* KernelModel::card(unsigned id) const {
  for (const auto& c : config_.cards)
    if (c.id == id) return &c;
  return nullptr;
}

bool KernelModel::queueExists(unsigned a, unsigned d) const {
  return a < ir::kMaxIds && d < ir::kMaxIds && adapterIds_.test(a) &&
         config_.usageDomains.test(d) && !config_.missingQueues.contains(a, d);
}

// ap_owned_by_def_drv (ap_bus.c): both mask bits set, whether or not the queue exists.
bool KernelModel::ownedByDefault(unsigned a, unsigned d) const {
  if (config_.interface == ir::Interface::Legacy) return drivers_[a * ir::kMaxIds + d] != Driver::VfioAp;
  return apmask_.test(a) && aqmask_.test(d);
}

// ap_bus_revise_bindings / __ap_revise_reserved: every queue whose owner
// changed is reprobed; unbound queues are probed by the rescan that follows.
void KernelModel::reviseBindings() {
  for (const auto& c : config_.cards) {
    if (c.hwtype < 10) continue;
    for (unsigned d = 0; d < ir::kMaxIds; ++d) {
      if (!queueExists(c.id, d)) continue;
      drivers_[c.id * ir::kMaxIds + d] = ownedByDefault(c.id, d) ? Driver::Cex4Queue : Driver::VfioAp;
    }
  }
}

// apmask_store / aqmask_store -> apmask_commit / aqmask_commit (ap_bus.c, 6.19).
// Only bits being set are checked: the in_use callback of vfio_ap
// (vfio_ap_mdev_resource_in_use -> vfio_ap_mdev_verify_no_sharing) gets the
// newly reserved IDs against an all-ones opposite mask (6.19, commit
// 6917f434fda3) and its EADDRINUSE becomes EBUSY.
int KernelModel::writeMask(bool adapters, std::string_view data) {
  IdSet& cur = adapters ? apmask_ : aqmask_;
  ParsedMask p = parseBitmapStr(data, cur);
  if (p.err) return p.err;
  if (p.mask == cur) return 0;
  IdSet reserved = p.mask & ~cur;
  if (reserved.any()) {
    for (const auto& [uuid, m] : mdevs_) {
      bool hit = adapters ? ((reserved & m.apm).any() && m.aqm.any())
                          : ((reserved & m.aqm).any() && m.apm.any());
      if (hit) return EBUSY;
    }
  }
  cur = p.mask;
  reviseBindings();
  return 0;
}

// Driver core bind_store / unbind_store (drivers/base/bus.c) with the AP bus
// probe (ap_device_probe). Modern: a probe against the masks' owner fails
// (ENODEV) and binding a bound device is EBUSY (__driver_probe_device).
// Legacy (v8 patch on a 4.20-era driver core): no masks, any unbound queue may
// be bound to either driver, and bind_store answers ENODEV for a bound device.
int KernelModel::writeBind(Driver drv, bool bind, std::string_view data) {
  std::string_view name = data.substr(0, data.find('\0'));
  if (!name.empty() && name.back() == '\n') name.remove_suffix(1);
  // bus_find_device_by_name: an exact device name.
  unsigned a = 0, d = 0;
  char tail = 0;
  std::string buf(name);
  bool isQueue = name.size() == 7 &&
                 std::sscanf(buf.c_str(), "%2x.%4x%c", &a, &d, &tail) == 2 &&
                 buf == ir::formatQueue(a, d);
  if (!isQueue || !queueExists(a, d)) return ENODEV;
  const CardConfig* c = card(a);
  if (c == nullptr || c->hwtype < 10) return ENODEV;  // no driver matches CEX2/3
  Driver& cur = drivers_[a * ir::kMaxIds + d];
  if (!bind) {
    if (cur != drv) return ENODEV;
    cur = Driver::None;
    return 0;
  }
  if (cur != Driver::None) return config_.interface == ir::Interface::Modern ? EBUSY : ENODEV;
  if (config_.interface == ir::Interface::Modern) {
    bool owned = ownedByDefault(a, d);
    if (owned != (drv == Driver::Cex4Queue)) return ENODEV;
  }
  cur = drv;
  return 0;
}

namespace {

bool uuidIsValid(std::string_view s) {
  if (s.size() < 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

// mdev core create_store (drivers/vfio/mdev/mdev_sysfs.c) + mdev_device_create
// (mdev_core.c): 36 or 37 bytes, uuid_is_valid on the first 36, duplicate
// EEXIST, then the instance count: EUSERS (mdev core, late 2022+) or EPERM
// (the 4.20 vfio_ap counter, used for the legacy interface).
int KernelModel::writeCreate(std::string_view data) {
  if (data.size() < 36 || data.size() > 37) return EINVAL;
  std::string_view text = data.substr(0, data.find('\0'));
  if (!uuidIsValid(text)) return EINVAL;
  std::string uuid(text.substr(0, 36));
  for (char& ch : uuid) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (mdevs_.count(uuid)) return EEXIST;
  if (mdevs_.size() >= config_.maxInstances)
    return config_.interface == ir::Interface::Modern ? EUSERS : EPERM;
  // iommu group ids come from an IDA: lowest free number first.
  std::vector<bool> used;
  for (const auto& [u, m] : mdevs_) {
    if (m.iommuGroup >= used.size()) used.resize(m.iommuGroup + 1, false);
    used[m.iommuGroup] = true;
  }
  unsigned group = config_.firstIommuGroup;
  while (group < used.size() && used[group]) ++group;
  MdevState m;
  m.uuid = uuid;
  m.iommuGroup = group;
  m.held = heldUuids_.count(uuid) > 0;
  mdevs_.emplace(uuid, std::move(m));
  return 0;
}

// mdev core remove_store: kstrtoul, 0 does nothing, else remove. A running
// guest: 4.20 returned EBUSY; modern kernels block and yank the device out of
// the guest. The model records that as a destructive event and fails with
// EBUSY so that tests can assert scripts never get there.
int KernelModel::writeRemove(MdevState& m, const std::string& path, std::string_view data) {
  ParsedNumber n = kstrtoul(data);
  if (n.err) return n.err;
  if (n.value == 0) return 0;
  if (m.held) {
    events_.push_back({path, m.uuid, "remove of an mdev held by a running guest"});
    return EBUSY;
  }
  mdevs_.erase(m.uuid);
  return 0;
}

bool KernelModel::sharesWithOthers(const MdevState& m, const IdSet& apm, const IdSet& aqm) const {
  for (const auto& [uuid, other] : mdevs_) {
    if (uuid == m.uuid) continue;
    if ((other.apm & apm).any() && (other.aqm & aqm).any()) return true;
  }
  return false;
}

// vfio_ap_mdev_validate_masks (6.0+): every APQN of apm x aqm must be free of
// the default drivers (EADDRNOTAVAIL), then none may be in another mdev
// (EADDRINUSE). The legacy interface uses the 4.20 rule instead: every APQN
// must exist and be bound to vfio_ap (vfio_ap_verify_queue_reserved).
int KernelModel::validateMatrix(const MdevState& m, const IdSet& apm, const IdSet& aqm) const {
  // Only the set IDs matter; walking them (not 256 x 256 bits) keeps a
  // 1000-mdev apply fast.
  const std::vector<unsigned> as = ir::toVector(apm), ds = ir::toVector(aqm);
  for (unsigned a : as) {
    for (unsigned d : ds) {
      if (config_.interface == ir::Interface::Modern) {
        if (ownedByDefault(a, d)) return EADDRNOTAVAIL;
      } else if (!queueExists(a, d) || drivers_[a * ir::kMaxIds + d] != Driver::VfioAp) {
        return EADDRNOTAVAIL;
      }
    }
  }
  if (sharesWithOthers(m, apm, aqm)) return EADDRINUSE;
  return 0;
}

// assign_*/unassign_* stores of vfio_ap_ops.c. Modern (6.0+): kstrtoul ->
// ENODEV above the max -> already assigned is success -> validate. Legacy
// (4.20 table): EBUSY first while a guest runs, and the checks rerun even when
// the ID is assigned; with no domains yet, one queue of the adapter bound to
// vfio_ap is enough (and symmetrically for domains).
int KernelModel::writeAssign(MdevState& m, std::string_view attr, std::string_view data) {
  const bool legacy = config_.interface == ir::Interface::Legacy;
  if (legacy && m.held) return EBUSY;
  ParsedNumber n = kstrtoul(data);
  if (n.err) return n.err;
  const bool assign = attr.substr(0, 7) == "assign_";
  std::string_view what = assign ? attr.substr(7) : attr.substr(9);
  const bool isAdapter = what == "adapter";
  const bool isDomain = what == "domain";
  const unsigned max = isAdapter ? config_.maxAdapterId : config_.maxDomainId;
  if (n.value > max) return ENODEV;
  const unsigned id = static_cast<unsigned>(n.value);
  IdSet& bits = isAdapter ? m.apm : isDomain ? m.aqm : m.adm;
  if (!assign) {
    bits.reset(id);
    return 0;
  }
  if (!isAdapter && !isDomain) {  // control domains: never checked for sharing
    bits.set(id);
    return 0;
  }
  if (!legacy && bits.test(id)) return 0;
  IdSet apm = m.apm, aqm = m.aqm;
  (isAdapter ? apm : aqm).set(id);
  if (legacy && (isAdapter ? m.aqm.none() : m.apm.none())) {
    // vfio_ap_verify_queue_reserved(&apid, NULL): some queue of it bound to vfio_ap.
    bool any = false;
    for (unsigned o = 0; o < ir::kMaxIds && !any; ++o) {
      unsigned a = isAdapter ? id : o, d = isAdapter ? o : id;
      any = queueExists(a, d) && drivers_[a * ir::kMaxIds + d] == Driver::VfioAp;
    }
    if (!any) return EADDRNOTAVAIL;
    if (sharesWithOthers(m, apm, aqm)) return EADDRINUSE;
  } else if (int rc = validateMatrix(m, apm, aqm)) {
    return rc;
  }
  bits.set(id);
  return 0;
}

// ap_config_store (6.10+): "apm,aqm,adm" cut at 201 bytes, split with
// strsep(",\n"), each through ap_hex2bitmap (EINVAL), then the whole matrix
// validated (EADDRNOTAVAIL / EADDRINUSE), then ap_matrix_overflow_check (ENODEV).
int KernelModel::writeApConfig(MdevState& m, std::string_view data) {
  std::string_view s = data.substr(0, std::min<std::size_t>(data.size(), 201));
  s = s.substr(0, s.find('\0'));
  IdSet masks[3];
  bool more = true;  // strsep returns NULL once the previous token took the end
  for (auto& mask : masks) {
    if (!more) return EINVAL;
    auto cut = s.find_first_of(",\n");
    std::string_view token = s.substr(0, cut);
    if (cut == std::string_view::npos) more = false;
    else s.remove_prefix(cut + 1);
    ParsedMask p = hex2bitmap(token);
    if (p.err) return p.err;
    mask = p.mask;
  }
  if (int rc = validateMatrix(m, masks[0], masks[1])) return rc;
  for (unsigned i = 0; i < ir::kMaxIds; ++i) {
    if ((masks[0].test(i) && i > config_.maxAdapterId) ||
        ((masks[1].test(i) || masks[2].test(i)) && i > config_.maxDomainId))
      return ENODEV;
  }
  m.apm = masks[0];
  m.aqm = masks[1];
  m.adm = masks[2];
  return 0;
}

// vfio_ap_mdev_filter_matrix: the shadow APCB keeps host-configured IDs and
// drops every adapter with a queue that is missing or not bound to vfio_ap.
std::string KernelModel::guestMatrix(const MdevState& m) const {
  IdSet apm = m.apm & adapterIds_;
  IdSet aqm = m.aqm & config_.usageDomains;
  for (unsigned a = 0; a < ir::kMaxIds; ++a) {
    if (!apm.test(a)) continue;
    for (unsigned d = 0; d < ir::kMaxIds; ++d) {
      if (aqm.test(d) && (!queueExists(a, d) || drivers_[a * ir::kMaxIds + d] != Driver::VfioAp)) {
        apm.reset(a);
        break;
      }
    }
  }
  // Same printer as `matrix` (vfio_ap_mdev_matrix_show).
  return formatMatrix(apm, aqm, config_.maxAdapterId, config_.maxDomainId);
}

// --- typed API ---

IdSet KernelModel::apmask() const {
  std::lock_guard lock(mu_);
  return apmask_;
}
IdSet KernelModel::aqmask() const {
  std::lock_guard lock(mu_);
  return aqmask_;
}
Driver KernelModel::driverOf(unsigned a, unsigned d) const {
  std::lock_guard lock(mu_);
  return drivers_[a * ir::kMaxIds + d];
}
std::vector<MdevState> KernelModel::mdevs() const {
  std::lock_guard lock(mu_);
  std::vector<MdevState> out;
  for (const auto& [u, m] : mdevs_) out.push_back(m);
  return out;
}
std::optional<MdevState> KernelModel::mdev(std::string_view uuid) const {
  std::lock_guard lock(mu_);
  auto it = mdevs_.find(std::string(uuid));
  if (it == mdevs_.end()) return std::nullopt;
  return it->second;
}
bool KernelModel::hold(std::string_view uuid, bool held) {
  std::lock_guard lock(mu_);
  std::string u(uuid);
  for (char& ch : u) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (held) heldUuids_[u] = true;
  else heldUuids_.erase(u);
  auto it = mdevs_.find(u);
  if (it == mdevs_.end()) return false;
  it->second.held = held;
  return true;
}
std::vector<std::string> KernelModel::heldUuids() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [u, h] : heldUuids_) out.push_back(u);
  return out;
}
void KernelModel::setCardOnline(unsigned id, bool online) {
  std::lock_guard lock(mu_);
  for (auto& c : config_.cards)
    if (c.id == id) c.online = online;
}
void KernelModel::addFault(FaultSpec f) {
  std::lock_guard lock(mu_);
  while (!f.path.empty() && f.path.front() == '/') f.path.erase(0, 1);
  faults_.push_back(std::move(f));
}
std::vector<FaultSpec> KernelModel::pendingFaults() const {
  std::lock_guard lock(mu_);
  std::vector<FaultSpec> out;
  for (const auto& f : faults_) {
    auto it = writeCounts_.find(f.path);
    if (it == writeCounts_.end() || it->second < f.nth) out.push_back(f);
  }
  return out;
}
int KernelModel::takeSignal() {
  std::lock_guard lock(mu_);
  return std::exchange(pendingSignal_, 0);
}
std::vector<WriteRecord> KernelModel::writeLog() const {
  std::lock_guard lock(mu_);
  return writeLog_;
}
std::vector<DestructiveEvent> KernelModel::destructiveEvents() const {
  std::lock_guard lock(mu_);
  return events_;
}

}  // namespace apc::kmod
