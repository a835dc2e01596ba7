// The independent checker. It shares no code with the solver on purpose: it
// re-derives every rule from the plan IR alone, queue by queue, so a bug in
// the solver's encoding cannot also hide here.
#include "solver/checker/checker.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <vector>

namespace apc::checker {

namespace {

using ir::IdRequirement;
using ir::IdSet;

bool wellFormedUuid(const std::string& u) {
  if (u.size() != 36) return false;
  for (std::size_t i = 0; i < u.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? u[i] != '-' : !std::isxdigit(static_cast<unsigned char>(u[i]))) return false;
    if (!dash && std::isupper(static_cast<unsigned char>(u[i]))) return false;
  }
  return true;
}

class Checker {
 public:
  explicit Checker(const ir::SolvedPlan& s) : s_(s), plan_(s.plan), host_(s.plan.host) {}

  std::vector<Violation> run() {
    if (s_.alloc.size() != plan_.guests.size()) {
      add("shape", "the allocation has " + std::to_string(s_.alloc.size()) + " guests, the plan " +
                       std::to_string(plan_.guests.size()));
      return std::move(out_);
    }
    for (std::size_t g = 0; g < plan_.guests.size(); ++g) checkGuest(g);
    checkOverlaps();
    checkApart();
    checkMaxGuestsPerAdapter();
    if (!plan_.policy.allowForeignControl) checkForeignControl();
    if (host_.interface == ir::Interface::Modern) checkMasks();
    checkUuids();
    return std::move(out_);
  }

 private:
  void add(std::string rule, std::string msg, std::optional<std::size_t> g = std::nullopt) {
    out_.push_back({std::move(rule), std::move(msg), g});
  }
  const std::string& name(std::size_t g) const { return plan_.guests[g].name; }

  void checkRequirement(std::size_t g, const IdRequirement& r, const IdSet& got, bool adapters) {
    const char* axis = adapters ? "adapters" : "domains";
    if (!r.present) {
      add("requirement", "guest " + name(g) + " has no " + axis + " requirement", g);
      return;
    }
    if (r.kind == IdRequirement::Kind::Exact) {
      if (got != r.exact)
        add("requirement", "guest " + name(g) + " asked for " + axis + " " + ir::formatIdList(r.exact) +
                               " exactly but got " + ir::formatIdList(got), g);
      return;
    }
    if (got.count() != r.count)
      add("requirement", "guest " + name(g) + " asked for any " + std::to_string(r.count) + " " + axis +
                             " but got " + std::to_string(got.count()), g);
    for (unsigned id : ir::toVector(got)) {
      bool ok;
      if (adapters) {
        const ir::Adapter* a = host_.adapter(id);
        ok = a && r.admitsAdapter(*a);
      } else {
        ok = r.admitsDomain(id);
      }
      if (!ok)
        add("requirement", "guest " + name(g) + " got " + (adapters ? "adapter " : "domain ") +
                               ir::formatSysfsId(id) + ", which its filters do not admit", g);
    }
  }

  void checkGuest(std::size_t g) {
    const ir::Guest& guest = plan_.guests[g];
    const ir::GuestAllocation& a = s_.alloc[g];
    checkRequirement(g, guest.adapters, a.adapters, true);
    checkRequirement(g, guest.domains, a.domains, false);
    if (a.adapters.none() || a.domains.none())
      add("requirement", "guest " + name(g) + " has an empty matrix", g);
    for (unsigned id : ir::toVector(a.adapters))
      if (id > host_.maxAdapterId())
        add("limit", "guest " + name(g) + " has adapter " + ir::formatSysfsId(id) +
                         " past the CRYCB format's limit", g);
    for (unsigned id : ir::toVector(a.domains | a.controlDomains))
      if (id > host_.maxDomainId())
        add("limit", "guest " + name(g) + " has domain " + ir::formatSysfsId(id) +
                         " past the CRYCB format's limit", g);
    for (unsigned ad : ir::toVector(a.adapters))
      for (unsigned d : ir::toVector(a.domains)) {
        std::string q = ir::formatQueue(ad, d);
        if (!host_.queueExists(ad, d))
          add("exists", "guest " + name(g) + " holds queue " + q + ", which does not exist on the host", g);
        else if (host_.reservedQueues.contains(ad, d))
          add("reserved", "guest " + name(g) + " holds queue " + q + ", which is reserved for the host", g);
      }
    IdSet wantAdm = a.domains | guest.extraControlDomains;
    if (a.controlDomains != wantAdm)
      add("control", "guest " + name(g) + " has control domains " + ir::formatIdList(a.controlDomains) +
                         " but its usage plus extra control domains are " + ir::formatIdList(wantAdm), g);
    IdSet outside = a.controlDomains & ~host_.controlDomains;
    if (outside.any())
      add("control", "guest " + name(g) + " controls " + ir::formatIdList(outside) +
                         ", outside the host's control domains", g);
  }

  // Fills owner_ (first guest holding each queue) and reports every second holder.
  void checkOverlaps() {
    owner_.assign(ir::kMaxIds * ir::kMaxIds, kNobody);
    for (std::size_t g = 0; g < s_.alloc.size(); ++g)
      for (unsigned ad : ir::toVector(s_.alloc[g].adapters))
        for (unsigned d : ir::toVector(s_.alloc[g].domains)) {
          std::size_t& o = owner_[ad * ir::kMaxIds + d];
          if (o == kNobody)
            o = g;
          else
            add("overlap", "queue " + ir::formatQueue(ad, d) + " belongs to both " + name(o) + " and " +
                               name(g), g);
        }
  }

  void checkApart() {
    for (const ir::ApartGroup& grp : plan_.apart)
      for (std::size_t i = 0; i < grp.guests.size(); ++i)
        for (std::size_t j = i + 1; j < grp.guests.size(); ++j) {
          std::size_t g = grp.guests[i], h = grp.guests[j];
          IdSet shared = s_.alloc[g].adapters & s_.alloc[h].adapters;
          if (shared.any())
            add("apart", "guests " + name(g) + " and " + name(h) + " are kept apart but share adapter " +
                             ir::formatIdList(shared), g);
        }
  }

  void checkMaxGuestsPerAdapter() {
    if (!plan_.policy.maxGuestsPerAdapter) return;
    unsigned limit = *plan_.policy.maxGuestsPerAdapter;
    for (unsigned ad = 0; ad < ir::kMaxIds; ++ad) {
      unsigned n = 0;
      for (const auto& a : s_.alloc) n += a.adapters.test(ad);
      if (n > limit)
        add("max-guests", "adapter " + ir::formatSysfsId(ad) + " serves " + std::to_string(n) +
                              " guests, the policy allows " + std::to_string(limit));
    }
  }

  void checkForeignControl() {
    for (std::size_t g = 0; g < s_.alloc.size(); ++g)
      for (unsigned ad : ir::toVector(s_.alloc[g].adapters))
        for (unsigned d : ir::toVector(s_.alloc[g].controlDomains))
          if (std::size_t h = owner_[ad * ir::kMaxIds + d]; h != kNobody && h != g)
              add("foreign-control", "guest " + name(g) + " controls domain " + ir::formatSysfsId(d) +
                                         " on adapter " + ir::formatSysfsId(ad) + ", whose queue " +
                                         ir::formatQueue(ad, d) + " belongs to " + name(h), g);
  }

  void checkMasks() {
    for (const ir::Queue& q : host_.reservedQueues.toVector())
      if (!(s_.apmask.test(q.adapter) && s_.aqmask.test(q.domain)))
        add("masks", "reserved queue " + ir::formatQueue(q) + " is not kept by apmask x aqmask");
    for (std::size_t g = 0; g < s_.alloc.size(); ++g)
      for (unsigned ad : ir::toVector(s_.alloc[g].adapters))
        for (unsigned d : ir::toVector(s_.alloc[g].domains))
          if (s_.apmask.test(ad) && s_.aqmask.test(d))
            add("masks", "queue " + ir::formatQueue(ad, d) + " of guest " + name(g) +
                             " stays with the host drivers under apmask x aqmask", g);
  }

  void checkUuids() {
    std::map<std::string, std::size_t> seen;
    for (std::size_t g = 0; g < s_.alloc.size(); ++g) {
      const std::string& u = s_.alloc[g].uuid;
      if (!wellFormedUuid(u)) add("uuid", "guest " + name(g) + " has malformed uuid '" + u + "'", g);
      if (plan_.guests[g].uuid && *plan_.guests[g].uuid != u)
        add("uuid", "guest " + name(g) + " has uuid " + u + " but the plan says " + *plan_.guests[g].uuid, g);
      auto [it, fresh] = seen.emplace(u, g);
      if (!fresh) add("uuid", "guests " + name(it->second) + " and " + name(g) + " share uuid " + u, g);
    }
  }

  const ir::SolvedPlan& s_;
  const ir::Plan& plan_;
  const ir::Inventory& host_;
  std::vector<Violation> out_;
  static constexpr std::size_t kNobody = ~std::size_t{0};
  std::vector<std::size_t> owner_;  // adapter*256 + domain -> first guest holding it
};

}  // namespace

std::vector<Violation> verify(const ir::SolvedPlan& solved) { return Checker(solved).run(); }

}  // namespace apc::checker
