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
  // A boot-time driver_override: only the named driver matches the queue.
  if (config_.interface == ir::Interface::Modern && hasDriverOverride(config_.kernel))
    for (const auto& [q, st] : config_.queueState)
      if (st.driverOverride == "vfio_ap" && drivers_[q.adapter * ir::kMaxIds + q.domain] == Driver::Cex4Queue)
        drivers_[q.adapter * ir::kMaxIds + q.domain] = Driver::VfioAp;
  // ap_select_domain (ap_bus.c): unless ap.domain= chose one, the first usage
  // domain (in aqmask) with a queue on a card in apmask that answers TAPQ.
  defaultDomain_ = -1;
  if (config_.defaultDomain) {
    defaultDomain_ = static_cast<int>(*config_.defaultDomain);
  } else {
    for (unsigned d = 0; d < ir::kMaxIds && defaultDomain_ < 0; ++d)
      for (const auto& c : config_.cards)
        if (c.configured && queueExists(c.id, d)) {
          defaultDomain_ = static_cast<int>(d);
          break;
        }
  }
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

// ap_owned_by_def_drv (ap_bus.c): both mask bits set, whether or not the
// queue exists. 6.19: a queue with a driver_override ignores the masks and is
// the default drivers' iff it is bound to one.
bool KernelModel::ownedByDefault(unsigned a, unsigned d) const {
  if (config_.interface == ir::Interface::Legacy) return drivers_[a * ir::kMaxIds + d] != Driver::VfioAp;
  if (hasDriverOverride(config_.kernel) && !config_.queueState.empty()) {
    auto it = config_.queueState.find({static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(d)});
    if (it != config_.queueState.end() && !it->second.driverOverride.empty() && queueExists(a, d))
      return drivers_[a * ir::kMaxIds + d] == Driver::Cex4Queue;
  }
  return apmask_.test(a) && aqmask_.test(d);
}

bool KernelModel::anyDriverOverride() const {
  if (!hasDriverOverride(config_.kernel)) return false;
  for (const auto& [q, st] : config_.queueState)
    if (!st.driverOverride.empty() && queueExists(q.adapter, q.domain)) return true;
  return false;
}

// Before 6.0 a guest's running matrix is fixed: vfio_ap refuses every
// assign_*/unassign_* while matrix_mdev->kvm is set (EBUSY, before parsing).
bool KernelModel::heldPreDynamic(const MdevState& m) const {
  return m.held && (config_.interface == ir::Interface::Legacy || !hasDynamicConfig(config_.kernel));
}

// driver_override_store (ap_queue.c, 6.19): refused (EINVAL) while apmask or
// aqmask differ from all ones; "" or "\n" clears it. Setting it rebinds
// nothing by itself (the admin unbinds and binds).
int KernelModel::writeDriverOverride(unsigned a, unsigned d, std::string_view data) {
  if (!apmask_.all() || !aqmask_.all()) return EINVAL;
  std::string v(data.substr(0, data.find('\0')));
  if (!v.empty() && v.back() == '\n') v.pop_back();
  config_.queueState[{static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(d)}].driverOverride = v;
  return 0;
}

// ap_bus_revise_bindings / __ap_revise_reserved: every queue whose owner
// changed is reprobed; unbound queues are probed by the rescan that follows.
// A queue taken from cex4queue loses zcrypt's requests in flight
// (ap_queue_remove flushes them): a destructive event for the host. A queue
// taken from vfio_ap while an mdev's matrix holds it is "stolen": before 6.0
// vfio_ap had no in_use callback, so nothing refuses such a mask write and
// the queue leaves the mdev (and its guest) for the host's driver; from 6.0
// on writeMask refuses it first (EBUSY), so the event is the pre-6.0 hazard.
void KernelModel::reviseBindings() {
  for (const auto& c : config_.cards) {
    if (c.hwtype < 10) continue;
    for (unsigned d = 0; d < ir::kMaxIds; ++d) {
      if (!queueExists(c.id, d)) continue;
      Driver& cur = drivers_[c.id * ir::kMaxIds + d];
      const Driver next = ownedByDefault(c.id, d) ? Driver::Cex4Queue : Driver::VfioAp;
      if (cur == Driver::Cex4Queue && next != cur) {
        auto it = config_.queueState.find({static_cast<std::uint8_t>(c.id), static_cast<std::uint8_t>(d)});
        if (it != config_.queueState.end() && it->second.requestq + it->second.pendingq > 0) {
          char card[8];
          std::snprintf(card, sizeof card, "card%02x", c.id);
          events_.push_back({"devices/ap/" + std::string(card) + "/" + ir::formatQueue(c.id, d), "",
                             std::to_string(it->second.requestq + it->second.pendingq) +
                                     " zcrypt requests in flight flushed: the queue left the host"});
          it->second.requestq = it->second.pendingq = 0;
        }
      }
      if (cur == Driver::VfioAp && next == Driver::Cex4Queue) {
        char card[8];
        std::snprintf(card, sizeof card, "card%02x", c.id);
        for (const auto& [uuid, m] : mdevs_) {
          if (!m.apm.test(c.id) || !m.aqm.test(d)) continue;
          events_.push_back({"devices/ap/" + std::string(card) + "/" + ir::formatQueue(c.id, d), uuid,
                             "queue stolen: a mask write gave it to the host's driver while the mdev holds it"});
        }
      }
      cur = next;
    }
  }
}

// apmask_store / aqmask_store -> apmask_commit / aqmask_commit (ap_bus.c, 6.19).
// Only bits being set are checked: the in_use callback of vfio_ap
// (vfio_ap_mdev_resource_in_use -> vfio_ap_mdev_verify_no_sharing) gets the
// newly reserved IDs against an all-ones opposite mask (6.19, commit
// 6917f434fda3) and its EADDRINUSE becomes EBUSY.
// Before 6.19 the opposite mask was the bus's current one (an APQN is only
// checked when it really becomes host-owned); before 6.0 vfio_ap had no
// in_use callback, so nothing stops a mask write from taking an mdev's queues.
// 6.19: any active driver_override makes every mask write EINVAL.
int KernelModel::writeMask(bool adapters, std::string_view data) {
  const KernelGen gen = config_.kernel;
  if (anyDriverOverride()) return EINVAL;
  IdSet& cur = adapters ? apmask_ : aqmask_;
  ParsedMask p = parseBitmapStr(data, cur);
  if (p.err) return p.err;
  if (p.mask == cur) return 0;
  IdSet reserved = p.mask & ~cur;
  if (reserved.any() && hasDynamicConfig(gen)) {
    IdSet opposite = adapters ? aqmask_ : apmask_;
    if (allOnesInUse(gen)) opposite.set();
    for (const auto& [uuid, m] : mdevs_) {
      bool hit = adapters ? ((reserved & m.apm).any() && (opposite & m.aqm).any())
                          : ((reserved & m.aqm).any() && (opposite & m.apm).any());
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
  // 4.20's bind_store: ENODEV unless the device is unbound; from 5.14 on
  // (__driver_probe_device) a bound device is EBUSY.
  const bool oldCore = config_.interface == ir::Interface::Legacy || config_.kernel == KernelGen::K4_20;
  if (cur != Driver::None) return oldCore ? ENODEV : EBUSY;
  if (config_.interface == ir::Interface::Modern) {
    // ap_bus_match: a driver_override names the only driver that matches.
    auto st = config_.queueState.find({static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(d)});
    const bool overridden = hasDriverOverride(config_.kernel) && st != config_.queueState.end() &&
                            !st->second.driverOverride.empty();
    if (overridden) {
      if (st->second.driverOverride != driverName(drv)) return ENODEV;
    } else if (ownedByDefault(a, d) != (drv == Driver::Cex4Queue)) {
      return ENODEV;
    }
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
    return config_.interface == ir::Interface::Modern && createExhaustedIsEusers(config_.kernel) ? EUSERS : EPERM;
  // iommu group ids come from an IDA: lowest free number first.
  std::vector<bool> used;
  for (const auto& [u, m] : mdevs_) {
    if (m.iommuGroup >= used.size()) used.resize(m.iommuGroup + 1, false);
    used[m.iommuGroup] = true;
  }
  unsigned group = config_.firstIommuGroup;
  while (group < used.size() && used[group]) ++group;
  // The vfio core numbers its devices from its own IDA, lowest free first.
  std::vector<bool> usedDev;
  for (const auto& [u, o] : mdevs_) {
    if (o.vfioDevice >= usedDev.size()) usedDev.resize(o.vfioDevice + 1, false);
    usedDev[o.vfioDevice] = true;
  }
  unsigned index = 0;
  while (index < usedDev.size() && usedDev[index]) ++index;
  MdevState m;
  m.uuid = uuid;
  m.iommuGroup = group;
  m.vfioDevice = index;
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
    // Modern 4.20: vfio_ap_mdev_remove refuses and the mdev core passes EBUSY
    // on; nothing happens to the guest. (The legacy interface keeps recording
    // the event, so that its tests still see a script try it.)
    if (config_.interface == ir::Interface::Modern && removeOfHeldFails(config_.kernel)) return EBUSY;
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
  const bool dynamic = config_.interface == ir::Interface::Modern && hasDynamicConfig(config_.kernel);
  for (unsigned a : as) {
    for (unsigned d : ds) {
      if (dynamic) {
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
// Modern before 6.0 (4.20, 5.15) follows the same table as legacy: the queues
// must be bound to vfio_ap before they are assigned.
int KernelModel::writeAssign(MdevState& m, std::string_view attr, std::string_view data) {
  const bool legacy = config_.interface == ir::Interface::Legacy || !hasDynamicConfig(config_.kernel);
  if (heldPreDynamic(m)) return EBUSY;
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
std::pair<IdSet, IdSet> KernelModel::shadowApcb(const MdevState& m) const {
  IdSet configured;
  for (const auto& c : config_.cards)
    if (c.configured) configured.set(c.id);
  IdSet apm = m.apm & configured;
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
  return {apm, aqm};
}

std::string KernelModel::guestMatrix(const MdevState& m) const {
  auto [apm, aqm] = shadowApcb(m);
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
int KernelModel::defaultDomain() const {
  std::lock_guard lock(mu_);
  return defaultDomain_;
}
QueueHostState KernelModel::queueState(unsigned a, unsigned d) const {
  std::lock_guard lock(mu_);
  auto it = config_.queueState.find({static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(d)});
  return it == config_.queueState.end() ? QueueHostState{} : it->second;
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
