// The one view model of every `apc show` picture (terminal, SVG, HTML), of a
// plan (showModelOf) and of a live host (backends/live/show_live.h): adapters
// as rows, usage domains as columns, each cell one kind of queue, the guests
// with their tables, and per guest the mark and the colour that stand for it.
// The renderers consume only this model and differ only in how they draw it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/solved_plan.h"

namespace apc::backends {

// Precedence when a queue is several things: a guest's, then offline, then
// reserved, then kept by the host's default drivers, else free (released to
// vfio_ap and unused: the only meaning "free" has in every view).
enum class CellKind { Guest, Offline, Reserved, HostKept, Free };

// What the hardware says of a card or queue beyond who owns it; only a live
// host has it (a plan's queues are all Ok). Checkstop wins over deconfigured.
enum class HwState { Ok, Deconfigured, Checkstopped };

struct MatrixCell {
  CellKind kind = CellKind::Free;
  std::size_t guest = 0;  // index into ShowModel::guests when kind == Guest
  // Live only: the guest's mdev is assigned the queue but the guest cannot
  // use it (not in the mdev's guest_matrix, or not bound to vfio_ap).
  bool drift = false;
  HwState state = HwState::Ok;  // the queue's (live only)
  friend bool operator==(const MatrixCell&, const MatrixCell&) = default;
};

struct ShowRow {
  unsigned id = 0;
  std::string type;  // lszcrypt's "CEX5C"
  std::string mode;  // lszcrypt's "CCA-Coproc"
  HwState state = HwState::Ok;  // the card's (live only)
};

struct ShowGuest {
  std::string name;
  std::string uuid;
  std::string start;  // "auto" / "manual"; "" when unknown (a live mdev mdevctl does not define)
  ir::IdSet adapters, domains, control;
};

struct ShowModel {
  std::string hostName;
  std::string interfaceName;  // "modern" / "legacy"
  unsigned crycbFormat = 0;
  std::string apmask, aqmask;  // modern only, as formatMask prints them
  // Live only: where the picture was read ("live sysfs /sys"); "" for a plan.
  std::string source;
  std::vector<ShowRow> rows;      // adapters, ascending ID
  std::vector<unsigned> domains;  // columns, ascending ID
  std::vector<MatrixCell> cells;  // row-major
  std::vector<ShowGuest> guests;

  const MatrixCell& at(std::size_t row, std::size_t col) const { return cells[row * domains.size() + col]; }
  const ShowRow* row(unsigned id) const;
  bool anyDrift() const;
  bool anyState(HwState s) const;  // a row or a cell in state s
};

// The plan's picture: every host adapter a row, every usage domain a column.
ShowModel showModelOf(const ir::SolvedPlan& solved);

// A guest's mark: A..Z for up to 26 guests, else g1, g2, ... (model order).
std::string guestMark(std::size_t g, std::size_t guestCount);
// The single terminal character of a non-guest cell: h, R, x or '.'.
char kindMark(CellKind k);
// The terminal mark of a cell: the guest's mark (plus '!' when it drifts),
// else 'c' / 'd' for a checkstopped / deconfigured queue, else kindMark.
std::string cellMark(const ShowModel& m, const MatrixCell& cell);

// Colour-blind-safe guest colours: the seven Okabe-Ito hues without black,
// in their published order; guest g gets colourOf(g) and, past seven guests,
// patternOf(g) (0 = solid, 1..3 = stripes, dots, cross-hatch) so that 28
// guests are told apart without the letter; beyond that the letter and the
// legend (and, in HTML, the hover text) tell them.
inline constexpr std::size_t kGuestColours = 7;
inline constexpr std::size_t kGuestPatterns = 4;
std::string_view guestColour(std::size_t g);  // "#e69f00"
std::size_t guestPattern(std::size_t g);
// Text colour that stays readable on guestColour(g).
std::string_view guestInk(std::size_t g);
// Fills of the other kinds: distinct greys, offline the darkest.
std::string_view kindFill(CellKind k);
// Fill of an unowned queue in a hardware state (live only): two reds apart
// from the greys and from the Okabe-Ito hues' lightness.
std::string_view stateFill(HwState s);
// The fill a cell is drawn with (guest colour, state fill or kind fill).
std::string_view cellFill(const MatrixCell& c);
// Drift cells keep their owner's colour and get this outline and mark.
inline constexpr std::string_view kDriftStroke = "#c00000";

// "05 CEX5C CCA-Coproc": a row's label; a live card not Ok adds its state.
std::string adapterLabel(const ShowRow& r);
std::string adapterLabel(const ir::Adapter& a);
std::string_view stateName(HwState s);  // "deconfigured" / "checkstopped" / ""
std::string hex2(unsigned v);

}  // namespace apc::backends
