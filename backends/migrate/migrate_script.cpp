// The migrate.sh generator. Only fixed text, sanitised comments and quoted
// words (sh::quote) reach the script; guest names appear only as quoted data.
#include "backends/migrate/migrate_script.h"

#include <algorithm>

#include "backends/common.h"
#include "backends/migrate/migrate_order.h"
#include "backends/script_preflight.h"
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


// Runtime pieces migrate.sh needs beyond the shared prologue.
constexpr std::string_view kRuntime = R"SH(
# Preconditions for mdev $1 (guest $2): when it exists it holds only IDs of
# the adapters $3, domains $4, control domains $5 (its old and new matrix
# together: what any interrupted run of this script can have left); with $6
# = must, it has to exist.
apc_check_known() {
  if [[ ! -d $APC_PARENT/$1 ]]; then
    [[ $6 != must ]] || apc_die "mdev $1 of guest $2 does not exist"
    return 0
  fi
  apc_mdev_read "$1" || apc_die "cannot read mdev $1 of guest $2"
  if ! apc_subset "$APC_A" " $3 " || ! apc_subset "$APC_D" " $4 " || ! apc_subset "$APC_C" " $5 "; then
    apc_die "mdev $1 of guest $2 holds IDs outside both its old and its new matrix"
  fi
}

# A removed guest's mdev must not be held by a running guest.
apc_check_unheld() {
  if [[ -d $APC_PARENT/$1 ]] && apc_holder "$APC_PARENT/$1"; then
    apc_die "mdev $1 of removed guest $2 is held by $APC_HOLDER: stop the guest first"
  fi
}

# Checks that the mdev reads its planned matrix and control domains.
apc_check_mdev() {
  local dir=$APC_PARENT/$1 m c
  [[ $APC_MODE == run ]] || return 0
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

# The mask bus/ap/$1 as this pass has it: the live one, or in a count or
# dry pass what the pass has written so far (APC_VMASK, keyed by pass and mask).
declare -A APC_VMASK=()
apc_mask_now() {
  if [[ $APC_MODE != run && -n ${APC_VMASK[$APC_MODE/$1]:-} ]]; then
    printf '%s' "${APC_VMASK[$APC_MODE/$1]}"
  else
    apc_read "$SYSFS/bus/ap/$1"
  fi
}

# In a count or dry pass: mask $1 ($2 now) with the IDs $4.. cleared ($3 = -)
# or set ($3 = +), for the next read of this pass.
apc_mask_virtual() {
  local hex=${2:2} id i d out
  local -a nibs=()
  [[ $APC_MODE != run ]] || return 0
  for ((i = 0; i < 64; i++)); do
    d=${hex:i:1}
    nibs[i]=$((16#${d:-0}))
  done
  for id in "${@:4}"; do
    if [[ $3 == - ]]; then
      nibs[id / 4]=$((nibs[id / 4] & ~(8 >> (id % 4))))
    else
      nibs[id / 4]=$((nibs[id / 4] | (8 >> (id % 4))))
    fi
  done
  printf -v out '%x' "${nibs[@]}"
  APC_VMASK[$APC_MODE/$1]=0x$out
}

# Clears the bits of bus/ap/$1 that the target $2 clears, only those of the
# IDs $3 when given (a guest's, just before it takes them): one relative
# write, undone bit by bit (so one refused bit does not block the others' undo).
apc_mask_release() {
  local path=$SYSFS/bus/ap/$1 now ids id terms='' pick=''
  now=$(apc_mask_now "$1") || apc_rollback
  if (($# > 2)); then
    for id in $3; do
      if apc_mask_bit "$now" "$id" && ! apc_mask_bit "$2" "$id"; then pick+=" $id"; fi
    done
    ids=$pick
  else
    ids=$(apc_mask_delta "$now" "$2" -)
  fi
  for id in $ids; do terms+=${terms:+,}-$id; done
  [[ -n $terms ]] || return 0
  apc_step "$path" "$terms"
  # shellcheck disable=SC2086 # the IDs, split on purpose
  apc_mask_virtual "$1" "$now" - $ids
  for id in $ids; do apc_journal "$path" "+$id"; done
}

# Sets the bits of bus/ap/$1 that the target $2 sets, except IDs an mdev
# still holds a queue on ($3: a or d): since 6.19 the kernel refuses those
# whatever the other mask says. Skipping one is harmless unless the plan
# reserves a queue on it ($4: the IDs the reserves need), which is an error.
apc_mask_take_back() {
  local path=$SYSFS/bus/ap/$1 now ids id held terms=
  now=$(apc_mask_now "$1") || apc_rollback
  ids=$(apc_mask_delta "$now" "$2" +)
  [[ -n $ids ]] || return 0
  held=" $(apc_mdev_ids "$3" | sort -nu | tr '\n' ' ') "
  for id in $ids; do
    if [[ $held == *" $id "* ]]; then
      if apc_mask_bit "$4" "$id"; then
        apc_err "$1: ID $id must go back to the host for a reserved queue, but an mdev holds a queue on it"
        apc_rollback
      fi
      [[ $APC_MODE != run ]] ||
        APC_NOTES+=("$1 bit $id stays clear: an mdev holds a queue on ID $id and the kernel refuses to hand it to the host's drivers now; rerun apply.sh once no mdev holds it")
      continue
    fi
    terms+=${terms:+,}+$id
  done
  [[ -n $terms ]] || return 0
  apc_step "$path" "$terms"
  # shellcheck disable=SC2086 # the IDs, split on purpose
  apc_mask_virtual "$1" "$now" + ${terms//[+,]/ }
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
  [[ $APC_MODE == run || -z ${APC_BOUND[$1]:-} ]] || return 0
  [[ $APC_MODE == run ]] || APC_BOUND[$1]=1
  if [[ -n $drv ]]; then
    apc_do "$SYSFS/bus/ap/drivers/$drv/unbind" "$1" "$SYSFS/bus/ap/drivers/$drv/bind" "$1"
  fi
  apc_do "$SYSFS/bus/ap/drivers/vfio_ap/bind" "$1" "$SYSFS/bus/ap/drivers/vfio_ap/unbind" "$1"
}

declare -A APC_BOUND=()
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

}  // namespace

std::string migrateScript(const ir::SolvedPlan& target, const std::vector<GuestChange>& changes) {
  bool modern = target.plan.host.interface == ir::Interface::Modern;
  sh::Runtime rt;
  rt.lock = true;
  rt.args = true;
  rt.journal = true;
  rt.masks = modern;
  rt.holder = true;
  rt.driver = !modern;
  rt.mdev = true;
  rt.env = sh::preflightEnv();
  std::string out = sh::prologue({"migrate.sh", "Moves the host from the old configuration to this plan with the fewest sysfs writes.",
                                  backends::planBaseName(target.plan)},
                                 rt);
  out += kRuntime;
  out += modern ? kMaskRuntime : kLegacyRuntime;
  bool anyChanged = std::any_of(changes.begin(), changes.end(),
                                [](const GuestChange& c) { return c.kind == ChangeKind::Changed; });
  out += sh::preflightRuntime(modern, anyChanged);

  // Data.
  out += "\n";
  out += modern ? "APC_PARENT=$SYSFS/devices/vfio_ap/matrix\n" : "APC_PARENT=$SYSFS/devices/virtual/misc/vfio_ap\n";
  out += "APC_CREATE=$APC_PARENT/mdev_supported_types/vfio_ap-passthrough/create\n";
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
        // A rename keeps its UUID, so its mdev: a label only, no write.
        ++nSame;
        if (c.renamed())
          out += comment("rename " + c.renamedFrom + " -> " + c.name + " (mdev " + c.after->uuid + "): a label only, no write");
        break;
    }
  }
  out += comment(std::to_string(nSame) + " guest(s) unchanged: no write touches them");

  // 0. Arguments, lock and preconditions.
  out += "\napc_args \"$@\"\napc_lock\n\n# --- Preconditions: nothing changes unless all hold. ---\n";
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
  out += "# Each mdev the change touches holds only IDs of its old or new matrix: any\n"
         "# interrupted run of this script leaves that, and a rerun finishes the job.\n";
  auto dec = [](const ir::IdSet& ids) {
    std::string t;
    for (unsigned id : ir::toVector(ids)) t += (t.empty() ? "" : " ") + std::to_string(id);
    return sh::quote(t);
  };
  auto ctl = [](const ConfigGuest& g) { return backends::admOf(allocOf(g)); };
  auto lists = [&](const ir::IdSet& a, const ir::IdSet& d, const ir::IdSet& c) {
    return dec(a) + " " + dec(d) + " " + dec(c);
  };
  for (const GuestChange& c : changes) {
    if (c.kind == ChangeKind::Unchanged) continue;
    const ConfigGuest& g = c.after ? *c.after : *c.before;
    ir::IdSet a, d, cd;
    if (c.before) a |= c.before->adapters, d |= c.before->domains, cd |= ctl(*c.before);
    if (c.after) a |= c.after->adapters, d |= c.after->domains, cd |= ctl(*c.after);
    // A guest name is always quoted: a bare `do` or `then` as a word reads to
    // shellcheck as a misplaced keyword (SC1010), `batch` as a command (SC2209).
    const std::string name = sh::quote(c.name) == c.name ? "'" + c.name + "'" : sh::quote(c.name);
    out += "apc_check_known " + sh::quote(g.uuid) + " " + name + " " + lists(a, d, cd) +
           (c.kind == ChangeKind::Changed ? " must" : " may") + "\n";
    if (c.kind == ChangeKind::Removed) out += "apc_check_unheld " + sh::quote(g.uuid) + " " + name + "\n";
    if (c.kind == ChangeKind::Changed)
      out += "apc_safe_edit " + sh::quote(g.uuid) + " " + name + " " +
             lists(c.after->adapters, c.after->domains, ctl(*c.after)) + "\n";
  }
  // Host safety (script_preflight.h): before the first write, also in --dry-run.
  out += modern ? "apc_safe_masks \"$APC_APMASK\" \"$APC_AQMASK\"\n" : "apc_safe_queues \"${APC_NEW_QUEUES[@]}\"\n";
  out += "apc_safe_verdict\n";

  out += "\n# Every write, each only when the live state lacks it.\napc_plan() {\n";
  // 1. Removals.
  out += "  # --- 1. Remove the mdevs of removed guests. ---\n";
  for (const GuestChange& c : changes)
    if (c.kind == ChangeKind::Removed) out += "  apc_mdev_remove " + sh::quote(c.before->uuid) + "\n";

  // 2. Moves, in dependency order (migrate_order.h).
  std::vector<const GuestChange*> moving;
  std::vector<MovingGuest> order;
  for (const GuestChange& c : changes) {
    if (c.kind != ChangeKind::Changed && c.kind != ChangeKind::Added) continue;
    moving.push_back(&c);
    MovingGuest m;
    if (c.before) m.beforeAdapters = c.before->adapters, m.beforeDomains = c.before->domains;
    m.afterAdapters = c.after->adapters;
    m.afterDomains = c.after->domains;
    order.push_back(m);
  }
  out += "  # --- 2. Each changed or added guest takes its new matrix in one step, after\n"
         "  # every guest that gives up queues it gains; its host mask bits (or, legacy,\n"
         "  # its queues) go to vfio_ap just before. ---\n";
  // What each mdev holds as the steps go: the unchanged guests' matrices and
  // the moving guests' current ones (for the assigns a move can make first).
  std::vector<std::pair<ir::IdSet, ir::IdSet>> fixed, cur;
  for (const GuestChange& c : changes)
    if (c.kind == ChangeKind::Unchanged) fixed.push_back({c.after->adapters, c.after->domains});
  for (const MovingGuest& m : order) cur.push_back({m.beforeAdapters, m.beforeDomains});
  auto othersMeet = [&](std::size_t self, const ir::IdSet& a, const ir::IdSet& d) {
    auto meets = [&](const std::pair<ir::IdSet, ir::IdSet>& h) { return (h.first & a).any() && (h.second & d).any(); };
    for (const auto& h : fixed)
      if (meets(h)) return true;
    for (std::size_t j = 0; j < cur.size(); ++j)
      if (j != self && meets(cur[j])) return true;
    return false;
  };
  // The bits the new masks clear: IDs the host's default drivers do not get.
  const ir::IdSet freeA = ~target.apmask, freeD = ~target.aqmask;
  for (const OrderStep& st : orderMoves(order)) {
    const GuestChange& c = *moving[st.guest];
    const ConfigGuest& a = *c.after;
    if (st.kind == StepKind::Drop) {
      std::string names;
      for (std::size_t v : st.cycle) names += (names.empty() ? "" : ", ") + moving[v]->name;
      out += "  " + comment("cycle " + names + ": each gains queues another gives up; " + c.name +
                            " first drops what it loses (its one intermediate matrix)");
      const ConfigGuest& b = *c.before;
      ir::IdSet la = b.adapters & ~a.adapters, ld = b.domains & ~a.domains, lc = ctl(b) & ~ctl(a);
      out += "  apc_mdev_edit " + sh::quote(a.uuid) + " drop " + lists(la, ld, lc) + "\n";
      cur[st.guest] = {b.adapters & a.adapters, b.domains & a.domains};
      continue;
    }
    ir::IdSet ba, bd;
    if (c.before) ba = c.before->adapters, bd = c.before->domains;
    if (modern) {
      // Its old IDs too: a move that assigns first (below) needs them free.
      out += "  apc_mask_release apmask \"$APC_APMASK\" " + dec(a.adapters | ba) + "\n";
      out += "  apc_mask_release aqmask \"$APC_AQMASK\" " + dec(a.domains | bd) + "\n";
    } else {
      std::string qs;
      for (unsigned ad : ir::toVector(a.adapters))
        for (unsigned dm : ir::toVector(a.domains))
          qs += (qs.empty() ? "" : " ") +
                ir::formatQueue({static_cast<std::uint8_t>(ad), static_cast<std::uint8_t>(dm)});
      if (!qs.empty()) out += "  for q in " + qs + "; do apc_release \"$q\"; done\n";
    }
    if (c.kind == ChangeKind::Added) {
      out += "  apc_mdev_create " + sh::quote(a.uuid) + "\n";
      out += "  apc_mdev_edit " + sh::quote(a.uuid) + " add " + lists(a.adapters, a.domains, ctl(a)) + "\n";
    } else {
      // Without ap_config a running guest changes one ID at a time: it gains
      // first the new adapters and domains whose extra queues (with the IDs
      // it is about to lose) no mdev holds and the host's drivers do not own
      // at this point, so it loses nothing before it gains them.
      ir::IdSet ea, ed;
      if (modern) {
        const ir::IdSet lostA = ba & ~a.adapters, lostD = bd & ~a.domains;
        for (unsigned id : ir::toVector(a.adapters & ~ba)) {
          ir::IdSet one;
          one.set(id);
          if (othersMeet(st.guest, one, bd | a.domains)) continue;
          if (!freeA.test(id) && (lostD & ~freeD).any()) continue;
          ea.set(id);
        }
        for (unsigned id : ir::toVector(a.domains & ~bd)) {
          ir::IdSet one;
          one.set(id);
          if (othersMeet(st.guest, ba | a.adapters, one)) continue;
          if (!freeD.test(id) && (lostA & ~freeA).any()) continue;
          ed.set(id);
        }
      }
      out += "  apc_mdev_edit " + sh::quote(a.uuid) + " move " + lists(a.adapters, a.domains, ctl(a));
      if (ea.any() || ed.any()) out += " " + dec(ea) + " " + dec(ed);
      out += "\n";
    }
    cur[st.guest] = {a.adapters, a.domains};
  }

  // 3. Host drivers: what no guest holds any more goes back to the host.
  if (modern) {
    out += "  # --- 3. Host masks: the rest of the release, then take back (no queue in an mdev is ever claimed). ---\n";
    out += "  apc_mask_release apmask \"$APC_APMASK\"\n";
    out += "  apc_mask_release aqmask \"$APC_AQMASK\"\n";
    out += "  apc_mask_take_back apmask \"$APC_APMASK\" a \"$APC_NEED_AP\"\n";
    out += "  apc_mask_take_back aqmask \"$APC_AQMASK\" d \"$APC_NEED_AQ\"\n";
  } else {
    std::string back;
    for (const ir::Queue& q : oldQueues.toVector())
      if (!newQueues.contains(q.adapter, q.domain)) back += " " + ir::formatQueue(q);
    if (!back.empty()) {
      out += "  # --- 3. Give the queues no guest holds any more back to cex4queue. ---\n";
      out += "  local -a take_back=(" + back.substr(1) + ")\n";
      out += "  for q in \"${take_back[@]}\"; do apc_take_back \"$q\"; done\n";
    }
  }

  // 4. Read back.
  out += "  # --- 4. Check every mdev this plan changed. ---\n";
  for (const GuestChange& c : changes) {
    if (c.kind != ChangeKind::Added && c.kind != ChangeKind::Changed) continue;
    Texts t = texts(*c.after);
    out += "  apc_check_mdev " + sh::quote(c.after->uuid) + " " + t.matrix + " " + t.control + "\n";
  }
  out += "  :\n}\napc_run apc_plan\n";
  if (modern) out += "\nfor note in \"${APC_NOTES[@]}\"; do apc_err \"note: $note\"; done\n";
  out += "\nprintf 'migrate.sh: done (%s added, %s changed, %s removed, %s unchanged)\\n' " + std::to_string(nAdd) +
         " " + std::to_string(nCh) + " " + std::to_string(nRm) + " " + std::to_string(nSame) + "\n";
  return out;
}

}  // namespace apc::migrate
