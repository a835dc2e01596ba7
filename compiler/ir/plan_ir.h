// The plan IR: what the front end hands to every later stage. A typed
// inventory of the host and the guests' requirements, with templates,
// families and includes already resolved. Every element keeps its source
// range so any stage can report at the plan's own lines. Nothing downstream
// ever sees the parse tree.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/id_set.h"
#include "compiler/ir/source_manager.h"

namespace apc::ir {

enum class Interface { Modern, Legacy };
enum class CardMode { Accel, Cca, Ep11 };
enum class StartPolicy { Auto, Manual };

std::string_view interfaceName(Interface i);      // "modern" | "legacy"
std::string_view modeKeyword(CardMode m);         // "accel" | "cca" | "ep11"
std::string_view lszcryptModeName(CardMode m);    // "Accelerator" | "CCA-Coproc" | "EP11-Coproc"
char modeLetter(CardMode m);                      // 'A' | 'C' | 'P'
std::string_view startName(StartPolicy s);        // "auto" | "manual"

// lszcrypt's CEX<gen><A|C|P>; generation 4..8 after checks.
struct AdapterType {
  unsigned generation = 4;
  CardMode mode = CardMode::Cca;
  std::string str() const;                    // "CEX5C"
  unsigned hwtype() const { return generation + 6; }  // AP hwtype: 10 = CEX4 .. 14 = CEX8
  friend bool operator==(const AdapterType&, const AdapterType&) = default;
};

struct Adapter {
  unsigned id = 0;
  AdapterType type;
  SourceRange range;  // the ID literal (or the range literal it came from)
};

// A reserve/offline entry as written; nullopt is the `*` wildcard.
struct QueuePattern {
  std::optional<unsigned> adapter;
  std::optional<unsigned> domain;
  SourceRange range;
};

struct Inventory {
  std::string name;
  SourceRange range;  // the host's name
  Interface interface = Interface::Modern;
  SourceRange interfaceRange;
  unsigned crycbFormat = 2;
  SourceRange crycbRange;
  std::vector<Adapter> adapters;  // sorted by id, unique
  IdSet usageDomains;
  SourceRange usageDomainsRange;
  IdSet controlDomains;           // equals usageDomains when not written
  bool controlDomainsExplicit = false;
  SourceRange controlDomainsRange;
  std::vector<QueuePattern> reserve;
  std::vector<QueuePattern> offline;
  QueueSet reservedQueues;  // expanded `reserve`, only queues that exist
  QueueSet offlineQueues;   // expanded `offline`, only adapter x usage-domain pairs

  // 255 with CRYCB format 2 (APXA); 63 adapters / 15 domains with formats 0 and 1.
  unsigned maxAdapterId() const { return crycbFormat == 2 ? 255 : 63; }
  unsigned maxDomainId() const { return crycbFormat == 2 ? 255 : 15; }
  const Adapter* adapter(unsigned id) const;
  IdSet adapterIds() const;
  // The queue exists: adapter declared, domain a usage domain, not offline.
  bool queueExists(unsigned a, unsigned d) const;
  // A guest may get it: exists and not reserved for the host.
  bool queueUsable(unsigned a, unsigned d) const;
  QueueSet existingQueues() const;
  QueueSet usableQueues() const;
};

// What a guest asks for on one axis (adapters or usage domains).
struct IdRequirement {
  enum class Kind { Exact, Any };
  Kind kind = Kind::Exact;
  IdSet exact;                            // Kind::Exact
  std::map<unsigned, SourceRange> idRanges;  // where each exact ID was written
  unsigned count = 0;                     // Kind::Any
  std::optional<IdSet> in;                // `in LIST` filter
  SourceRange inRange;
  std::optional<CardMode> mode;           // adapters only
  SourceRange modeRange;
  std::vector<AdapterType> types;         // adapters only; empty = no type filter
  SourceRange typesRange;
  SourceRange range;                      // the whole `adapters ...;` statement
  bool present = false;                   // false until the guest (or template) sets it

  // How many IDs the guest will hold on this axis.
  unsigned size() const { return kind == Kind::Exact ? static_cast<unsigned>(exact.count()) : count; }
  // Whether adapter/domain `id` passes the `in`, `mode` and `type` filters
  // (for Exact: whether it is one of the listed IDs).
  bool admitsDomain(unsigned id) const;
  bool admitsAdapter(const Adapter& a) const;
};

struct Guest {
  std::string name;
  SourceRange range;       // the name as written (for families: the family's name)
  SourceRange declRange;   // the whole declaration
  IdRequirement adapters;
  IdRequirement domains;
  IdSet extraControlDomains;   // `control domains` beyond the usage domains
  std::map<unsigned, SourceRange> controlDomainRanges;
  SourceRange controlDomainsRange;
  std::optional<std::string> uuid;  // lower case after checks
  SourceRange uuidRange;
  StartPolicy start = StartPolicy::Auto;
  std::vector<std::string> tags;     // as written, duplicates removed
  std::string templateName;          // "" when none
  std::string family;                // the family's base name ("web" for web3), "" when none
  unsigned familyIndex = 0;          // 3 for web3
  bool hasTag(std::string_view t) const;
};

struct ApartGroup {
  std::vector<std::size_t> guests;          // indices into Plan::guests, unique
  std::vector<SourceRange> guestRanges;     // where each was named
  SourceRange range;
};

// What the solver optimises among valid allocations (LANGUAGE.md, policy).
// Spread: fewest guests on the busiest adapter (one adapter failure stops as
// few guests as possible). Pack: fewest adapters in use (whole adapters stay
// free for big future guests).
enum class PlacementGoal { Spread, Pack };

struct Policy {
  struct MinCount {
    unsigned count = 0;
    std::optional<std::string> tag;  // nullopt: every guest
    SourceRange range;
  };
  std::vector<MinCount> minAdapters;
  std::vector<MinCount> minDomains;
  std::optional<unsigned> maxGuestsPerAdapter;
  SourceRange maxGuestsPerAdapterRange;
  std::optional<unsigned> headroomPercent;
  SourceRange headroomRange;
  bool allowForeignControl = false;  // `deny foreign control` is the default
  SourceRange foreignControlRange;
  PlacementGoal placement = PlacementGoal::Spread;
  SourceRange placementRange;  // invalid when not written (spread by default)
};

struct Plan {
  std::string path;                // the main plan file as given on the command line
  Inventory host;
  std::vector<Guest> guests;       // declaration order; families expanded in index order
  std::vector<ApartGroup> apart;
  Policy policy;

  std::optional<std::size_t> guestIndex(std::string_view name) const;
};

// Canonical text dump of the IR without source ranges (`--dump=ir`); two
// plans mean the same exactly when their dumps are equal.
std::string dumpPlan(const Plan& plan);

}  // namespace apc::ir
