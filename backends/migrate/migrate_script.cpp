// The migrate.sh generator. Only fixed text, sanitised comments and quoted
// words (sh::quote) reach the script; guest names appear only as quoted data.
#include "backends/migrate/migrate_script.h"

#include <algorithm>

#include "backends/common.h"
#include "backends/script_support.h"

namespace apc::migrate {

namespace {

namespace sh = backends::sh;

ir::GuestAllocation allocOf(const ConfigGuest& g) {
  return {g.adapters, g.domains, g.controlDomains, g.uuid};
}

std::string chomp(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

std::string mdev(const std::string& uuid, const std::string& attr) {
  return "\"$APC_PARENT\"/" + sh::quote(uuid + "/" + attr);
}

std::string flag(const char* kind, std::size_t i) { return std::string(kind) + "_" + std::to_string(i); }

// Runtime pieces migrate.sh needs beyond the shared prologue.
constexpr std::string_view kRuntime = R"SH(
# What an mdev reads now: "old", "new", "missing" or "other".
apc_state() {
  local dir=$APC_PARENT/$1 m c
  [[ -d $dir ]] || { echo missing; return 0; }
  m=$(apc_read "$dir/matrix") || apc_die "cannot read the matrix of mdev $1"
  c=$(apc_read "$dir/control_domains") || apc_die "cannot read the control domains of mdev $1"
  if [[ $m == "$2" && $c == "$3" ]]; then
    echo old
  elif [[ $m == "$4" && $c == "$5" ]]; then
    echo new
  else
    echo other
  fi
}

# Checks that the mdev reads its planned matrix and control domains.
apc_check_mdev() {
  local dir=$APC_PARENT/$1 m c
  m=$(apc_read "$dir/matrix") || apc_rollback
  c=$(apc_read "$dir/control_domains") || apc_rollback
  if [[ $m != "$2" || $c != "$3" ]]; then
    apc_err "mdev $1 does not read its planned matrix after the migration"
    apc_rollback
  fi
}
)SH";

constexpr std::string_view kMaskRuntime = R"SH(
# The IDs (decimal, one per line) whose bit is set in mask $1 but not in $2
# ($3 = "-"), or the reverse ($3 = "+").
apc_mask_delta() {
  local id
  for ((id = 0; id < 256; id++)); do
    if [[ $3 == - ]]; then
      if apc_mask_bit "$1" "$id" && ! apc_mask_bit "$2" "$id"; then echo "$id"; fi
    else
      if ! apc_mask_bit "$1" "$id" && apc_mask_bit "$2" "$id"; then echo "$id"; fi
    fi
  done
}

# The adapter ($1 = a) or domain ($1 = d) IDs some mdev holds a queue on now.
apc_mdev_ids() {
  local dir line
  for dir in "$APC_PARENT"/*-*-*-*-*/; do
    while read -r line; do
      [[ $line =~ ^([0-9a-f]{2})\.([0-9a-f]{4})$ ]] || continue
      if [[ $1 == a ]]; then
        echo "$((16#${BASH_REMATCH[1]}))"
      else
        echo "$((16#${BASH_REMATCH[2]}))"
      fi
    done <<<"$(apc_read "${dir}matrix")"
  done
}

# Clears the bits of bus/ap/$1 that the target $2 clears: one relative write,
# undone bit by bit (so one refused bit does not block the others' undo).
apc_mask_release() {
  local path=$SYSFS/bus/ap/$1 now ids id terms=
  now=$(apc_read "$path") || apc_rollback
  ids=$(apc_mask_delta "$now" "$2" -)
  for id in $ids; do terms+=${terms:+,}-$id; done
  [[ -n $terms ]] || return 0
  apc_step "$path" "$terms"
  for id in $ids; do apc_journal "$path" "+$id"; done
}

# Sets the bits of bus/ap/$1 that the target $2 sets, except IDs an mdev
# still holds a queue on ($3: a or d): since 6.19 the kernel refuses those
# whatever the other mask says. Skipping one is harmless unless the plan
# reserves a queue on it ($4: the IDs the reserves need), which is an error.
apc_mask_take_back() {
  local path=$SYSFS/bus/ap/$1 now ids id held terms=
  now=$(apc_read "$path") || apc_rollback
  ids=$(apc_mask_delta "$now" "$2" +)
  [[ -n $ids ]] || return 0
  held=" $(apc_mdev_ids "$3" | sort -nu | tr '\n' ' ') "
  for id in $ids; do
    if [[ $held == *" $id "* ]]; then
      if apc_mask_bit "$4" "$id"; then
        apc_err "$1: ID $id must go back to the host for a reserved queue, but an mdev holds a queue on it"
        apc_rollback
      fi
      APC_NOTES+=("$1 bit $id stays clear: an mdev holds a queue on ID $id and the kernel refuses to hand it to the host's drivers now; rerun apply.sh once no mdev holds it")
      continue
    fi
    terms+=${terms:+,}+$id
  done
  [[ -n $terms ]] || return 0
  apc_step "$path" "$terms"
  for id in $ids; do
    [[ $held == *" $id "* ]] || apc_journal "$path" "-$id"
  done
}
)SH";

constexpr std::string_view kLegacyRuntime = R"SH(
# Legacy interface: queue $1 to vfio_ap (release) or back to cex4queue.
apc_release() {
  local drv
  drv=$(apc_driver "$1")
  [[ $drv == vfio_ap ]] && return 0
  if [[ -n $drv ]]; then
    apc_do "$SYSFS/bus/ap/drivers/$drv/unbind" "$1" "$SYSFS/bus/ap/drivers/$drv/bind" "$1"
  fi
  apc_do "$SYSFS/bus/ap/drivers/vfio_ap/bind" "$1" "$SYSFS/bus/ap/drivers/vfio_ap/unbind" "$1"
}

apc_take_back() {
  [[ $(apc_driver "$1") == vfio_ap ]] || return 0
  apc_do "$SYSFS/bus/ap/drivers/vfio_ap/unbind" "$1" "$SYSFS/bus/ap/drivers/vfio_ap/bind" "$1"
  apc_do "$SYSFS/bus/ap/drivers/cex4queue/bind" "$1" "$SYSFS/bus/ap/drivers/cex4queue/unbind" "$1"
}
)SH";

struct Texts {
  std::string matrix, control;
};
Texts texts(const ConfigGuest& g) {
  ir::GuestAllocation a = allocOf(g);
  return {sh::quote(chomp(backends::matrixText(a))), sh::quote(chomp(backends::controlDomainsText(a)))};
}

std::string comment(const std::string& text) { return "# " + sh::commentText(text) + "\n"; }

std::string idWrites(const std::string& uuid, const char* prefixDo, const char* undoPrefix, const char* attr,
                     const ir::IdSet& ids, bool journal) {
  std::string out;
  for (unsigned id : ir::toVector(ids)) {
    std::string v = ir::formatSysfsId(id);
    if (journal)
      out += "  apc_do " + mdev(uuid, std::string(prefixDo) + attr) + " " + v + " " +
             mdev(uuid, std::string(undoPrefix) + attr) + " " + v + "\n";
    else
      out += "  apc_step " + mdev(uuid, std::string(prefixDo) + attr) + " " + v + "\n";
  }
  return out;
}

}  // namespace

std::string migrateScript(const ir::SolvedPlan& target, const std::vector<GuestChange>& changes) {
  bool modern = target.plan.host.interface == ir::Interface::Modern;
  sh::Runtime rt;
  rt.lock = true;
  rt.journal = true;
  rt.masks = modern;
  rt.holder = true;
  rt.driver = !modern;
  std::string out = sh::prologue({"migrate.sh", "Moves the host from the old configuration to this plan with the fewest sysfs writes.",
                                  backends::planBaseName(target.plan)},
                                 rt);
  out += kRuntime;
  out += modern ? kMaskRuntime : kLegacyRuntime;

  // Data.
  out += "\n";
  out += modern ? "APC_PARENT=$SYSFS/devices/vfio_ap/matrix\n" : "APC_PARENT=$SYSFS/devices/virtual/misc/vfio_ap\n";
  // Only additions and removals (their undo) write `create`: else it is unused (SC2034).
  bool creates = false;
  for (const GuestChange& c : changes) creates |= c.kind == ChangeKind::Added || c.kind == ChangeKind::Removed;
  if (creates) out += "APC_CREATE=$APC_PARENT/mdev_supported_types/vfio_ap-passthrough/create\n";
  if (modern) {
    out += "# The new plan's host masks (MSB-0, 256 bits).\n";
    out += "APC_APMASK=" + ir::formatMask(target.apmask) + "\n";
    out += "APC_AQMASK=" + ir::formatMask(target.aqmask) + "\n";
    // The IDs the host must get back for its reserved queues.
    ir::IdSet needAp, needAq;
    for (const ir::Queue& q : target.plan.host.reservedQueues.toVector()) {
      needAp.set(q.adapter);
      needAq.set(q.domain);
    }
    out += "APC_NEED_AP=" + ir::formatMask(needAp) + "\n";
    out += "APC_NEED_AQ=" + ir::formatMask(needAq) + "\n";
    out += "APC_NOTES=()\n";
  }
  ir::QueueSet newQueues, oldQueues;
  for (const GuestChange& c : changes) {
    if (c.after) newQueues.insertProduct(c.after->adapters, c.after->domains);
    if (c.before) oldQueues.insertProduct(c.before->adapters, c.before->domains);
  }
  out += "# Every queue the new plan gives to a guest.\nAPC_NEW_QUEUES=(";
  std::size_t k = 0;
  for (const ir::Queue& q : newQueues.toVector()) out += std::string(k++ % 8 == 0 ? "\n  " : " ") + ir::formatQueue(q);
  out += "\n)\ndeclare -A APC_NEW_QUEUE=()\nfor q in \"${APC_NEW_QUEUES[@]}\"; do APC_NEW_QUEUE[$q]=1; done\n";
  out += "# The mdevs of the old and the new configuration.\ndeclare -A APC_KNOWN=(";
  {
    std::vector<std::string> uuids;
    for (const GuestChange& c : changes) {
      if (c.before) uuids.push_back(c.before->uuid);
      if (c.after) uuids.push_back(c.after->uuid);
    }
    std::sort(uuids.begin(), uuids.end());
    uuids.erase(std::unique(uuids.begin(), uuids.end()), uuids.end());
    for (const std::string& u : uuids) out += "\n  [" + sh::quote(u) + "]=1";
  }
  out += "\n)\n";

  // Summary comment of the change list.
  out += "\n# The changes:\n";
  std::size_t nAdd = 0, nRm = 0, nCh = 0, nSame = 0;
  for (const GuestChange& c : changes) {
    switch (c.kind) {
      case ChangeKind::Added: ++nAdd; out += comment("add " + c.name + " (mdev " + c.after->uuid + ")"); break;
      case ChangeKind::Removed: ++nRm; out += comment("remove " + c.name + " (mdev " + c.before->uuid + ")"); break;
      case ChangeKind::Changed:
        ++nCh;
        out += comment("change " + c.name + (c.renamed() ? ", renamed from " + c.renamedFrom : "") + " (mdev " +
                       c.after->uuid + ")");
        break;
      case ChangeKind::Unchanged:
        ++nSame;
        if (c.renamed()) out += comment("rename " + c.renamedFrom + " -> " + c.name + " (mdev " + c.after->uuid + "): a label only, no write");
        break;
    }
  }
  out += comment(std::to_string(nSame) + " guest(s) unchanged: no write touches them");

  // 0. Lock and preconditions.
  out += "\napc_lock\n\n# --- Preconditions: nothing changes unless all hold. ---\n";
  out += "[[ -d $APC_PARENT ]] || apc_die \"vfio_ap is not loaded: $APC_PARENT does not exist\"\n";
  out += "for q in \"${APC_NEW_QUEUES[@]}\"; do\n"
         "  [[ -e $SYSFS/bus/ap/devices/$q ]] || apc_die \"queue $q does not exist on this host\"\n"
         "done\n";
  out += "# No mdev outside the old and new configurations may hold a queue the plan gives out.\n"
         "for dir in \"$APC_PARENT\"/*-*-*-*-*/; do\n"
         "  dir=${dir%/}\n"
         "  [[ -n ${APC_KNOWN[${dir##*/}]:-} ]] && continue\n"
         "  matrix=$(apc_read \"$dir/matrix\") || apc_die \"cannot read $dir/matrix\"\n"
         "  while read -r q; do\n"
         "    if [[ -n $q && -n ${APC_NEW_QUEUE[$q]:-} ]]; then\n"
         "      apc_die \"queue $q is in mdev ${dir##*/}, which this plan does not know\"\n"
         "    fi\n"
         "  done <<<\"$matrix\"\n"
         "done\n";

  for (std::size_t i = 0; i < changes.size(); ++i) {
    const GuestChange& c = changes[i];
    if (c.kind == ChangeKind::Unchanged) continue;
    // Always quoted: a bare `guest=batch` reads to shellcheck as a command (SC2209).
    std::string name = sh::quote(c.name);
    if (name == c.name) name = "'" + name + "'";
    if (c.kind == ChangeKind::Removed) {
      Texts t = texts(*c.before);
      std::string u = sh::quote(c.before->uuid);
      out += flag("rm", i) + "=0\nguest=" + name + "\nuuid=" + u + "\n";
      out += "case $(apc_state \"$uuid\" " + t.matrix + " " + t.control + " " + t.matrix + " " + t.control + ") in\n";
      out += "  missing) ;;\n";
      out += "  old)\n    if holder=$(apc_holder \"$APC_PARENT/$uuid\"); then\n";
      out += "      apc_die \"mdev $uuid of removed guest $guest is held by process $holder: stop the guest first\"\n";
      out += "    fi\n    " + flag("rm", i) + "=1 ;;\n";
      out += "  *) apc_die \"mdev $uuid of removed guest $guest holds an unexpected matrix\" ;;\nesac\n";
    } else if (c.kind == ChangeKind::Added) {
      Texts t = texts(*c.after);
      std::string u = sh::quote(c.after->uuid);
      out += flag("add", i) + "=0\nguest=" + name + "\nuuid=" + u + "\n";
      out += "case $(apc_state \"$uuid\" '' '' " + t.matrix + " " + t.control + ") in\n";
      out += "  missing) " + flag("add", i) + "=1 ;;\n  new) ;;\n";
      out += "  *) apc_die \"UUID $uuid of new guest $guest is taken by an mdev with another matrix\" ;;\nesac\n";
    } else {
      Texts tb = texts(*c.before), ta = texts(*c.after);
      std::string u = sh::quote(c.after->uuid);
      out += flag("ch", i) + "=0\nguest=" + name + "\nuuid=" + u + "\n";
      out += "case $(apc_state \"$uuid\" " + tb.matrix + " " + tb.control + " " + ta.matrix + " " + ta.control + ") in\n";
      out += "  old) " + flag("ch", i) + "=1 ;;\n  new) ;;\n";
      out += "  *) apc_die \"mdev $uuid of guest $guest is missing or holds neither its old nor its new matrix\" ;;\nesac\n";
    }
  }

  // 1. Removals.
  out += "\n# --- 1. Remove the mdevs of removed guests. ---\n";
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const GuestChange& c = changes[i];
    if (c.kind != ChangeKind::Removed) continue;
    const std::string& uuid = c.before->uuid;
    out += "if ((" + flag("rm", i) + ")); then\n";
    out += "  apc_step " + mdev(uuid, "remove") + " 1\n";
    // Undo recreates it: journal replays newest first, so journal the
    // assigns in reverse and the create last.
    std::vector<backends::Attr> attrs = backends::mdevAttrs(allocOf(*c.before));
    for (auto it = attrs.rbegin(); it != attrs.rend(); ++it)
      out += "  apc_journal " + mdev(uuid, it->name) + " " + it->value + "\n";
    out += "  apc_journal \"$APC_CREATE\" " + sh::quote(uuid) + "\n";
    out += "fi\n";
  }

  // 2. Unassigns.
  out += "\n# --- 2. Take from changed guests what they lose (before anyone gains it). ---\n";
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const GuestChange& c = changes[i];
    if (c.kind != ChangeKind::Changed) continue;
    const ConfigGuest& b = *c.before;
    const ConfigGuest& a = *c.after;
    std::string body = idWrites(b.uuid, "un", "", "assign_adapter", b.adapters & ~a.adapters, true) +
                       idWrites(b.uuid, "un", "", "assign_domain", b.domains & ~a.domains, true) +
                       idWrites(b.uuid, "un", "", "assign_control_domain", b.controlDomains & ~a.controlDomains, true);
    if (body.empty()) continue;
    out += "if ((" + flag("ch", i) + ")); then\n" + body + "fi\n";
  }

  // 3. Host drivers.
  if (modern) {
    out += "\n# --- 3. Host masks: release first, then take back (no queue in an mdev is ever claimed). ---\n";
    out += "apc_mask_release apmask \"$APC_APMASK\"\n";
    out += "apc_mask_release aqmask \"$APC_AQMASK\"\n";
    out += "apc_mask_take_back apmask \"$APC_APMASK\" a \"$APC_NEED_AP\"\n";
    out += "apc_mask_take_back aqmask \"$APC_AQMASK\" d \"$APC_NEED_AQ\"\n";
  } else {
    out += "\n# --- 3. Queues: bind new guest queues to vfio_ap; give freed ones back to cex4queue. ---\n";
    out += "for q in \"${APC_NEW_QUEUES[@]}\"; do apc_release \"$q\"; done\n";
    std::string back;
    for (const ir::Queue& q : oldQueues.toVector())
      if (!newQueues.contains(q.adapter, q.domain)) back += " " + ir::formatQueue(q);
    if (!back.empty()) {
      out += "APC_TAKE_BACK=(" + back.substr(1) + ")\n";
      out += "for q in \"${APC_TAKE_BACK[@]}\"; do apc_take_back \"$q\"; done\n";
    }
  }

  // 4. Creates.
  out += "\n# --- 4. Create the mdevs of added guests. ---\n";
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const GuestChange& c = changes[i];
    if (c.kind != ChangeKind::Added) continue;
    const std::string& uuid = c.after->uuid;
    out += "if ((" + flag("add", i) + ")); then\n";
    out += "  apc_do \"$APC_CREATE\" " + sh::quote(uuid) + " " + mdev(uuid, "remove") + " 1\n";
    for (const backends::Attr& at : backends::mdevAttrs(allocOf(*c.after)))
      out += "  apc_step " + mdev(uuid, at.name) + " " + at.value + "\n";
    out += "fi\n";
  }

  // 5. Assigns.
  out += "\n# --- 5. Give changed guests what they gain. ---\n";
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const GuestChange& c = changes[i];
    if (c.kind != ChangeKind::Changed) continue;
    const ConfigGuest& b = *c.before;
    const ConfigGuest& a = *c.after;
    std::string body = idWrites(a.uuid, "", "un", "assign_adapter", a.adapters & ~b.adapters, true) +
                       idWrites(a.uuid, "", "un", "assign_domain", a.domains & ~b.domains, true) +
                       idWrites(a.uuid, "", "un", "assign_control_domain", a.controlDomains & ~b.controlDomains, true);
    if (body.empty()) continue;
    out += "if ((" + flag("ch", i) + ")); then\n" + body + "fi\n";
  }

  // 6. Read back.
  out += "\n# --- 6. Check every mdev this plan changed. ---\n";
  for (const GuestChange& c : changes) {
    if (c.kind != ChangeKind::Added && c.kind != ChangeKind::Changed) continue;
    Texts t = texts(*c.after);
    out += "apc_check_mdev " + sh::quote(c.after->uuid) + " " + t.matrix + " " + t.control + "\n";
  }
  if (modern) out += "\nfor note in \"${APC_NOTES[@]}\"; do apc_err \"note: $note\"; done\n";
  out += "\nprintf 'migrate.sh: done (%s added, %s changed, %s removed, %s unchanged)\\n' " + std::to_string(nAdd) +
         " " + std::to_string(nCh) + " " + std::to_string(nRm) + " " + std::to_string(nSame) + "\n";
  return out;
}

}  // namespace apc::migrate
