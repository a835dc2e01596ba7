// libvirt/<guest>.hostdev.xml (the element for the guest's domain XML) and
// libvirt/<guest>.nodedev.xml (the mdev as a node device, parent ap_matrix).
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
    std::string name = "mdev_" + a.uuid;
    for (char& c : name)
      if (c == '-') c = '_';
    std::string nodedev = "<device>\n  <name>" + name + "</name>\n  <parent>ap_matrix</parent>\n" +
                          "  <capability type='mdev'>\n    <type id='vfio_ap-passthrough'/>\n" +
                          "    <uuid>" + xmlEscape(a.uuid) + "</uuid>\n";
    for (const Attr& attr : mdevAttrs(a))
      nodedev += "    <attr name='" + attr.name + "' value='" + attr.value + "'/>\n";
    if (guest.start == ir::StartPolicy::Auto) nodedev += "    <start type='auto'/>\n";
    nodedev += "  </capability>\n</device>\n";
    out.push_back({"libvirt/" + guest.name + ".hostdev.xml", hostdev});
    out.push_back({"libvirt/" + guest.name + ".nodedev.xml", nodedev});
  }
  return out;
}

}  // namespace apc::backends
