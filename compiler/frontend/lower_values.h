// Turning AST leaves into IR values, with their checks: ID lists (E008 past
// 255, E009 backwards range), adapter types (E109 CEX2/3, E123 unknown),
// keyword values (E007 with a suggestion), queue patterns (E127), uuids (E010).
#pragma once

#include <map>
#include <optional>
#include <string>

#include "compiler/frontend/ast.h"
#include "compiler/frontend/diag_limiter.h"
#include "compiler/ir/plan_ir.h"

namespace apc::compiler {

// Every ID of the list; `ranges` (optional) gets where each ID was written.
// IDs past 255 and backwards ranges are reported and left out.
ir::IdSet lowerIdList(const ast::IdList& l, Reporter& rep, std::map<unsigned, ir::SourceRange>* ranges = nullptr);

std::optional<ir::AdapterType> lowerAdapterType(const ast::Word& w, Reporter& rep);
std::optional<ir::CardMode> lowerMode(const ast::Word& w, Reporter& rep);
std::optional<ir::StartPolicy> lowerStart(const ast::Word& w, Reporter& rep);
std::optional<ir::PlacementGoal> lowerPlacement(const ast::Word& w, Reporter& rep);
std::optional<ir::Interface> lowerInterface(const ast::Word& w, Reporter& rep);
std::optional<ir::QueuePattern> lowerQueue(const ast::QueueItem& q, Reporter& rep);
// Lower-case 8-4-4-4-12, or nullopt after E010.
std::optional<std::string> lowerUuid(const ast::Word& w, Reporter& rep);
// A count (any N, min N, ...) with an upper bound; E008 past it.
std::optional<unsigned> lowerCount(const ast::Number& n, unsigned max, const char* what, Reporter& rep);

// "0x05" for messages.
std::string idText(unsigned id);

}  // namespace apc::compiler
