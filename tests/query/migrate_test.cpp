// diff and migrate.sh: the change list, the order of the phases (a guest
// moves in one step after the guests it takes queues from, its mask bits
// released just before, the host's taken back after every move), unchanged
// guests untouched, shellcheck-clean, golden script.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "backends/migrate/config_diff.h"
#include "backends/migrate/migrate_script.h"
#include "tests/query/golden_util.h"
#include "tests/query/query_test_util.h"

namespace apc {
namespace {

using testing::Loaded;

const char* kOld = R"(host lpar {
    adapter 0x05 CEX5C;
    adapter 0x06 CEX5C;
    adapter 0x07 CEX5C;
    domains 0x04, 0x47, 0xab, 0xff;
}
guest Guest1 { adapters 0x05, 0x06; domains 0x04, 0xab; uuid 11111111-1111-4111-8111-111111111111; }
guest Guest2 { adapters 0x05; domains 0x47, 0xff; uuid 22222222-2222-4222-8222-222222222222; }
guest Gone { adapters 0x07; domains 0x04; uuid 33333333-3333-4333-8333-333333333333; }
)";

const char* kNew = R"(host lpar {
    adapter 0x05 CEX5C;
    adapter 0x06 CEX5C;
    adapter 0x07 CEX5C;
    domains 0x04, 0x47, 0xab, 0xff;
}
guest Guest1 { adapters 0x05, 0x07; domains 0x04, 0xab; control domains 0xff; uuid 11111111-1111-4111-8111-111111111111; }
guest Guest2 { adapters 0x05; domains 0x47, 0xff; uuid 22222222-2222-4222-8222-222222222222; }
guest NewGuest { adapters 0x06; domains 0x04, 0x47; uuid 44444444-4444-4444-8444-444444444444; }
)";

struct Pair {
  Loaded oldL, newL;
  ir::SolvedPlan oldSp, newSp;
  std::vector<migrate::GuestChange> changes;
};

void makePair(Pair& p, const std::string& newText) {
  testing::loadText(p.oldL, kOld, "old.ap");
  testing::loadText(p.newL, newText, "new.ap");
  p.oldSp = testing::solvedFromExact(*p.oldL.plan);
  p.newSp = testing::solvedFromExact(*p.newL.plan);
  for (std::size_t g = 0; g < p.oldSp.alloc.size(); ++g) p.oldSp.alloc[g].uuid = *p.oldSp.plan.guests[g].uuid;
  for (std::size_t g = 0; g < p.newSp.alloc.size(); ++g) p.newSp.alloc[g].uuid = *p.newSp.plan.guests[g].uuid;
  p.changes = migrate::diffConfigurations(migrate::fromSolved(p.oldSp), migrate::fromSolved(p.newSp));
}

std::string newText() { return kNew; }

TEST(Diff, ChangeKinds) {
  Pair p;
  makePair(p, newText());
  ASSERT_EQ(p.changes.size(), 4u);
  EXPECT_EQ(p.changes[0].name, "Gone");
  EXPECT_EQ(p.changes[0].kind, migrate::ChangeKind::Removed);
  EXPECT_EQ(p.changes[1].name, "Guest1");
  EXPECT_EQ(p.changes[1].kind, migrate::ChangeKind::Changed);
  EXPECT_EQ(p.changes[2].name, "Guest2");
  EXPECT_EQ(p.changes[2].kind, migrate::ChangeKind::Unchanged);
  EXPECT_EQ(p.changes[3].name, "NewGuest");
  EXPECT_EQ(p.changes[3].kind, migrate::ChangeKind::Added);
  std::string text = migrate::diffText(p.changes);
  EXPECT_NE(text.find("~ Guest1: adapters 0x05, 0x06 -> 0x05, 0x07 (+0x07 -0x06)"), std::string::npos) << text;
  EXPECT_NE(text.find("1 guest unchanged"), std::string::npos) << text;
  testing::expectGolden("migrate/diff.txt", text);
  testing::expectGolden("migrate/diff.json", migrate::diffJson(p.changes));
}

TEST(Diff, UuidChangeIsRemoveThenAdd) {
  Pair p;
  std::string t = newText();
  t.replace(t.find("22222222-2222-4222-8222-222222222222"), 36, "55555555-5555-4555-8555-555555555555");
  makePair(p, t);
  int removed = 0, added = 0;
  for (const auto& c : p.changes)
    if (c.name == "Guest2") {
      EXPECT_EQ(c.why, "uuid changed");
      removed += c.kind == migrate::ChangeKind::Removed;
      added += c.kind == migrate::ChangeKind::Added;
    }
  EXPECT_EQ(removed, 1);
  EXPECT_EQ(added, 1);
}

// Writes (apc_do/apc_step lines) of a migrate.sh that name `uuid`.
std::vector<std::string> writesNaming(const std::string& script, const std::string& uuid) {
  std::vector<std::string> out;
  std::size_t p = 0;
  while ((p = script.find(uuid, p + 1)) != std::string::npos) {
    std::size_t lineStart = script.rfind('\n', p) + 1;
    std::string line = script.substr(lineStart, script.find('\n', p) - lineStart);
    if (line.find("apc_do") != std::string::npos || line.find("apc_step") != std::string::npos) out.push_back(line);
  }
  return out;
}

TEST(Diff, RenameKeepsTheMdev) {
  Pair p;
  std::string t = newText();
  t.replace(t.find("guest Guest2"), 12, "guest Payroll");
  makePair(p, t);
  const migrate::GuestChange* renamed = nullptr;
  for (const auto& c : p.changes) {
    EXPECT_NE(c.name, "Guest2") << "the old name must not show up as removed";
    if (c.name == "Payroll") renamed = &c;
  }
  ASSERT_NE(renamed, nullptr);
  EXPECT_EQ(renamed->kind, migrate::ChangeKind::Unchanged);
  EXPECT_EQ(renamed->renamedFrom, "Guest2");
  std::string text = migrate::diffText(p.changes);
  EXPECT_NE(text.find("= Guest2 -> Payroll (renamed): same mdev 22222222-2222-4222-8222-222222222222"),
            std::string::npos)
      << text;
  EXPECT_NE(migrate::diffJson(p.changes).find("\"renamed_from\": \"Guest2\""), std::string::npos);
  std::string s = migrate::migrateScript(p.newSp, p.changes);
  EXPECT_TRUE(writesNaming(s, "22222222-2222-4222-8222-222222222222").empty());
  EXPECT_NE(s.find("# rename Guest2 -> Payroll"), std::string::npos);
}

TEST(Diff, RenameOnlyIsNoChangeOtherThanLabels) {
  Pair p;
  std::string t = kOld;
  t.replace(t.find("guest Gone"), 10, "guest Kept");
  makePair(p, t);
  EXPECT_FALSE(migrate::changesMdevs(p.changes));
  EXPECT_NE(migrate::diffText(p.changes).find("no changes other than labels (1 renamed)"), std::string::npos);
  std::string s = migrate::migrateScript(p.newSp, p.changes);
  EXPECT_EQ(s.find("apc_do \"$APC_PARENT\""), std::string::npos);
  EXPECT_EQ(s.find("apc_step \"$APC_PARENT\""), std::string::npos);
}

TEST(Diff, RenamedAndChangedIsEditedOnItsMdev) {
  Pair p;
  std::string t = newText();
  t.replace(t.find("guest Guest1"), 12, "guest Ledger");
  makePair(p, t);
  const migrate::GuestChange* c = nullptr;
  for (const auto& x : p.changes)
    if (x.name == "Ledger") c = &x;
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->kind, migrate::ChangeKind::Changed);
  EXPECT_EQ(c->renamedFrom, "Guest1");
  std::string s = migrate::migrateScript(p.newSp, p.changes);
  EXPECT_EQ(s.find("11111111-1111-4111-8111-111111111111/remove"), std::string::npos);
  EXPECT_EQ(s.find("apc_do \"$APC_CREATE\" 11111111"), std::string::npos);
}

std::size_t at(const std::string& s, const std::string& needle) {
  std::size_t p = s.find(needle);
  EXPECT_NE(p, std::string::npos) << needle;
  return p;
}

TEST(MigrateScript, PhasesInSafeOrder) {
  Pair p;
  makePair(p, newText());
  std::string s = migrate::migrateScript(p.newSp, p.changes);
  std::size_t lock = at(s, "\napc_lock\n");
  std::size_t remove = at(s, "apc_mdev_remove 33333333-3333-4333-8333-333333333333\n");
  // Guest1 gives up adapter 6, which NewGuest gains: Guest1 moves first, in
  // one step, each just after its mask bits go to vfio_ap; the host takes
  // back its bits only after every move.
  // Its mask bits are its old and new IDs; without ap_config it may take
  // adapter 7 before it lets 6 go (07.0004 and 07.00ab are free by then).
  std::size_t release1 = at(s, "apc_mask_release apmask \"$APC_APMASK\" '5 6 7'\n");
  std::size_t move1 =
      at(s, "apc_mdev_edit 11111111-1111-4111-8111-111111111111 move '5 7' '4 171' '4 171 255' 7 ''\n");
  std::size_t release4 = at(s, "apc_mask_release apmask \"$APC_APMASK\" 6\n");
  std::size_t create = at(s, "apc_mdev_create 44444444-4444-4444-8444-444444444444\n");
  std::size_t assign = at(s, "apc_mdev_edit 44444444-4444-4444-8444-444444444444 add ");
  std::size_t release = at(s, "apc_mask_release apmask \"$APC_APMASK\"\n");
  std::size_t takeBack = at(s, "apc_mask_take_back apmask \"$APC_APMASK\"");
  EXPECT_LT(lock, remove);
  EXPECT_LT(remove, release1);
  EXPECT_LT(release1, move1);
  EXPECT_LT(move1, release4);
  EXPECT_LT(release4, create);
  EXPECT_LT(create, assign);
  EXPECT_LT(assign, release);
  EXPECT_LT(release, takeBack);
  // One step per changed guest: no drop or add on Guest1's mdev.
  EXPECT_EQ(s.find("apc_mdev_edit 11111111-1111-4111-8111-111111111111 drop"), std::string::npos);
  EXPECT_EQ(s.find("apc_mdev_edit 11111111-1111-4111-8111-111111111111 add"), std::string::npos);
  // Guest2 is unchanged: no write names its mdev.
  std::size_t g2 = 0;
  while ((g2 = s.find("22222222-2222-4222-8222-222222222222", g2 + 1)) != std::string::npos) {
    std::size_t lineStart = s.rfind('\n', g2) + 1;
    std::string line = s.substr(lineStart, s.find('\n', g2) - lineStart);
    EXPECT_EQ(line.find("apc_mdev_"), std::string::npos) << line;
    EXPECT_EQ(line.find("apc_step"), std::string::npos) << line;
  }
  // Changed guests keep their mdev: never removed or created.
  EXPECT_EQ(s.find("11111111-1111-4111-8111-111111111111/remove"), std::string::npos);
  testing::expectGolden("migrate/migrate.sh", s);
}

TEST(MigrateScript, PassesShellcheck) {
  Pair p;
  makePair(p, newText());
  for (auto iface : {ir::Interface::Modern, ir::Interface::Legacy}) {
    ir::SolvedPlan target = p.newSp;
    target.plan.host.interface = iface;
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("apc_migrate_" + std::to_string(::getpid()) + ".sh");
    std::ofstream(path) << migrate::migrateScript(target, p.changes);
    std::string cmd = "shellcheck -s bash " + path.string() + " 2>&1";
    FILE* f = ::popen(cmd.c_str(), "r");
    ASSERT_NE(f, nullptr);
    std::string out;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, f)) out.append(buf, n);
    int rc = ::pclose(f);
    std::filesystem::remove(path);
    EXPECT_EQ(rc, 0) << out;
  }
}

TEST(MigrateScript, NoChangesMeansNoWrites) {
  Pair p;
  makePair(p, kOld);
  std::string s = migrate::migrateScript(p.newSp, p.changes);
  EXPECT_EQ(s.find("apc_do \"$APC_PARENT\""), std::string::npos);
  EXPECT_EQ(s.find("apc_step \"$APC_PARENT\""), std::string::npos);
  EXPECT_NE(migrate::diffText(p.changes).find("no changes"), std::string::npos);
}

}  // namespace
}  // namespace apc
