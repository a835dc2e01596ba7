// libvirt/<guest>.hostdev.xml (the element for the guest's domain XML),
// libvirt/<guest>.nodedev.xml (the mdev as a node device, parent ap_matrix)
// and libvirt/README.md (the virsh steps, autostart included).
//
// The nodedev files carry no <start> element: Debian 12's libvirt 9.0 schema
// (nodedev.rng) has none, so a file with it fails virt-xml-validate there.
// libvirt's own way to autostart a defined node device is
// `virsh nodedev-autostart` (since libvirt 7.8), which the README lists for
// every `start auto` guest.
#include "backends/common.h"
#include "backends/emitters.h"
#include "compiler/ir/internal_error.h"

namespace apc::backends {

namespace {

std::string xmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\'': out += "&apos;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// Guest names become file names: identifiers only ([A-Za-z_][A-Za-z0-9_.-]*).
void checkFileName(const std::string& name) {
  bool ok = !name.empty() && name[0] != '.' && name[0] != '-';
  for (char c : name)
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '.' || c == '-');
  APC_BUG_CHECK(ok, "guest name '" + name + "' is not an identifier");
}

std::string nodedevName(const std::string& uuid) {
  std::string name = "mdev_" + uuid;
  for (char& c : name)
    if (c == '-') c = '_';
  return name;
}

// The virsh steps per guest, in the order they must run. nodedev-define hands
// the definition to mdevctl; nodedev-autostart is how libvirt marks it
// `start auto` (mdevctl then creates it when the matrix parent appears).
std::string readme(const ir::SolvedPlan& solved) {
  std::string out = "# libvirt files for host " + solved.plan.host.name + "\n\n";
  out += "`<guest>.hostdev.xml` goes into the guest's `<devices>` (or `virsh attach-device\n"
         "<guest> <guest>.hostdev.xml --config`). `<guest>.nodedev.xml` defines the guest's\n"
         "mdev as a libvirt node device (libvirt 7.3 or later; libvirt passes it to mdevctl).\n"
         "Run as root, per guest:\n\n";
  // libvirt chooses the node device's name on define (mdev_<uuid>, with the
  // parent's name appended by some versions): look it up by the uuid.
  for (std::size_t g = 0; g < solved.plan.guests.size(); ++g) {
    const ir::Guest& guest = solved.plan.guests[g];
    const std::string name = nodedevName(solved.alloc[g].uuid);
    out += "## " + guest.name + " (start " + std::string(ir::startName(guest.start)) + ")\n\n";
    out += "    virsh nodedev-define " + guest.name + ".nodedev.xml\n";
    out += "    name=$(virsh nodedev-list --cap mdev --all | grep -m1 '^" + name + "')\n";
    if (guest.start == ir::StartPolicy::Auto) out += "    virsh nodedev-autostart \"$name\"\n";
    out += "    virsh nodedev-start \"$name\"\n\n";
  }
  out += "The nodedev files have no `<start>` element: libvirt 9.0 (Debian 12) does not\n"
         "accept one, and `virsh nodedev-autostart` (libvirt 7.8 or later) is the\n"
         "supported way to start a node device with its parent.\n";
  return out;
}

}  // namespace

std::vector<Artifact> emitLibvirt(const ir::SolvedPlan& solved) {
  std::vector<Artifact> out;
  for (std::size_t g = 0; g < solved.plan.guests.size(); ++g) {
    const ir::Guest& guest = solved.plan.guests[g];
    const ir::GuestAllocation& a = solved.alloc[g];
    checkFileName(guest.name);
    APC_BUG_CHECK(isCanonicalUuid(a.uuid), "guest uuid '" + a.uuid + "' is not canonical");
    std::string hostdev =
        "<hostdev mode='subsystem' type='mdev' managed='no' model='vfio-ap'>\n"
        "  <source>\n"
        "    <address uuid='" + xmlEscape(a.uuid) + "'/>\n"
        "  </source>\n"
        "</hostdev>\n";
    std::string nodedev = "<device>\n  <name>" + nodedevName(a.uuid) + "</name>\n  <parent>ap_matrix</parent>\n" +
                          "  <capability type='mdev'>\n    <type id='vfio_ap-passthrough'/>\n" +
                          "    <uuid>" + xmlEscape(a.uuid) + "</uuid>\n";
    for (const Attr& attr : mdevAttrs(a))
      nodedev += "    <attr name='" + attr.name + "' value='" + attr.value + "'/>\n";
    nodedev += "  </capability>\n</device>\n";
    out.push_back({"libvirt/" + guest.name + ".hostdev.xml", hostdev});
    out.push_back({"libvirt/" + guest.name + ".nodedev.xml", nodedev});
  }
  if (!solved.plan.guests.empty()) out.push_back({"libvirt/README.md", readme(solved)});
  return out;
}

}  // namespace apc::backends
