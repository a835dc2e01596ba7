// Guests, templates, families, apart groups and policy rules -> IR. A guest
// from a template takes each setting from its own body when given there, else
// from the template (a setting in the body replaces the template's one of the
// same kind). Checks that depend only on one declaration run once per
// declaration, so a family of 100 with one mistake gives one error.
#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <unordered_map>

#include "compiler/frontend/lower.h"
#include "compiler/frontend/lower_values.h"
#include "compiler/frontend/suggest.h"

namespace apc::compiler {

using ir::DiagCode;

namespace {

constexpr std::uint64_t kMaxFamily = 4096;

std::string queueList(const std::vector<ir::Queue>& qs) {
  std::string s;
  const std::size_t shown = std::min<std::size_t>(qs.size(), 8);
  for (std::size_t i = 0; i < shown; ++i) s += (i ? ", " : "") + ir::formatQueue(qs[i]);
  if (qs.size() > shown) s += " and " + std::to_string(qs.size() - shown) + " more";
  return (qs.size() == 1 ? "queue " : "queues ") + s;
}

template <class T>
const T* pick(const std::optional<T>& own, const std::optional<T>* fromTemplate) {
  if (own) return &*own;
  return fromTemplate && *fromTemplate ? &**fromTemplate : nullptr;
}

class GuestLowering {
 public:
  GuestLowering(const ir::Inventory* host, ir::Plan& plan, Reporter& rep) : host_(host), plan_(plan), rep_(rep) {
    if (!host_) return;
    // Once per host, not per guest: which adapters/domains have a usable queue.
    const ir::QueueSet usable = host_->usableQueues();
    for (const ir::Adapter& a : host_->adapters) adapterById_[a.id] = &a;
    for (const ir::Adapter& a : host_->adapters)
      for (unsigned d : ir::toVector(host_->usageDomains))
        if (usable.contains(a.id, d)) {
          usableAdapters_.set(a.id);
          usableDomains_.set(d);
        }
  }

  void run(const std::vector<FlatItem>& items) {
    for (const FlatItem& fi : items)
      if (const auto* t = std::get_if<ast::TemplateDecl>(fi.item)) addTemplate(*t);
    for (const FlatItem& fi : items)
      if (const auto* g = std::get_if<ast::GuestDecl>(fi.item)) addGuest(*g);
    for (const FlatItem& fi : items)
      if (const auto* a = std::get_if<ast::ApartDecl>(fi.item)) addApart(*a);
    for (const auto& [name, t] : templates_)
      if (!t.used)
        rep_.warning(DiagCode::UnusedTemplate, t.decl->name.range, "template '" + name + "' is not used by any guest");
  }

 private:
  struct TemplateInfo {
    const ast::TemplateDecl* decl = nullptr;
    bool used = false;
  };

  void addTemplate(const ast::TemplateDecl& t) {
    if (t.name.text.empty()) return;
    auto [it, fresh] = templates_.emplace(t.name.text, TemplateInfo{&t, false});
    if (!fresh) {
      auto& d = rep_.error(DiagCode::DuplicateTemplate, t.name.range, "template '" + t.name.text + "' is declared twice");
      ir::addNote(d, it->second.decl->name.range, "first declared here");
    }
  }

  // ---- one declaration -> a prototype guest ----

  ir::IdRequirement requirement(const ast::Requirement& r, bool adapters) {
    ir::IdRequirement q;
    q.present = true;
    q.range = r.range;
    if (!r.any) {
      q.kind = ir::IdRequirement::Kind::Exact;
      q.exact = lowerIdList(r.list, rep_, &q.idRanges);
      return q;
    }
    q.kind = ir::IdRequirement::Kind::Any;
    q.count = lowerCount(r.count, ir::kMaxIds, "count", rep_).value_or(0);
    const ast::Filter* seen[3] = {nullptr, nullptr, nullptr};
    for (const ast::Filter& f : r.filters) {
      const int k = static_cast<int>(f.kind);
      static const char* kNames[] = {"in", "mode", "type"};
      if (seen[k]) {
        auto& d = rep_.error(DiagCode::DuplicateSetting, f.range,
                             std::string("the '") + kNames[k] + "' filter is given twice; write it once");
        ir::addNote(d, seen[k]->range, "first given here");
        continue;
      }
      seen[k] = &f;
      if (f.kind != ast::Filter::Kind::In && !adapters) {
        rep_.error(DiagCode::SyntaxError, f.range,
                   std::string("the '") + kNames[k] + "' filter applies to adapters only; domains have no " +
                       (f.kind == ast::Filter::Kind::Mode ? "mode" : "type"));
        continue;
      }
      switch (f.kind) {
        case ast::Filter::Kind::In:
          q.in = lowerIdList(f.in, rep_);
          q.inRange = f.range;
          break;
        case ast::Filter::Kind::Mode:
          q.mode = lowerMode(f.mode, rep_);
          q.modeRange = f.range;
          break;
        case ast::Filter::Kind::Type:
          for (const ast::Word& w : f.types)
            if (auto t = lowerAdapterType(w, rep_))
              if (std::find(q.types.begin(), q.types.end(), *t) == q.types.end()) q.types.push_back(*t);
          q.typesRange = f.range;
          break;
      }
    }
    return q;
  }

  // Checks one guest declaration against the host; `who` names it in messages.
  void checkAgainstHost(const ir::Guest& g, const ast::Requirement* adAst, const ast::Requirement* doAst,
                        const std::string& who) {
    const ir::Inventory& h = *host_;
    auto notOnHost = [&](const ir::IdRequirement& r, bool adapters) {
      if (!r.present || r.kind != ir::IdRequirement::Kind::Exact) return;
      std::map<std::uint32_t, std::pair<ir::SourceRange, ir::IdSet>> byLiteral;  // ordered by offset
      for (std::size_t i = r.exact._Find_first(); i < ir::kMaxIds; i = r.exact._Find_next(i)) {
        const auto id = static_cast<unsigned>(i);
        const bool ok = adapters ? h.adapter(id) != nullptr : h.usageDomains.test(id);
        if (ok) continue;
        auto rit = r.idRanges.find(id);
        ir::SourceRange lit = rit == r.idRanges.end() ? r.range : rit->second;
        auto& slot = byLiteral[lit.begin];
        slot.first = lit;
        slot.second.set(id);
      }
      for (auto& [off, entry] : byLiteral) {
        const bool many = entry.second.count() > 1;
        std::string ids = ir::formatIdList(entry.second);
        if (adapters) {
          auto& d = rep_.error(DiagCode::AdapterNotOnHost, entry.first,
                               std::string(many ? "adapters " : "adapter ") + ids + " of guest '" + who +
                                   (many ? "' are" : "' is") + " not declared on host '" + h.name + "'");
          ir::addNote(d, h.range, "host '" + h.name + "' declares adapters " +
                                       (h.adapters.empty() ? std::string("(none)") : ir::formatIdList(h.adapterIds())));
        } else {
          auto& d = rep_.error(DiagCode::DomainNotOnHost, entry.first,
                               std::string(many ? "domains " : "domain ") + ids + " of guest '" + who +
                                   (many ? "' are not usage domains" : "' is not a usage domain") + " of host '" +
                                   h.name + "'");
          ir::addNote(d, h.usageDomainsRange.valid() ? h.usageDomainsRange : h.range,
                      "the host's usage domains are " +
                          (h.usageDomains.any() ? ir::formatIdList(h.usageDomains) : std::string("(none)")));
        }
      }
    };
    notOnHost(g.adapters, true);
    notOnHost(g.domains, false);

    if (g.adapters.present && g.domains.present && g.adapters.kind == ir::IdRequirement::Kind::Exact &&
        g.domains.kind == ir::IdRequirement::Kind::Exact) {
      std::vector<ir::Queue> offline, reserved;
      const ir::IdSet& as = g.adapters.exact;
      const ir::IdSet& ds = g.domains.exact;
      for (auto a = static_cast<unsigned>(as._Find_first()); a < ir::kMaxIds; a = static_cast<unsigned>(as._Find_next(a)))
        for (auto d = static_cast<unsigned>(ds._Find_first()); d < ir::kMaxIds; d = static_cast<unsigned>(ds._Find_next(d))) {
          if (!h.adapter(a) || !h.usageDomains.test(d)) continue;
          if (h.offlineQueues.contains(a, d)) offline.push_back({static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(d)});
          else if (h.reservedQueues.contains(a, d)) reserved.push_back({static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(d)});
        }
      auto notePattern = [&](ir::Diagnostic& d, const std::vector<ir::QueuePattern>& ps, ir::Queue q, const char* what) {
        for (const ir::QueuePattern& p : ps)
          if ((!p.adapter || *p.adapter == q.adapter) && (!p.domain || *p.domain == q.domain)) {
            ir::addNote(d, p.range, std::string("the host marks ") + ir::formatQueue(q) + " " + what + " here");
            return;
          }
      };
      if (!offline.empty()) {
        auto& d = rep_.error(DiagCode::QueueOffline, g.domains.range,
                             "guest '" + who + "' would get " + queueList(offline) + ", offline on host '" + h.name + "'");
        notePattern(d, h.offline, offline.front(), "offline");
      }
      if (!reserved.empty()) {
        auto& d = rep_.error(DiagCode::QueueReserved, g.domains.range,
                             "guest '" + who + "' would get " + queueList(reserved) + ", reserved for host '" +
                                 h.name + "'");
        notePattern(d, h.reserve, reserved.front(), "reserved");
      }
    }

    // Control domains beyond the usage domains must be host control domains.
    std::map<std::uint32_t, std::pair<ir::SourceRange, ir::IdSet>> badControl;
    const ir::IdSet outside = g.extraControlDomains & ~h.controlDomains;
    for (std::size_t i = outside._Find_first(); i < ir::kMaxIds; i = outside._Find_next(i)) {
      const auto id = static_cast<unsigned>(i);
      auto rit = g.controlDomainRanges.find(id);
      ir::SourceRange lit = rit == g.controlDomainRanges.end() ? g.controlDomainsRange : rit->second;
      auto& slot = badControl[lit.begin];
      slot.first = lit;
      slot.second.set(id);
    }
    for (auto& [off, entry] : badControl) {
      auto& d = rep_.error(DiagCode::ControlDomainNotOnHost, entry.first,
                           "control domain " + ir::formatIdList(entry.second) + " of guest '" + who +
                               "' is not a control domain of host '" + h.name + "'");
      ir::SourceRange where = h.controlDomainsRange.valid() ? h.controlDomainsRange : h.range;
      ir::addNote(d, where,
                  "the host's control domains are " +
                      (h.controlDomains.any() ? ir::formatIdList(h.controlDomains) : std::string("(none)")) +
                      (h.controlDomainsExplicit ? "" : " (its usage domains, as no 'control domains' is given)"));
    }

    // `any N`: no more than the IDs that pass the filters and have a usable queue.
    if (g.adapters.present && g.adapters.kind == ir::IdRequirement::Kind::Any && adAst && adAst->count.ok) {
      // Only usable adapters inside `in` can pass; mode and type need the adapter itself.
      const ir::IdSet reachable = g.adapters.in ? usableAdapters_ & *g.adapters.in : usableAdapters_;
      unsigned candidates = 0;
      for (std::size_t i = reachable._Find_first(); i < ir::kMaxIds; i = reachable._Find_next(i))
        candidates += g.adapters.admitsAdapter(*adapterById_[i]);
      tooMany(g.adapters, candidates, "adapters", adAst->count.range, who);
    }
    if (g.domains.present && g.domains.kind == ir::IdRequirement::Kind::Any && doAst && doAst->count.ok) {
      unsigned candidates = 0;
      candidates = static_cast<unsigned>((g.domains.in ? usableDomains_ & *g.domains.in : usableDomains_).count());
      tooMany(g.domains, candidates, "domains", doAst->count.range, who);
    }
  }

  void tooMany(const ir::IdRequirement& r, unsigned candidates, const char* what, ir::SourceRange at,
               const std::string& who) {
    if (r.count == 0) {
      rep_.error(DiagCode::AnyTooMany, at,
                 std::string("'any 0' asks guest '") + who + "' for no " + what + "; write at least 'any 1'");
      return;
    }
    if (r.count <= candidates) return;
    std::string filters;
    if (r.in) filters += " in " + ir::formatIdList(*r.in);
    if (r.mode) filters += std::string(" mode ") + std::string(ir::modeKeyword(*r.mode));
    if (!r.types.empty()) {
      filters += " type";
      for (std::size_t i = 0; i < r.types.size(); ++i) filters += (i ? ", " : " ") + r.types[i].str();
    }
    std::string noun = what;
    if (r.count == 1) noun.pop_back();  // "1 domain"
    auto& d = rep_.error(DiagCode::AnyTooMany, at,
                         "guest '" + who + "' asks for " + std::to_string(r.count) + " " + noun + ", but host '" +
                             host_->name + "' has only " + std::to_string(candidates) + " with a free queue" +
                             (filters.empty() ? "" : " that match" + filters));
    if (r.in) ir::addNote(d, r.inRange, "filter given here");
    if (r.mode) ir::addNote(d, r.modeRange, "filter given here");
    if (!r.types.empty()) ir::addNote(d, r.typesRange, "filter given here");
  }

  void addGuest(const ast::GuestDecl& gd) {
    if (gd.name.text.empty()) return;
    const ast::Body* tb = nullptr;
    bool templateUnknown = false;
    if (gd.templ && !gd.templ->text.empty()) {
      auto it = templates_.find(gd.templ->text);
      if (it == templates_.end()) {
        templateUnknown = true;
        std::vector<std::string_view> names;
        for (const auto& [n, t] : templates_) names.push_back(n);
        rep_.error(DiagCode::UnknownTemplate, gd.templ->range,
                   "unknown template '" + gd.templ->text + "'" + didYouMean(gd.templ->text, names));
      } else {
        it->second.used = true;
        tb = &it->second.decl->body;
      }
    }
    std::string who = gd.name.text;
    std::uint64_t lo = 0, hi = 0;
    const bool family = gd.familyLo.has_value();
    if (family) {
      if (!gd.familyLo->ok || !gd.familyHi || !gd.familyHi->ok) return;  // reported by the lexer
      lo = gd.familyLo->value;
      hi = gd.familyHi->value;
      who += "[" + std::to_string(lo) + ".." + std::to_string(hi) + "]";
      if (hi < lo || hi - lo + 1 > kMaxFamily) {
        rep_.error(DiagCode::BadFamilyRange, gd.familyRange,
                   hi < lo ? "guest family range " + std::to_string(lo) + ".." + std::to_string(hi) + " is empty"
                           : "guest family '" + who + "' has " + std::to_string(hi - lo + 1) + " guests; at most " +
                                 std::to_string(kMaxFamily) + " per family");
        return;
      }
    }

    const ast::Body& b = gd.body;
    const ast::Requirement* adAst = pick(b.adapters, tb ? &tb->adapters : nullptr);
    const ast::Requirement* doAst = pick(b.domains, tb ? &tb->domains : nullptr);
    const ast::IdList* ctlAst = pick(b.control, tb ? &tb->control : nullptr);
    const ast::Word* uuidAst = pick(b.uuid, tb ? &tb->uuid : nullptr);
    const ast::Word* startAst = pick(b.start, tb ? &tb->start : nullptr);
    const std::vector<ast::Word>* tagsAst = pick(b.tags, tb ? &tb->tags : nullptr);

    ir::Guest g;
    g.range = gd.name.range;
    g.declRange = gd.range;
    g.templateName = gd.templ ? gd.templ->text : "";
    if (adAst) g.adapters = requirement(*adAst, true);
    if (doAst) g.domains = requirement(*doAst, false);
    if (ctlAst) {
      g.extraControlDomains = lowerIdList(*ctlAst, rep_, &g.controlDomainRanges);
      g.controlDomainsRange = ctlAst->range;
    }
    if (uuidAst) {
      g.uuid = lowerUuid(*uuidAst, rep_);
      g.uuidRange = uuidAst->range;
    }
    if (startAst)
      if (auto s = lowerStart(*startAst, rep_)) g.start = *s;
    if (tagsAst)
      for (const ast::Word& t : *tagsAst)
        if (!g.hasTag(t.text)) g.tags.push_back(t.text);

    const bool incomplete = templateUnknown || b.incomplete || (tb && tb->incomplete);
    if ((!g.adapters.present || !g.domains.present) && !incomplete) {
      const bool both = !g.adapters.present && !g.domains.present;
      std::string missing = both ? "adapters or domains" : !g.adapters.present ? "adapters" : "domains";
      auto& d = rep_.error(DiagCode::MissingRequirement, gd.name.range,
                           "guest '" + who + "' does not say which " + missing + " it needs; add '" +
                               (!g.adapters.present ? "adapters" : "domains") + " ...;' (a list, or 'any N')");
      if (tb) ir::addNote(d, gd.templ->range, "template '" + gd.templ->text + "' does not set it either");
    }
    if (host_) checkAgainstHost(g, adAst, doAst, who);
    if (family && g.uuid && hi > lo) {
      rep_.error(DiagCode::DuplicateUuid, g.uuidRange,
                 "every guest of family '" + who + "' would get this uuid; a uuid names one mdev");
      g.uuid.reset();
    }

    if (!family) {
      g.name = gd.name.text;
      push(std::move(g));
      return;
    }
    g.family = gd.name.text;
    for (std::uint64_t i = lo; i <= hi; ++i) {
      ir::Guest member = g;
      member.name = gd.name.text + std::to_string(i);
      member.familyIndex = static_cast<unsigned>(i);
      push(std::move(member));
    }
  }

  void push(ir::Guest g) {
    auto [it, fresh] = byName_.emplace(g.name, plan_.guests.size());
    if (!fresh) {
      const ir::Guest& first = plan_.guests[it->second];
      auto& d = rep_.error(DiagCode::DuplicateGuest, g.range, "guest '" + g.name + "' is declared twice");
      ir::addNote(d, first.range, "first declared here");
      return;
    }
    if (g.uuid) {
      auto [uit, ufresh] = byUuid_.emplace(*g.uuid, plan_.guests.size());
      if (!ufresh) {
        const ir::Guest& first = plan_.guests[uit->second];
        auto& d = rep_.error(DiagCode::DuplicateUuid, g.uuidRange,
                             "guests '" + first.name + "' and '" + g.name + "' have the same uuid " + *g.uuid);
        ir::addNote(d, first.uuidRange, "'" + first.name + "' has it here");
      }
    }
    if (!g.family.empty()) families_[g.family].push_back(plan_.guests.size());
    plan_.guests.push_back(std::move(g));
  }

  void addApart(const ast::ApartDecl& a) {
    ir::ApartGroup grp;
    grp.range = a.range;
    std::set<std::size_t> seen;
    std::size_t unknownNames = 0;
    for (const ast::Word& w : a.guests) {
      std::vector<std::size_t> idx;
      if (auto it = byName_.find(w.text); it != byName_.end()) {
        idx.push_back(it->second);
      } else if (auto f = families_.find(w.text); f != families_.end() && !f->second.empty()) {
        idx = f->second;  // `apart web;` spreads the whole family web[...]
      } else {
        std::vector<std::string_view> names;
        if (byName_.size() <= 20000)
          for (const ir::Guest& g : plan_.guests) names.push_back(g.name);
        ++unknownNames;
        rep_.error(DiagCode::UnknownGuestInApart, w.range,
                   "apart names guest '" + w.text + "', which is not declared" + didYouMean(w.text, names));
        continue;
      }
      for (std::size_t i : idx)
        if (seen.insert(i).second) {
          grp.guests.push_back(i);
          grp.guestRanges.push_back(w.range);
        }
    }
    if (grp.guests.size() < 2) {
      // Else it is merely the fallout of an unknown name or of a syntax
      // error inside the statement (`apart a b;` lost its `b` to E006).
      if (!unknownNames && !rep_.anyErrorIn(a.range))
        rep_.error(DiagCode::ApartTooSmall, a.range, "apart needs at least two different guests");
      return;
    }
    plan_.apart.push_back(std::move(grp));
  }

  const ir::Inventory* host_;
  ir::IdSet usableAdapters_;  // adapters with at least one queue a guest may get
  std::array<const ir::Adapter*, ir::kMaxIds> adapterById_{};  // into host_->adapters
  ir::IdSet usableDomains_;   // usage domains with at least one such queue
  ir::Plan& plan_;
  Reporter& rep_;
  std::map<std::string, TemplateInfo> templates_;
  std::unordered_map<std::string, std::size_t> byName_;
  std::unordered_map<std::string, std::size_t> byUuid_;
  std::map<std::string, std::vector<std::size_t>> families_;
};

}  // namespace

void lowerGuests(const std::vector<FlatItem>& items, const ir::Inventory* host, ir::Plan& plan, Reporter& rep) {
  GuestLowering(host, plan, rep).run(items);
}

namespace {

// A rule already set by another policy block (the plan's own, a --policy
// file's): equal values agree; different ones resolve to the stricter, said
// in an N129 note that names both places. Within one block a second setting
// is a slip (E118).
struct PolicyMerge {
  Reporter& rep;

  std::map<std::string, ir::SourceRange> seenHere;  // rule -> where this block set it

  // E118 when this block already set the rule; else remembers it.
  bool firstInBlock(const char* what, ir::SourceRange at) {
    auto [it, fresh] = seenHere.emplace(what, at);
    if (fresh) return true;
    auto& d = rep.error(DiagCode::DuplicateSetting, at, std::string("'") + what + "' is set twice");
    ir::addNote(d, it->second, "first set here");
    return false;
  }
  // Returns whether the new value replaces the old one.
  template <typename T>
  bool combine(const char* what, T oldValue, ir::SourceRange oldRange, T newValue, ir::SourceRange newRange,
               bool newIsStricter, const std::string& oldText, const std::string& newText) {
    if (oldValue == newValue) return false;
    ir::Diagnostic n;
    n.severity = ir::Severity::Note;
    n.code = DiagCode::PolicyCombined;
    n.range = newIsStricter ? newRange : oldRange;
    n.message = std::string("'") + what + "' is set in two policies (" + oldText + " and " + newText +
                "); the stricter, " + (newIsStricter ? newText : oldText) + ", applies";
    ir::addNote(n, newIsStricter ? oldRange : newRange, std::string("the other policy sets ") +
                                                            (newIsStricter ? oldText : newText) + " here");
    rep.engine().report(std::move(n));
    return newIsStricter;
  }
};

}  // namespace

void lowerPolicy(const ast::PolicyDecl& p, ir::Policy& into, Reporter& rep) {
  PolicyMerge merge{rep, {}};
  for (const ast::PolicyRule& r : p.rules) {
    using K = ast::PolicyRule::Kind;
    switch (r.kind) {
      case K::MinAdapters:
      case K::MinDomains: {
        auto n = lowerCount(r.n, ir::kMaxIds, "count", rep);
        if (!n) break;
        ir::Policy::MinCount m{*n, r.tag ? std::optional<std::string>(r.tag->text) : std::nullopt, r.range};
        (r.kind == K::MinAdapters ? into.minAdapters : into.minDomains).push_back(m);
        break;
      }
      case K::MaxGuestsPerAdapter: {
        auto n = lowerCount(r.n, 65536, "max guests per adapter", rep);
        if (!n) break;
        if (*n == 0) {
          rep.error(DiagCode::NumberTooLarge, r.n.range, "'max guests per adapter 0' leaves no adapter usable; write at least 1");
          break;
        }
        if (!merge.firstInBlock("max guests per adapter", r.range)) break;
        if (into.maxGuestsPerAdapter &&
            !merge.combine("max guests per adapter", *into.maxGuestsPerAdapter, into.maxGuestsPerAdapterRange, *n,
                           r.range, *n < *into.maxGuestsPerAdapter, std::to_string(*into.maxGuestsPerAdapter),
                           std::to_string(*n)))
          break;
        into.maxGuestsPerAdapter = *n;
        into.maxGuestsPerAdapterRange = r.range;
        break;
      }
      case K::Headroom: {
        auto n = lowerCount(r.n, 100, "headroom", rep);
        if (!n) break;
        if (!merge.firstInBlock("headroom", r.range)) break;
        if (into.headroomPercent &&
            !merge.combine("headroom", *into.headroomPercent, into.headroomRange, *n, r.range, *n > *into.headroomPercent,
                           std::to_string(*into.headroomPercent) + "%", std::to_string(*n) + "%"))
          break;
        into.headroomPercent = *n;
        into.headroomRange = r.range;
        break;
      }
      case K::DenyForeign:
      case K::AllowForeign: {
        const bool allow = r.kind == K::AllowForeign;
        auto word = [](bool a) { return std::string(a ? "allow" : "deny") + " foreign control"; };
        if (!merge.firstInBlock("foreign control", r.range)) break;
        if (into.foreignControlRange.valid() &&
            !merge.combine("foreign control", into.allowForeignControl, into.foreignControlRange, allow, r.range,
                           !allow, word(into.allowForeignControl), word(allow)))
          break;
        into.allowForeignControl = r.kind == K::AllowForeign;
        into.foreignControlRange = r.range;
        break;
      }
      case K::Placement: {
        if (!merge.firstInBlock("placement", r.range)) break;
        auto goal = lowerPlacement(r.value, rep);
        if (!goal) break;
        if (into.placementRange.valid()) {
          // Equal is fine; spread and pack have no "stricter": refused with both places.
          if (*goal != into.placement) {
            auto& d = rep.error(DiagCode::DuplicateSetting, r.range,
                                "'placement' is set to different goals in two policies, and neither is stricter");
            ir::addNote(d, into.placementRange, "the other policy sets it here");
          }
          break;
        }
        into.placement = *goal;
        into.placementRange = r.range;
        break;
      }
    }
  }
}

}  // namespace apc::compiler
