// The file tree of the model: which paths exist for the current state, their
// kind and permissions, link targets, and read/write dispatch to the state
// transitions in kernel_model.cpp. Layout as in drivers/s390/crypto (ap_bus.c,
// ap_card.c, ap_queue.c, zcrypt_card.c, vfio_ap_drv.c, vfio_ap_ops.c) and the
// mdev core (drivers/vfio/mdev/mdev_sysfs.c).
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <deque>

#include "kmod/model/kernel_model.h"
#include "kmod/model/kstrtox.h"
#include "kmod/model/sysfs_format.h"

namespace apc::kmod {

using ir::IdSet;

struct KernelModel::Node {
  enum class T {
    Dir,            // a fixed directory, `path` says which
    BusApAttr,      // bus/ap/<name>
    BusApDevLink,   // bus/ap/devices/<card or queue>
    DriverDir,      // bus/ap/drivers/<drv>
    DriverFile,     // bus/ap/drivers/<drv>/{bind,unbind}
    DriverLink,     // bus/ap/drivers/<drv>/<device>
    CardDir, CardAttr, CardDriverLink,
    QueueDir, QueueAttr, QueueDriverLink,
    ParentAttr,     // <parent>/features
    TypeAttr,       // <parent>/mdev_supported_types/vfio_ap-passthrough/<name>
    TypeDevLink,    // .../vfio_ap-passthrough/devices/<uuid>
    MdevDir, MdevAttr, MdevLink,
    VfioDevClassDir,  // <mdev>/vfio-dev
    VfioDevDir,       // <mdev>/vfio-dev/vfioN (its own attributes are not modelled)
    BusMdevLink,    // bus/mdev/devices/<uuid>
    IommuGroupDir, IommuDevicesDir, IommuDevLink,
  };
  T t = T::Dir;
  std::string path;  // canonical
  unsigned a = 0, d = 0;
  bool isQueue = false;  // for the device links
  Driver drv = Driver::None;
  std::string uuid;
  std::string name;  // the attribute's file name
};

namespace {

using Node = KernelModel::Node;
using T = Node::T;

std::vector<std::string> split(std::string_view p) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i <= p.size()) {
    std::size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    if (j > i) out.emplace_back(p.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n && i < parts.size(); ++i) {
    if (i) out += '/';
    out += parts[i];
  }
  return out;
}

std::string cardName(unsigned a) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "card%02x", a);
  return buf;
}

std::optional<unsigned> parseCard(std::string_view s) {
  unsigned a = 0;
  char tail = 0;
  std::string b(s);
  if (s.size() != 6 || std::sscanf(b.c_str(), "card%2x%c", &a, &tail) != 1) return std::nullopt;
  if (cardName(a) != s) return std::nullopt;
  return a;
}

std::optional<ir::Queue> parseQueueName(std::string_view s) {
  unsigned a = 0, d = 0;
  char tail = 0;
  std::string b(s);
  if (s.size() != 7 || std::sscanf(b.c_str(), "%2x.%4x%c", &a, &d, &tail) != 2) return std::nullopt;
  if (ir::formatQueue(a, d) != s) return std::nullopt;
  return ir::Queue{static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(d)};
}

std::optional<Driver> parseDriver(std::string_view s) {
  if (s == "cex4queue") return Driver::Cex4Queue;
  if (s == "vfio_ap") return Driver::VfioAp;
  return std::nullopt;
}

const char* const kMdevWriteOnly[] = {"assign_adapter", "assign_control_domain", "assign_domain",
                                      "remove", "unassign_adapter", "unassign_control_domain",
                                      "unassign_domain"};
const char* const kTypeAttrs[] = {"available_instances", "create", "device_api", "name"};

bool contains(const std::vector<std::string>& v, std::string_view s) {
  for (const auto& x : v)
    if (x == s) return true;
  return false;
}

NodeKind kindOf(T t) {
  switch (t) {
    case T::Dir: case T::DriverDir: case T::CardDir: case T::QueueDir: case T::MdevDir:
    case T::IommuGroupDir: case T::IommuDevicesDir: case T::VfioDevClassDir: case T::VfioDevDir:
      return NodeKind::Dir;
    case T::BusApDevLink: case T::DriverLink: case T::CardDriverLink: case T::QueueDriverLink:
    case T::TypeDevLink: case T::MdevLink: case T::BusMdevLink: case T::IommuDevLink:
      return NodeKind::Symlink;
    default:
      return NodeKind::File;
  }
}

}  // namespace

std::vector<std::string> KernelModel::children(const Node& n) const {
  std::vector<std::string> out;
  const bool modern = config_.interface == ir::Interface::Modern;
  const std::string parent = matrixParent();
  const std::string types = parent + "/mdev_supported_types";
  const std::string typeDir = types + "/vfio_ap-passthrough";
  auto addMdevs = [&] { for (const auto& [u, m] : mdevs_) out.push_back(u); };
  auto addQueues = [&](unsigned a) {
    for (unsigned d = 0; d < ir::kMaxIds; ++d)
      if (queueExists(a, d)) out.push_back(ir::formatQueue(a, d));
  };
  switch (n.t) {
    case T::Dir:
      if (n.path.empty()) out = {"bus", "devices", "kernel"};
      else if (n.path == "bus") out = {"ap", "mdev"};
      else if (n.path == "bus/ap") {
        // ap_bus_attrs (ap_bus.c): what lszcrypt, lszdev and ap-check read.
        out = {"ap_adapter_mask", "ap_control_domain_mask", "ap_domain", "ap_interrupts", "ap_max_adapter_id",
               "ap_max_domain_id", "ap_usage_domain_mask", "config_time", "poll_thread", "poll_timeout"};
        if (modern) out.insert(out.end(), {"apmask", "aqmask"});
        out.insert(out.end(), {"bindings", "devices", "drivers"});
        if (modern && config_.kernel >= KernelGen::K6_10) out.push_back("features");  // 6.4
        if (modern && config_.kernel >= KernelGen::K6_19) out.push_back("bindings_complete_count");
      } else if (n.path == "bus/ap/devices") {
        for (const auto& c : config_.cards) {
          out.push_back(cardName(c.id));
          addQueues(c.id);
        }
      } else if (n.path == "bus/ap/drivers") out = {"cex4card", "cex4queue", "vfio_ap"};
      else if (n.path == "bus/mdev") out = {"devices"};
      else if (n.path == "bus/mdev/devices") addMdevs();
      else if (n.path == "devices") out = {"ap", modern ? "vfio_ap" : "virtual"};
      else if (n.path == "devices/ap") {
        for (const auto& c : config_.cards) out.push_back(cardName(c.id));
      } else if (n.path == "devices/vfio_ap") out = {"matrix"};
      else if (n.path == "devices/virtual") out = {"misc"};
      else if (n.path == "devices/virtual/misc") out = {"vfio_ap"};
      else if (n.path == "kernel") out = {"iommu_groups"};
      else if (n.path == "kernel/iommu_groups") {
        std::vector<unsigned> groups;
        for (const auto& [u, m] : mdevs_) groups.push_back(m.iommuGroup);
        std::sort(groups.begin(), groups.end());
        for (unsigned g : groups) out.push_back(std::to_string(g));
      } else if (n.path == parent) {
        if (modern && hasParentFeatures(config_.kernel)) out.push_back("features");
        out.push_back("mdev_supported_types");
        addMdevs();
      } else if (n.path == types) out = {"vfio_ap-passthrough"};
      else if (n.path == typeDir) out = {"available_instances", "create", "device_api", "devices", "name"};
      else if (n.path == typeDir + "/devices") addMdevs();
      break;
    case T::DriverDir:
      out = {"bind", "unbind"};
      if (n.name == "cex4card") {
        for (const auto& c : config_.cards)
          if (c.hwtype >= 10) out.push_back(cardName(c.id));
      } else {
        for (const auto& c : config_.cards)
          for (unsigned d = 0; d < ir::kMaxIds; ++d)
            if (queueExists(c.id, d) && drivers_[c.id * ir::kMaxIds + d] == n.drv)
              out.push_back(ir::formatQueue(c.id, d));
      }
      break;
    case T::CardDir: {
      // ap_card_dev_attrs (ap_card.c); type/online from zcrypt_card.c and
      // serialnr from zcrypt_cex4.c once cex4card drives the card.
      const CardConfig* c = card(n.a);
      out = {"ap_functions", "chkstop", "config", "depth", "hwtype", "max_msg_size", "pendingq_count",
             "raw_hwtype", "request_count", "requestq_count"};
      if (c->hwtype >= 10) out.insert(out.end(), {"driver", "online", "type"});
      if (c->hwtype >= 10 && c->mode != ir::CardMode::Accel) out.push_back("serialnr");
      addQueues(n.a);
      break;
    }
    case T::QueueDir: {
      // ap_queue_dev_attrs (ap_queue.c); online from zcrypt_queue.c while
      // cex4queue drives it, status from vfio_ap_drv.c while vfio_ap does.
      Driver drv = drivers_[n.a * ir::kMaxIds + n.d];
      out = {"ap_functions", "chkstop", "config", "pendingq_count", "request_count", "requestq_count"};
      if (drv != Driver::None) out.push_back("driver");
      if (drv == Driver::Cex4Queue) out.push_back("online");
      if (drv == Driver::VfioAp && modern && hasDynamicConfig(config_.kernel)) out.push_back("status");
      if (modern && hasDriverOverride(config_.kernel)) out.push_back("driver_override");
      break;
    }
    case T::MdevDir:
      out = {"assign_adapter", "assign_control_domain", "assign_domain", "control_domains",
             "iommu_group", "matrix", "mdev_type", "remove", "unassign_adapter",
             "unassign_control_domain", "unassign_domain"};
      if (modern && hasApConfig(config_.kernel)) out.push_back("ap_config");
      if (modern && hasDynamicConfig(config_.kernel)) out.push_back("guest_matrix");
      if (modern && hasVfioDeviceClass(config_.kernel)) out.push_back("vfio-dev");
      break;
    case T::VfioDevClassDir: out = {"vfio" + std::to_string(mdevs_.at(n.uuid).vfioDevice)}; break;
    case T::IommuGroupDir: out = {"devices"}; break;
    case T::IommuDevicesDir:
      for (const auto& [u, m] : mdevs_)
        if (m.iommuGroup == n.a) out.push_back(u);
      break;
    default: break;
  }
  std::sort(out.begin(), out.end());
  return out;
}

// One step down the tree: the entry `c` of the directory `n` (nullopt when
// there is none, or `n` is not a directory). Links are not followed here.
std::optional<Node> KernelModel::step(const Node& n, const std::string& c) const {
  const std::string& parent = parent_;
  const std::string& typeDir = typeDir_;
  Node next;
  next.path = n.path.empty() ? c : n.path + "/" + c;
  switch (n.t) {
    case T::Dir: {
      if (n.path == "bus/ap/devices") {
        if (auto a = parseCard(c); a && adapterIds_.test(*a)) {
          next.t = T::BusApDevLink;
          next.a = *a;
        } else if (auto q = parseQueueName(c); q && queueExists(q->adapter, q->domain)) {
          next.t = T::BusApDevLink;
          next.a = q->adapter;
          next.d = q->domain;
          next.isQueue = true;
        } else {
          return std::nullopt;
        }
      } else if (n.path == "bus/ap/drivers") {
        if (c != "cex4card" && c != "cex4queue" && c != "vfio_ap") return std::nullopt;
        next.t = T::DriverDir;
        next.name = c;
        next.drv = parseDriver(c).value_or(Driver::None);
      } else if (n.path == "devices/ap") {
        auto a = parseCard(c);
        if (!a || !adapterIds_.test(*a)) return std::nullopt;
        next.t = T::CardDir;
        next.a = *a;
      } else if (n.path == "bus/mdev/devices" || n.path == parent || n.path == typeDir + "/devices") {
        if (mdevs_.count(c)) {
          next.t = n.path == parent ? T::MdevDir : n.path == typeDir + "/devices" ? T::TypeDevLink
                                                                                   : T::BusMdevLink;
          next.uuid = c;
        } else if (n.path == parent && (c == "mdev_supported_types" ||
                                        (c == "features" && config_.interface == ir::Interface::Modern &&
                                         hasParentFeatures(config_.kernel)))) {
          next.t = c == "features" ? T::ParentAttr : T::Dir;
          next.name = c;
        } else {
          return std::nullopt;
        }
      } else if (n.path == "kernel/iommu_groups") {
        bool found = false;
        for (const auto& [u, m] : mdevs_)
          if (std::to_string(m.iommuGroup) == c) {
            found = true;
            next.a = m.iommuGroup;
          }
        if (!found) return std::nullopt;
        next.t = T::IommuGroupDir;
      } else {
        if (!contains(children(n), c)) return std::nullopt;
        if (n.path == "bus/ap") {
          next.t = (c == "devices" || c == "drivers") ? T::Dir : T::BusApAttr;
        } else if (n.path == typeDir) {
          next.t = c == "devices" ? T::Dir : T::TypeAttr;
        } else {
          next.t = T::Dir;
        }
        next.name = c;
      }
      break;
    }
    case T::DriverDir: {
      next.drv = n.drv;
      next.name = c;
      if (c == "bind" || c == "unbind") {
        next.t = T::DriverFile;
        next.name = n.name + "/" + c;
        break;
      }
      if (n.name == "cex4card") {
        auto a = parseCard(c);
        const CardConfig* cc = a ? card(*a) : nullptr;
        if (!cc || cc->hwtype < 10) return std::nullopt;
        next.a = *a;
      } else {
        auto q = parseQueueName(c);
        if (!q || !queueExists(q->adapter, q->domain) ||
            drivers_[q->adapter * ir::kMaxIds + q->domain] != n.drv)
          return std::nullopt;
        next.a = q->adapter;
        next.d = q->domain;
        next.isQueue = true;
      }
      next.t = T::DriverLink;
      break;
    }
    case T::CardDir: {
      if (auto q = parseQueueName(c); q && q->adapter == n.a && queueExists(q->adapter, q->domain)) {
        next.t = T::QueueDir;
        next.a = n.a;
        next.d = q->domain;
        break;
      }
      if (!contains(children(n), c)) return std::nullopt;
      next.t = c == "driver" ? T::CardDriverLink : T::CardAttr;
      next.a = n.a;
      next.name = c;
      break;
    }
    case T::QueueDir:
      if (!contains(children(n), c)) return std::nullopt;
      next.t = c == "driver" ? T::QueueDriverLink : T::QueueAttr;
      next.a = n.a;
      next.d = n.d;
      next.name = c;
      break;
    case T::MdevDir:
      if (!contains(children(n), c)) return std::nullopt;
      next.t = (c == "iommu_group" || c == "mdev_type") ? T::MdevLink
               : c == "vfio-dev"                         ? T::VfioDevClassDir
                                                         : T::MdevAttr;
      next.uuid = n.uuid;
      next.name = c;
      break;
    case T::VfioDevClassDir:
      if (!contains(children(n), c)) return std::nullopt;
      next.t = T::VfioDevDir;
      next.uuid = n.uuid;
      next.name = c;
      break;
    case T::IommuGroupDir:
      if (c != "devices") return std::nullopt;
      next.t = T::IommuDevicesDir;
      next.a = n.a;
      break;
    case T::IommuDevicesDir: {
      auto it = mdevs_.find(c);
      if (it == mdevs_.end() || it->second.iommuGroup != n.a) return std::nullopt;
      next.t = T::IommuDevLink;
      next.uuid = c;
      break;
    }
    default:
      return std::nullopt;  // a file or a link in the middle of a canonical path
  }
  return next;
}

// Looks up a path whose every component is a real (non-link) entry except
// possibly the last.
std::optional<Node> KernelModel::lookupCanonical(const std::vector<std::string>& parts) const {
  Node n;
  for (const auto& c : parts) {
    auto next = step(n, c);
    if (!next) return std::nullopt;
    n = std::move(*next);
  }
  return n;
}

std::optional<std::string> KernelModel::linkTarget(const Node& n) const {
  std::string target;
  const std::string parent = matrixParent();
  auto dev = [&](unsigned a, unsigned d, bool q) {
    return "devices/ap/" + cardName(a) + (q ? "/" + ir::formatQueue(a, d) : "");
  };
  switch (n.t) {
    case T::BusApDevLink: case T::DriverLink: target = dev(n.a, n.d, n.isQueue); break;
    case T::CardDriverLink: target = "bus/ap/drivers/cex4card"; break;
    case T::QueueDriverLink:
      target = "bus/ap/drivers/" + std::string(driverName(drivers_[n.a * ir::kMaxIds + n.d]));
      break;
    case T::TypeDevLink: case T::BusMdevLink: case T::IommuDevLink: target = parent + "/" + n.uuid; break;
    case T::MdevLink:
      target = n.name == "iommu_group"
                   ? "kernel/iommu_groups/" + std::to_string(mdevs_.at(n.uuid).iommuGroup)
                   : parent + "/mdev_supported_types/vfio_ap-passthrough";
      break;
    default: return std::nullopt;
  }
  // sysfs links are relative to the directory holding them.
  std::string rel;
  std::size_t depth = split(n.path).size() - 1;
  for (std::size_t i = 0; i < depth; ++i) rel += "../";
  return rel + target;
}

std::optional<std::string> KernelModel::resolve(std::string_view path) const {
  std::vector<Node> stack;  // the nodes of the canonical path so far
  std::deque<std::string> todo;
  for (auto& c : split(path)) todo.push_back(std::move(c));
  int hops = 0;
  const Node root;
  while (!todo.empty()) {
    std::string c = std::move(todo.front());
    todo.pop_front();
    if (c == ".") continue;
    if (c == "..") {
      if (!stack.empty()) stack.pop_back();
      continue;
    }
    auto n = step(stack.empty() ? root : stack.back(), c);
    if (!n) return std::nullopt;
    if (kindOf(n->t) == NodeKind::Symlink) {
      if (++hops > 40) return std::nullopt;
      auto parts = split(*linkTarget(*n));
      for (auto it = parts.rbegin(); it != parts.rend(); ++it) todo.push_front(*it);
      continue;
    }
    stack.push_back(std::move(*n));
  }
  return stack.empty() ? std::string() : stack.back().path;
}

std::optional<Node> KernelModel::lookup(std::string_view path) const {
  auto canon = resolve(path);
  if (!canon) return std::nullopt;
  return lookupCanonical(split(*canon));
}

namespace {

struct Perm {
  bool r, w;
};

Perm permOf(const Node& n) {
  switch (n.t) {
    case T::BusApAttr: return {true, n.name == "apmask" || n.name == "aqmask"};
    case T::DriverFile: return {false, true};
    case T::CardAttr: return {true, n.name == "online"};
    case T::QueueAttr: return {true, n.name == "driver_override"};
    case T::ParentAttr: return {true, false};
    case T::TypeAttr: return n.name == "create" ? Perm{false, true} : Perm{true, false};
    case T::MdevAttr:
      for (const char* w : kMdevWriteOnly)
        if (n.name == w) return {false, true};
      return {true, n.name == "ap_config"};
    default: return {true, false};
  }
}

}  // namespace

std::optional<NodeStat> KernelModel::stat(std::string_view path) const {
  std::lock_guard lock(mu_);
  // lstat: follow links in the directories, not in the last component.
  auto parts = split(path);
  if (parts.empty()) return NodeStat{NodeKind::Dir, true, false, {}};
  std::string last = parts.back();
  parts.pop_back();
  auto dir = resolve(join(parts, parts.size()));
  if (!dir) return std::nullopt;
  auto dparts = split(*dir);
  if (last == "..") {
    if (!dparts.empty()) dparts.pop_back();
  } else if (last != ".") {
    dparts.push_back(last);
  }
  auto n = lookupCanonical(dparts);
  if (!n) return std::nullopt;
  NodeStat st;
  st.kind = kindOf(n->t);
  if (st.kind == NodeKind::Symlink) {
    st.readable = true;
    st.linkTarget = *linkTarget(*n);
  } else if (st.kind == NodeKind::Dir) {
    st.readable = true;
  } else {
    Perm p = permOf(*n);
    st.readable = p.r;
    st.writable = p.w;
  }
  return st;
}

std::optional<std::string> KernelModel::canonical(std::string_view path) const {
  std::lock_guard lock(mu_);
  return resolve(path);
}

ListResult KernelModel::list(std::string_view path) const {
  std::lock_guard lock(mu_);
  auto n = lookup(path);
  if (!n) return {ENOENT, {}};
  if (kindOf(n->t) != NodeKind::Dir) return {ENOTDIR, {}};
  return {0, children(*n)};
}

ReadResult KernelModel::read(std::string_view path) const {
  std::lock_guard lock(mu_);
  auto n = lookup(path);
  if (!n) return {ENOENT, {}};
  if (kindOf(n->t) == NodeKind::Dir) return {EISDIR, {}};
  if (!permOf(*n).r) return {EACCES, {}};  // kernfs_fop_open: no show method
  return readNode(*n);
}

ReadResult KernelModel::readNode(const Node& n) const {
  auto num = [](unsigned long v) { return std::to_string(v) + "\n"; };
  const bool modern = config_.interface == ir::Interface::Modern;
  switch (n.t) {
    case T::BusApAttr:
      if (n.name == "apmask") return {0, formatMaskLine(apmask_)};
      if (n.name == "aqmask") return {0, formatMaskLine(aqmask_)};
      if (n.name == "ap_max_adapter_id") return {0, num(config_.maxAdapterId)};
      if (n.name == "ap_max_domain_id") return {0, num(config_.maxDomainId)};
      if (n.name == "ap_usage_domain_mask") return {0, formatMaskLine(config_.usageDomains)};
      if (n.name == "ap_control_domain_mask") return {0, formatMaskLine(config_.controlDomains)};
      if (n.name == "ap_adapter_mask") return {0, formatMaskLine(adapterIds_)};
      if (n.name == "ap_domain") return {0, std::to_string(defaultDomain_) + "\n"};  // "%d\n"
      // The sim's host: AP interrupts on, no poll thread, the kernel defaults
      // for poll_timeout (250000 ns) and config_time (AP_CONFIG_TIME, 30 s).
      if (n.name == "ap_interrupts") return {0, "1\n"};
      if (n.name == "poll_thread") return {0, "0\n"};
      if (n.name == "poll_timeout") return {0, "250000\n"};
      if (n.name == "config_time") return {0, "30\n"};
      // features_show: the QCI facility names; APXA when IDs go past 63/15.
      if (n.name == "features") return {0, config_.maxAdapterId > 63 ? "APSC APXA QACT\n" : "APSC QACT\n"};
      if (n.name == "bindings_complete_count") return {0, "1\n"};
      if (n.name == "bindings") {
        // bindings_show: bound queues / all queues, "(complete)" once all are bound.
        unsigned total = 0, bound = 0;
        for (const auto& c : config_.cards)
          for (unsigned d = 0; d < ir::kMaxIds; ++d)
            if (queueExists(c.id, d)) {
              ++total;
              bound += drivers_[c.id * ir::kMaxIds + d] != Driver::None;
            }
        return {0, std::to_string(bound) + "/" + std::to_string(total) +
                       (bound == total ? " (complete)\n" : "\n")};
      }
      break;
    case T::CardAttr: {
      const CardConfig* c = card(n.a);
      if (n.name == "hwtype" || n.name == "raw_hwtype") return {0, num(c->hwtype)};
      if (n.name == "type") return {0, c->typeName() + "\n"};
      if (n.name == "online") return {0, c->online ? "1\n" : "0\n"};
      if (n.name == "config") return {0, c->configured ? "1\n" : "0\n"};
      if (n.name == "chkstop") return {0, c->checkstop ? "1\n" : "0\n"};
      // TAPQ's queue depth and the message size limit as the sim's cards report them.
      if (n.name == "depth") return {0, "32\n"};
      if (n.name == "max_msg_size") return {0, "12288\n"};
      if (n.name == "serialnr") {
        char buf[16];
        std::snprintf(buf, sizeof buf, "93SIM%03X\n", c->id);
        return {0, buf};
      }
      if (n.name == "request_count" || n.name == "requestq_count" || n.name == "pendingq_count") {
        // The card's counters are the sums over its queues (ap_card.c).
        std::uint64_t sum = 0;
        for (const auto& [q, st] : config_.queueState) {
          if (q.adapter != n.a || !queueExists(q.adapter, q.domain)) continue;
          sum += n.name == "request_count" ? st.requests : n.name == "requestq_count" ? st.requestq : st.pendingq;
        }
        return {0, std::to_string(sum) + "\n"};
      }
      if (n.name == "ap_functions") {
        // TAPQ facility bits, MSB-0 in 32 bits: 3 = CCA, 4 = accelerator, 5 = EP11.
        unsigned f = c->mode == ir::CardMode::Cca ? 0x10000000u
                     : c->mode == ir::CardMode::Accel ? 0x08000000u : 0x04000000u;
        char buf[16];
        std::snprintf(buf, sizeof buf, "0x%08X\n", f);
        return {0, buf};
      }
      break;
    }
    case T::QueueAttr: {
      const CardConfig* c = card(n.a);
      auto it = config_.queueState.find({static_cast<std::uint8_t>(n.a), static_cast<std::uint8_t>(n.d)});
      const QueueHostState st = it == config_.queueState.end() ? QueueHostState{} : it->second;
      if (n.name == "request_count") return {0, std::to_string(st.requests) + "\n"};
      if (n.name == "requestq_count") return {0, std::to_string(st.requestq) + "\n"};
      if (n.name == "pendingq_count") return {0, std::to_string(st.pendingq) + "\n"};
      if (n.name == "config") return {0, c->configured ? "1\n" : "0\n"};
      if (n.name == "chkstop") return {0, c->checkstop ? "1\n" : "0\n"};
      if (n.name == "online") return {0, c->online ? "1\n" : "0\n"};
      if (n.name == "driver_override") return {0, st.driverOverride + "\n"};
      if (n.name == "ap_functions") {
        // The queue answers TAPQ with its card's functions.
        unsigned f = c->mode == ir::CardMode::Cca ? 0x10000000u
                     : c->mode == ir::CardMode::Accel ? 0x08000000u : 0x04000000u;
        char buf[16];
        std::snprintf(buf, sizeof buf, "0x%08X\n", f);
        return {0, buf};
      }
      if (n.name == "status") {
        // status_show (vfio_ap_ops.c): assigned / unassigned / in use: the
        // queue's mdev has a KVM and (since 6.8) the queue is in its shadow APCB.
        for (const auto& [u, m] : mdevs_) {
          if (!m.apm.test(n.a) || !m.aqm.test(n.d)) continue;
          bool inUse = m.held;
          if (inUse && statusChecksShadow(config_.kernel)) {
            auto [apm, aqm] = shadowApcb(m);
            inUse = apm.test(n.a) && aqm.test(n.d);
          }
          return {0, inUse ? "in use\n" : "assigned\n"};
        }
        return {0, "unassigned\n"};
      }
      break;
    }
    case T::ParentAttr: return {0, "guest_matrix hotplug ap_config\n"};
    case T::TypeAttr:
      if (n.name == "name") return {0, "VFIO AP Passthrough Device\n"};
      if (n.name == "device_api") return {0, "vfio-ap\n"};
      if (n.name == "available_instances") return {0, num(config_.maxInstances - mdevs_.size())};
      break;
    case T::MdevAttr: {
      const MdevState& m = mdevs_.at(n.uuid);
      if (n.name == "matrix") return {0, formatMatrix(m.apm, m.aqm, config_.maxAdapterId, config_.maxDomainId)};
      if (n.name == "guest_matrix" && modern) return {0, guestMatrix(m)};
      if (n.name == "control_domains") return {0, formatControlDomains(m.adm, config_.maxDomainId)};
      if (n.name == "ap_config")
        return {0, ir::formatMask(m.apm) + "," + ir::formatMask(m.aqm) + "," + ir::formatMask(m.adm) + "\n"};
      break;
    }
    default: break;
  }
  return {EIO, {}};
}

int KernelModel::write(std::string_view path, std::string_view data) {
  std::lock_guard lock(mu_);
  auto n = lookup(path);
  if (!n) return ENOENT;
  if (kindOf(n->t) == NodeKind::Dir) return EISDIR;
  if (!permOf(*n).w) return EACCES;  // kernfs_fop_open: no store method
  // sysfs_kf_write: an empty write returns 0 without calling the store.
  if (data.empty()) return 0;
  std::uint64_t count = ++writeCounts_[n->path];
  std::uint64_t total = ++writeCounts_["*"];
  for (const auto& f : faults_) {
    if (f.path == "*" ? f.nth == total : (f.path == n->path && f.nth == count)) {
      int err = f.signal ? EINTR : f.err;
      writeLog_.push_back({n->path, std::string(data), err, true});
      pendingSignal_ = f.signal;
      return err;
    }
  }
  int rc = writeNode(*n, data);
  writeLog_.push_back({n->path, std::string(data), rc, false});
  return rc;
}

int KernelModel::writeNode(const Node& n, std::string_view data) {
  switch (n.t) {
    case T::BusApAttr: return writeMask(n.name == "apmask", data);
    case T::DriverFile: {
      const bool bind = n.name.ends_with("/bind");
      // Cards stay with cex4card in the model (a simplification: the kernel
      // would let a card be unbound); bind of a bound card is EBUSY as in 6.x.
      if (n.name.starts_with("cex4card/")) return bind ? EBUSY : ENODEV;
      return writeBind(n.drv, bind, data);
    }
    case T::CardAttr: {
      // zcrypt_card online_store: sscanf("%d\n"), only 0 or 1.
      std::string buf(data.substr(0, data.find('\0')));
      int v = -1;
      if (std::sscanf(buf.c_str(), "%d", &v) != 1 || v < 0 || v > 1) return EINVAL;
      for (auto& c : config_.cards)
        if (c.id == n.a) c.online = v == 1;
      return 0;
    }
    case T::QueueAttr: return writeDriverOverride(n.a, n.d, data);
    case T::TypeAttr: return writeCreate(data);
    case T::MdevAttr: {
      MdevState& m = mdevs_.at(n.uuid);
      if (n.name == "remove") return writeRemove(m, n.path, data);
      if (n.name == "ap_config") return writeApConfig(m, data);
      return writeAssign(m, n.name, data);
    }
    default: return EIO;
  }
}

}  // namespace apc::kmod
