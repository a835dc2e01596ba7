// The live host as a ShowModel (see show_live.h).
#include "backends/live/show_live.h"

#include <array>

#include "compiler/ir/plan_ir.h"
#include "compiler/ir/text_escape.h"
#include "kmod/discover/discover.h"

namespace apc::backends {

namespace {

// lszcrypt's mode name from its type's last letter (CEX8C: CCA-Coproc).
std::string modeOf(const std::string& type) {
  const char m = type.empty() ? '?' : type.back();
  if (m == 'A') return std::string(ir::lszcryptModeName(ir::CardMode::Accel));
  if (m == 'C') return std::string(ir::lszcryptModeName(ir::CardMode::Cca));
  if (m == 'P') return std::string(ir::lszcryptModeName(ir::CardMode::Ep11));
  return "?";
}

// Whether the guest of mdev `m` can use queue (a, d): in its guest_matrix
// where the kernel has one, else bound to vfio_ap; and neither deconfigured
// nor checkstopped.
bool usable(const kmod::LiveHost& h, const kmod::LiveMdev& m, unsigned a, unsigned d) {
  if (h.deconfigured.contains(a, d) || h.checkstopped.contains(a, d)) return false;
  if (m.hasGuestMatrix) return m.guestAdapters.test(a) && m.guestDomains.test(d);
  return h.existing.contains(a, d) && h.vfioBound.contains(a, d);
}

}  // namespace

ShowModel liveShowModel(const kmod::LiveHost& h, const std::vector<std::string>& names,
                        const kmod::Identities& ids, const std::string& hostName, const std::string& source) {
  ShowModel m;
  m.source = source;
  m.hostName = hostName;
  m.interfaceName = h.interface;
  m.crycbFormat = h.apxa ? 2 : 1;
  if (h.interface == "modern") {
    m.apmask = ir::formatMask(h.apmask);
    m.aqmask = ir::formatMask(h.aqmask);
  }
  for (const auto& [id, card] : h.cards) {
    HwState s = card.checkstop ? HwState::Checkstopped : !card.configured ? HwState::Deconfigured : HwState::Ok;
    m.rows.push_back({id, card.type, modeOf(card.type), s});
  }
  m.domains = ir::toVector(h.usage);
  std::array<int, 256> col;
  col.fill(-1);
  for (std::size_t c = 0; c < m.domains.size(); ++c) col[m.domains[c]] = static_cast<int>(c);
  std::array<int, 256> row;
  row.fill(-1);
  for (std::size_t r = 0; r < m.rows.size(); ++r) row[m.rows[r].id] = static_cast<int>(r);

  m.cells.assign(m.rows.size() * m.domains.size(), MatrixCell{});
  for (std::size_t r = 0; r < m.rows.size(); ++r)
    for (std::size_t c = 0; c < m.domains.size(); ++c) {
      unsigned a = m.rows[r].id, d = m.domains[c];
      MatrixCell& cell = m.cells[r * m.domains.size() + c];
      // A live host cannot tell a plan's reserved queue from any other
      // the host keeps: both are kept.
      if (h.offline.contains(a, d)) cell.kind = CellKind::Offline;
      else if (h.kept.contains(a, d)) cell.kind = CellKind::HostKept;
      cell.state = h.checkstopped.contains(a, d)   ? HwState::Checkstopped
                   : h.deconfigured.contains(a, d) ? HwState::Deconfigured
                                                   : HwState::Ok;
    }
  for (std::size_t i = 0; i < h.mdevs.size(); ++i) {
    const kmod::LiveMdev& md = h.mdevs[i];
    if (!md.readable) continue;
    const std::size_t g = m.guests.size();
    ShowGuest guest{i < names.size() ? names[i] : md.uuid, md.uuid, "", md.adapters, md.domains, md.controlDomains};
    if (auto it = ids.byUuid.find(md.uuid); it != ids.byUuid.end()) guest.start = it->second.start;
    m.guests.push_back(std::move(guest));
    for (unsigned a : ir::toVector(md.adapters))
      for (unsigned d : ir::toVector(md.domains)) {
        if (row[a] < 0 || col[d] < 0) continue;
        MatrixCell& cell = m.cells[static_cast<std::size_t>(row[a]) * m.domains.size() + static_cast<std::size_t>(col[d])];
        // Two mdevs sharing a queue: the kernel refuses that, so the first
        // (in UUID order) keeps the cell.
        if (cell.kind == CellKind::Guest) continue;
        cell.kind = CellKind::Guest;
        cell.guest = g;
        cell.drift = !usable(h, md, a, d);
      }
  }
  return m;
}

LiveShowResult readLiveShow(const LiveShowOptions& opts) {
  LiveShowResult r;
  kmod::LiveHost h;
  if (!kmod::readLiveHost(opts.sysfsRoot, h, r.error)) return r;
  kmod::Identities ids;
  if (!opts.etcRoot.empty()) ids = kmod::readGuestIdentities(opts.etcRoot);
  r.warnings = h.notes;
  for (const auto& w : ids.warnings) r.warnings.push_back(w);
  for (const kmod::LiveMdev& md : h.mdevs) {
    if (!md.readable) r.warnings.push_back("mdev " + md.uuid + " unreadable, left out of the picture");
    else if (!md.matrixOk) r.warnings.push_back("mdev " + md.uuid + ": a matrix line did not parse");
    bool outside = false;
    for (unsigned a : ir::toVector(md.adapters)) outside |= !h.cards.count(a);
    if ((md.domains & ~h.usage).any()) outside = true;
    if (md.readable && outside)
      r.warnings.push_back("mdev " + md.uuid + " is assigned adapters or domains the host does not have; they are not drawn");
  }
  kmod::DiscoverOptions d;
  d.root = opts.sysfsRoot;
  d.etcRoot = opts.etcRoot;
  d.hostName = opts.hostName;
  r.model = liveShowModel(h, kmod::guestNames(h, ids), ids, kmod::hostNameFrom(d),
                          "live sysfs " + ir::escapeForTerminal(opts.sysfsRoot));
  r.ok = true;
  return r;
}

}  // namespace apc::backends
