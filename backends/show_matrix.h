// The host's queue matrix as every `apc show` picture draws it (terminal,
// SVG, HTML): adapters as rows, usage domains as columns, each cell one kind
// of queue, and per guest the mark and the colour that stand for it. The
// renderers differ only in how they draw this model.
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

struct MatrixCell {
  CellKind kind = CellKind::Free;
  std::size_t guest = 0;  // index into plan.guests when kind == Guest
};

struct ShowMatrix {
  std::vector<const ir::Adapter*> adapters;  // rows, ascending ID
  std::vector<unsigned> domains;             // columns, ascending ID
  std::vector<MatrixCell> cells;             // row-major
  const MatrixCell& at(std::size_t row, std::size_t col) const { return cells[row * domains.size() + col]; }
};

ShowMatrix buildShowMatrix(const ir::SolvedPlan& solved);

// A guest's mark: A..Z for up to 26 guests, else g1, g2, ... (plan order).
std::string guestMark(std::size_t g, std::size_t guestCount);
// The single terminal character of a non-guest cell: h, R, x or '.'.
char kindMark(CellKind k);

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

// "05 CEX5C CCA-Coproc": a row's label.
std::string adapterLabel(const ir::Adapter& a);
std::string hex2(unsigned v);

}  // namespace apc::backends
