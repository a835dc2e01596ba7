// The artifacts through the real tools: shellcheck and bash -n for every
// script, Debian's mdevctl (define, read back, byte-compare its own file),
// and libvirt's schema validator for every XML file.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <fstream>

#include "backends/emitters.h"
#include "tests/backends/fixtures.h"

namespace apc::backends {
namespace {

namespace fs = std::filesystem;

struct Case {
  std::string name;
  ir::SolvedPlan solved;
  bool hostile;
};

ir::SolvedPlan noGuests() {
  ir::SolvedPlan s = test::seedSolved();
  s.plan.guests.clear();
  s.alloc.clear();
  s.apmask.set();
  return s;
}

std::vector<Case> cases() {
  return {{"no_guests", noGuests(), false},
          {"seed_modern", test::seedSolved(ir::Interface::Modern), false},
          {"seed_legacy", test::seedSolved(ir::Interface::Legacy), false},
          {"hostile_modern", test::hostileSolved(ir::Interface::Modern), true},
          {"hostile_legacy", test::hostileSolved(ir::Interface::Legacy), true}};
}

std::vector<Artifact> artifactsOf(const Case& c) {
  if (!c.hostile) return test::emitAll(c.solved);
  std::vector<Artifact> out = emitScripts(c.solved);
  for (Artifact& a : emitJson(c.solved)) out.push_back(a);
  return out;
}

TEST(BackendsTools, EveryScriptPassesShellcheckAndBashN) {
  ASSERT_EQ(test::run("command -v shellcheck"), 0) << "shellcheck is not installed";
  for (const Case& c : cases()) {
    test::TempDir dir;
    auto all = artifactsOf(c);
    test::writeArtifacts(dir.path, all);
    int scripts = 0;
    for (const Artifact& a : all) {
      if (a.path.size() < 3 || a.path.substr(a.path.size() - 3) != ".sh") continue;
      ++scripts;
      EXPECT_TRUE(a.executable) << a.path;
      std::string out;
      EXPECT_EQ(test::run("bash -n " + (dir.path / a.path).string(), &out), 0) << c.name << " " << a.path << out;
      EXPECT_EQ(test::run("shellcheck " + (dir.path / a.path).string(), &out), 0)
          << c.name << " " << a.path << "\n" << out;
    }
    EXPECT_EQ(scripts, c.hostile ? 3 : 4) << c.name;
  }
}

// The golden outputs of the spec examples are what users get: check them too.
std::vector<fs::path> goldenFiles(const std::string& suffix) {
  std::vector<fs::path> out;
  fs::path root = fs::path(APC_SOURCE_DIR) / "tests/backends/golden";
  if (!fs::exists(root)) return out;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it)
    if (it->is_regular_file() && it->path().string().ends_with(suffix)) out.push_back(it->path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(BackendsTools, GoldenScriptsPassShellcheckAndBashN) {
  ASSERT_EQ(test::run("command -v shellcheck"), 0) << "shellcheck is not installed";
  auto scripts = goldenFiles(".sh");
  ASSERT_FALSE(scripts.empty());
  std::string all;
  for (const fs::path& p : scripts) {
    std::string out;
    EXPECT_EQ(test::run("bash -n " + p.string(), &out), 0) << p << out;
    all += " " + p.string();
  }
  std::string out;
  EXPECT_EQ(test::run("shellcheck" + all, &out), 0) << out;
}

TEST(BackendsTools, GoldenNodedevAndHostdevFilesValidate) {
  auto files = goldenFiles(".xml");
  ASSERT_FALSE(files.empty());
  test::TempDir dir;
  for (const fs::path& p : files) {
    std::string text = test::readFile(p), out;
    if (p.string().ends_with(".hostdev.xml")) {
      std::ofstream(dir.path / "d.xml") << "<domain type='kvm'><name>g</name><memory>524288</memory><os>"
                                           "<type arch='s390x' machine='s390-ccw-virtio'>hvm</type></os><devices>"
                                        << text << "</devices></domain>\n";
      EXPECT_EQ(test::run("virt-xml-validate " + (dir.path / "d.xml").string() + " domain", &out), 0) << p << out;
    } else {
      // As emitted, nothing stripped: Debian 12's libvirt 9.0 schema must accept it.
      EXPECT_EQ(test::run("virt-xml-validate " + p.string() + " nodedev", &out), 0) << p << out;
    }
  }
}

TEST(BackendsTools, JsonOfHostilePlanParses) {
  // nlohmann escapes; a newline in a name stays inside its string.
  auto j = emitJson(test::hostileSolved(ir::Interface::Modern))[0].bytes;
  EXPECT_EQ(j.find("\n\"'"), std::string::npos);
  EXPECT_NE(j.find("$(touch PWNED)\\n\\\"'"), std::string::npos) << j;
}

TEST(BackendsTools, LibvirtFilesValidate) {
  ASSERT_EQ(test::run("command -v virt-xml-validate"), 0) << "virt-xml-validate (libvirt-clients) is missing";
  for (const Case& c : cases()) {
    if (c.hostile) continue;
    test::TempDir dir;
    for (const Artifact& a : emitLibvirt(c.solved)) {
      std::string out;
      if (a.path.ends_with(".hostdev.xml")) {
        // A hostdev is an element of a domain: validate it inside a minimal one.
        std::ofstream(dir.path / "domain.xml")
            << "<domain type='kvm'>\n  <name>g</name>\n  <memory>524288</memory>\n"
               "  <os>\n    <type arch='s390x' machine='s390-ccw-virtio'>hvm</type>\n  </os>\n"
               "  <devices>\n"
            << a.bytes << "  </devices>\n</domain>\n";
        EXPECT_EQ(test::run("virt-xml-validate " + (dir.path / "domain.xml").string() + " domain", &out), 0)
            << a.path << "\n" << out;
      } else if (a.path.ends_with(".nodedev.xml")) {
        // The file exactly as emitted, against Debian 12's libvirt 9.0 schema.
        std::ofstream(dir.path / "nodedev.xml") << a.bytes;
        EXPECT_EQ(test::run("virt-xml-validate " + (dir.path / "nodedev.xml").string() + " nodedev", &out), 0)
            << a.path << "\n" << out;
      }
    }
  }
}

TEST(BackendsTools, ValidatorRejectsABrokenFile) {
  // The validator is really checking: a wrong model fails.
  test::TempDir dir;
  std::ofstream(dir.path / "nd.xml") << "<device><name>x</name><parent>ap_matrix</parent>"
                                        "<capability type='mdev'><bogus/></capability></device>\n";
  EXPECT_NE(test::run("virt-xml-validate " + (dir.path / "nd.xml").string() + " nodedev"), 0);
  // and libvirt 9.0's schema has no <start> in a node device: the element the
  // nodedev files carried before is rejected, so the check above can see it.
  std::ofstream(dir.path / "start.xml") << "<device><name>mdev_x</name><parent>ap_matrix</parent>"
                                           "<capability type='mdev'><type id='vfio_ap-passthrough'/>"
                                           "<start type='auto'/></capability></device>\n";
  EXPECT_NE(test::run("virt-xml-validate " + (dir.path / "start.xml").string() + " nodedev"), 0);
}

// Inside a private mount namespace, a temporary folder stands in for
// /etc/mdevctl.d; mdevctl 1.2.0 needs scripts.d/{callouts,notifiers} there.
// (Debian's mdevctl build ignores MDEVCTL_ENV_ROOT: only a mount can point it
// elsewhere, and that mount must never reach the host's /etc.)
//
// The namespace command: root gets `unshare -m`; anyone else a user namespace
// that maps them to root (`unshare -r -m`). Both make every mount private
// first, which needs / to be a mount point: in a chroot whose root is a plain
// folder unshare stops with "cannot change root filesystem propagation".
// Empty when it works, else why it cannot, from unshare's own words.
std::string namespacePrefix(std::string* why) {
  const std::string prefix = ::geteuid() == 0 ? "unshare -m" : "unshare -r -m";
  std::string out;
  if (test::run(prefix + " true", &out) == 0) return prefix;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  *why = "`" + prefix + " true` failed: " + out;
  if (test::run("mountpoint -q /") != 0)
    *why += " (/ is not a mount point, as in a chroot of a plain folder: bind-mount the chroot's root onto itself "
            "before entering it)";
  return "";
}

TEST(BackendsTools, MdevctlDefinesAndReadsBackEveryFile) {
  ASSERT_EQ(test::run("command -v mdevctl"), 0) << "mdevctl is not installed (tools/setup.sh installs it)";
  std::string why;
  const std::string ns = namespacePrefix(&why);
  if (ns.empty()) GTEST_SKIP() << why;
  for (const Case& c : cases()) {
    if (c.hostile) continue;
    test::TempDir dir;
    auto files = emitMdevctl(c.solved);
    test::writeArtifacts(dir.path / "out", files);
    fs::create_directories(dir.path / "etc/scripts.d/callouts");
    fs::create_directories(dir.path / "etc/scripts.d/notifiers");
    std::string inner = "set -e; mount --bind " + (dir.path / "etc").string() + " /etc/mdevctl.d; cd " +
                        (dir.path / "out").string() + "; ";
    // define.sh twice: the second run finds every definition equal and changes nothing.
    inner += "bash mdevctl/define.sh > " + (dir.path / "define1.log").string() + " 2>&1; ";
    inner += "cp -r /etc/mdevctl.d " + (dir.path / "after1").string() + "; ";
    inner += "bash mdevctl/define.sh > " + (dir.path / "define2.log").string() + " 2>&1; ";
    inner += "mdevctl list -d --dumpjson > " + (dir.path / "list.json").string() + "; ";
    for (const Artifact& a : files)
      if (a.path.ends_with(".json")) {
        std::string uuid = fs::path(a.path).stem().string();
        inner += "mdevctl list -d -p matrix -u " + uuid + " --dumpjson > " + (dir.path / (uuid + ".back")).string() + "; ";
      }
    std::string out;
    ASSERT_EQ(test::run(ns + " bash -c '" + inner + "'", &out), 0)
        << out << test::readFile(dir.path / "define1.log") << test::readFile(dir.path / "define2.log");
    for (const Artifact& a : files) {
      if (!a.path.ends_with(".json")) continue;
      std::string uuid = fs::path(a.path).stem().string();
      // mdevctl's own stored file is byte-identical to ours.
      EXPECT_EQ(test::readFile(dir.path / "etc/matrix" / uuid), a.bytes) << c.name << " " << uuid;
      EXPECT_EQ(test::readFile(dir.path / "after1/matrix" / uuid), a.bytes);
      // and `list -d -u --dumpjson` gives the same object back.
      std::string back = test::readFile(dir.path / (uuid + ".back"));
      while (!back.empty() && back.back() == '\n') back.pop_back();
      EXPECT_EQ(back, a.bytes) << c.name << " " << uuid;
    }
    std::string list = test::readFile(dir.path / "list.json");
    for (const ir::GuestAllocation& a : c.solved.alloc) EXPECT_NE(list.find("\"" + a.uuid + "\": {"), std::string::npos);
    EXPECT_NE(test::readFile(dir.path / "define2.log").find("every mdev of the plan is defined"), std::string::npos);
  }
}

TEST(BackendsTools, MdevctlDefineShReportsADifferentDefinition) {
  ASSERT_EQ(test::run("command -v mdevctl"), 0) << "mdevctl is not installed (tools/setup.sh installs it)";
  std::string why;
  const std::string ns = namespacePrefix(&why);
  if (ns.empty()) GTEST_SKIP() << why;
  test::TempDir dir;
  auto s = test::seedSolved();
  test::writeArtifacts(dir.path / "out", emitMdevctl(s));
  s.alloc[0].domains.reset(0xab);
  s.alloc[0].controlDomains.reset(0xab);
  test::writeArtifacts(dir.path / "old", emitMdevctl(s));
  fs::create_directories(dir.path / "etc/scripts.d/callouts");
  fs::create_directories(dir.path / "etc/scripts.d/notifiers");
  std::string out;
  int rc = test::run(ns + " bash -c 'mount --bind " + (dir.path / "etc").string() +
                         " /etc/mdevctl.d && bash " + (dir.path / "old/mdevctl/define.sh").string() +
                         " >/dev/null && bash " + (dir.path / "out/mdevctl/define.sh").string() + "'",
                     &out);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("mdev 0f5b2c1a-7e4d-5a3b-9c2d-1e0f4a5b6c7d (guest Guest1) is already defined differently"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace apc::backends
