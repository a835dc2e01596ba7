// Builds the plain-file fake sysfs used by the script behaviour tests.
#include "tests/backends/fake_sysfs.h"

#include <fstream>

#include "backends/common.h"
#include "tests/backends/fixtures.h"

namespace apc::backends::test {

namespace fs = std::filesystem;

namespace {

void put(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

void link(const fs::path& p, const std::string& target) {
  fs::create_directories(p.parent_path());
  std::error_code ec;
  fs::remove(p, ec);
  fs::create_symlink(target, p);
}

FakeHost baseHost(const fs::path& root, const ir::SolvedPlan& solved, const ir::IdSet& apmask,
                  const ir::IdSet& aqmask) {
  FakeHost h{root / "sys", root / "proc", solved.plan.host.interface == ir::Interface::Modern};
  fs::create_directories(h.proc);
  fs::path ap = h.sysfs / "bus/ap";
  put(ap / "apmask", ir::formatMask(apmask) + "\n");
  put(ap / "aqmask", ir::formatMask(aqmask) + "\n");
  put(ap / "ap_max_adapter_id", "255\n");
  put(ap / "ap_max_domain_id", "255\n");
  for (const char* drv : {"cex4queue", "vfio_ap"})
    for (const char* f : {"bind", "unbind"}) put(ap / "drivers" / drv / f, "");
  fs::create_directories(ap / "drivers/cex4card");
  for (const ir::Adapter& a : solved.plan.host.adapters) {
    std::string card = "card" + ir::formatCard(a.id);
    put(h.sysfs / "devices/ap" / card / "hwtype", std::to_string(a.type.hwtype()) + "\n");
    put(h.sysfs / "devices/ap" / card / "type", a.type.str() + "\n");
    put(h.sysfs / "devices/ap" / card / "online", "1\n");
    link(ap / "devices" / card, "../../../devices/ap/" + card);
  }
  for (const ir::Queue& q : solved.plan.host.existingQueues().toVector()) {
    std::string name = ir::formatQueue(q);
    std::string card = "card" + ir::formatCard(q.adapter);
    put(h.sysfs / "devices/ap" / card / name / "online", "1\n");
    link(ap / "devices" / name, "../../../devices/ap/" + card + "/" + name);
    bindQueue(h, name, "cex4queue");
  }
  fs::path types = h.parent() / "mdev_supported_types/vfio_ap-passthrough";
  put(types / "create", "");
  put(types / "name", "VFIO AP Passthrough Device\n");
  put(types / "device_api", "vfio-ap\n");
  put(types / "available_instances", "65536\n");
  fs::create_directories(types / "devices");
  return h;
}

}  // namespace

fs::path FakeHost::parent() const {
  return modern ? sysfs / "devices/vfio_ap/matrix" : sysfs / "devices/virtual/misc/vfio_ap";
}

FakeHost makeFreshHost(const fs::path& root, const ir::SolvedPlan& solved) {
  ir::IdSet all;
  all.set();
  return baseHost(root, solved, all, all);
}

FakeHost makeAppliedHost(const fs::path& root, const ir::SolvedPlan& solved) {
  FakeHost h = baseHost(root, solved, solved.apmask, solved.aqmask);
  for (std::size_t g = 0; g < solved.alloc.size(); ++g) {
    const ir::GuestAllocation& a = solved.alloc[g];
    for (const ir::Queue& q : solved.guestQueues(g).toVector()) bindQueue(h, ir::formatQueue(q), "vfio_ap");
    addMdev(h, a.uuid, matrixText(a), controlDomainsText(a), 10 + static_cast<unsigned>(g));
  }
  // apply.sh's record of the bits it cleared, from masks that were all ones.
  if (h.modern) {
    auto ids = [](const ir::IdSet& mask) {
      std::string t;
      for (unsigned id : ir::toVector(~mask)) t += (t.empty() ? "" : " ") + std::to_string(id);
      return t + "\n";
    };
    put(stateDir(h) / "apmask.cleared", ids(solved.apmask));
    put(stateDir(h) / "aqmask.cleared", ids(solved.aqmask));
  }
  return h;
}

fs::path stateDir(const FakeHost& h) { return h.sysfs.parent_path() / "state"; }

fs::path mdevctlDir(const FakeHost& h) { return h.sysfs.parent_path() / "mdevctl.d"; }

void addMdev(const FakeHost& h, const std::string& uuid, const std::string& matrix,
             const std::string& controlDomains, unsigned iommuGroup) {
  fs::path dir = h.parent() / uuid;
  put(dir / "matrix", matrix);
  put(dir / "control_domains", controlDomains);
  if (h.modern) put(dir / "guest_matrix", matrix);
  for (const char* f : {"assign_adapter", "unassign_adapter", "assign_domain", "unassign_domain",
                        "assign_control_domain", "unassign_control_domain", "remove"})
    put(dir / f, "");
  link(dir / "iommu_group", "../../../../kernel/iommu_groups/" + std::to_string(iommuGroup));
  link(h.sysfs / "bus/mdev/devices" / uuid, "../../../devices/vfio_ap/matrix/" + uuid);
}

void bindQueue(const FakeHost& h, const std::string& queue, const std::string& driver) {
  std::string card = "card" + queue.substr(0, 2);
  fs::path link_ = h.sysfs / "devices/ap" / card / queue / "driver";
  std::error_code ec;
  fs::remove(link_, ec);
  if (!driver.empty()) link(link_, "../../../../bus/ap/drivers/" + driver);
}

void addHolder(const FakeHost& h, unsigned pid, const std::string& comm, unsigned group) {
  fs::path p = h.proc / std::to_string(pid);
  put(p / "comm", comm + "\n");
  link(p / "fd/0", "/dev/null");
  link(p / "fd/3", "/dev/vfio/" + std::to_string(group));
}

void addProcess(const FakeHost& h, unsigned pid, const std::string& comm, const std::vector<std::string>& targets) {
  fs::path p = h.proc / std::to_string(pid);
  put(p / "comm", comm + "\n");
  fs::create_directories(p / "fd");
  for (std::size_t i = 0; i < targets.size(); ++i) link(p / "fd" / std::to_string(i), targets[i]);
}

void addVfioDevice(const FakeHost& h, const std::string& uuid, unsigned index) {
  fs::create_directories(h.parent() / uuid / "vfio-dev" / ("vfio" + std::to_string(index)));
}

void setQueueStatus(const FakeHost& h, const std::string& queue, const std::string& status) {
  put(h.sysfs / "devices/ap" / ("card" + queue.substr(0, 2)) / queue / "status", status + "\n");
}

std::map<std::string, std::string> snapshot(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const fs::path& p = it->path();
    std::string key = fs::relative(p, root).string();
    if (fs::is_symlink(it->symlink_status())) out[key] = "-> " + fs::read_symlink(p).string();
    else if (it->is_regular_file()) out[key] = readFile(p);
    else out[key] = "<dir>";
  }
  return out;
}

int runScript(const FakeHost& h, const fs::path& script, std::string* output) {
  return run("cd " + h.sysfs.parent_path().string() + " && SYSFS=" + h.sysfs.string() + " PROC=" +
                 h.proc.string() + " APC_LOCK_FILE=" + (h.sysfs.parent_path() / "lock").string() +
                 " APC_STATE_DIR=" + stateDir(h).string() + " APC_MDEVCTL_DIR=" + mdevctlDir(h).string() + " bash " +
                 script.string(),
             output);
}

}  // namespace apc::backends::test
