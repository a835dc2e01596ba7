// Messages name the value as written and say what would be right.
#include "compiler/frontend/lower_values.h"

#include <cctype>
#include <cstdio>

#include "compiler/frontend/suggest.h"

namespace apc::compiler {

using ir::DiagCode;

std::string idText(unsigned id) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%02x", id);
  return buf;
}

namespace {
std::string numShown(const ast::Number& n) {
  return n.value >= (1ull << 32) ? std::string("a number past 2^32") : std::to_string(n.value);
}
}  // namespace

ir::IdSet lowerIdList(const ast::IdList& l, Reporter& rep, std::map<unsigned, ir::SourceRange>* ranges) {
  ir::IdSet s;
  for (const ast::IdItem& it : l.items) {
    if (!it.lo.ok || (it.hi && !it.hi->ok)) continue;  // already reported
    bool bad = false;
    for (const ast::Number* n : {&it.lo, it.hi ? &*it.hi : nullptr}) {
      if (n && n->value > 255) {
        rep.error(DiagCode::NumberTooLarge, n->range,
                  "ID " + numShown(*n) + " is past 255, the largest adapter or domain ID");
        bad = true;
      }
    }
    if (bad) continue;
    const unsigned lo = static_cast<unsigned>(it.lo.value);
    const unsigned hi = it.hi ? static_cast<unsigned>(it.hi->value) : lo;
    if (hi < lo) {
      rep.error(DiagCode::BadRange, it.range,
                "range " + idText(lo) + ".." + idText(hi) + " runs backwards; write " + idText(hi) + ".." +
                    idText(lo));
      continue;
    }
    for (unsigned v = lo; v <= hi; ++v) {
      s.set(v);
      if (ranges) ranges->emplace(v, it.range);
    }
  }
  return s;
}

std::optional<ir::AdapterType> lowerAdapterType(const ast::Word& w, Reporter& rep) {
  const std::string& t = w.text;
  auto parse = [](const std::string& s, unsigned& gen, char& mode) {
    if (s.size() < 5 || s.compare(0, 3, "CEX") != 0) return false;
    gen = 0;
    std::size_t i = 3;
    for (; i + 1 < s.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(s[i])) || gen > 100) return false;
      gen = gen * 10 + static_cast<unsigned>(s[i] - '0');
    }
    mode = s.back();
    return i > 3 && (mode == 'A' || mode == 'C' || mode == 'P');
  };
  unsigned gen = 0;
  char mode = 0;
  if (!parse(t, gen, mode)) {
    std::string upper = t;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string hint = parse(upper, gen, mode) && gen >= 4 && gen <= 8 ? "; write '" + upper + "'"
                                                                      : "; write CEX<4..8><A|C|P>, e.g. CEX7C";
    rep.error(DiagCode::UnknownAdapterType, w.range, "unknown adapter type '" + t + "'" + hint);
    return std::nullopt;
  }
  if (gen == 2 || gen == 3) {
    rep.error(DiagCode::UnsupportedAdapterType, w.range,
              "adapter type " + t + " cannot be passed through: vfio_ap drives CEX4 and newer only");
    return std::nullopt;
  }
  if (gen < 4 || gen > 8) {
    rep.error(DiagCode::UnknownAdapterType, w.range,
              "unknown adapter generation in '" + t + "': apc knows CEX4 to CEX8");
    return std::nullopt;
  }
  ir::AdapterType a;
  a.generation = gen;
  a.mode = mode == 'A' ? ir::CardMode::Accel : mode == 'C' ? ir::CardMode::Cca : ir::CardMode::Ep11;
  return a;
}

namespace {
// E007 for a word that is none of `words`.
void unknownWord(const ast::Word& w, const char* what, const std::vector<std::string_view>& words, Reporter& rep) {
  std::string list;
  for (std::size_t i = 0; i < words.size(); ++i) list += (i ? " or " : "") + std::string(words[i]);
  auto m = closestMatch(w.text, words);
  rep.error(DiagCode::UnknownKeyword, w.range,
            "unknown " + std::string(what) + " '" + w.text + "'" +
                (m ? "; did you mean '" + *m + "'?" : "; expected " + list));
}
}  // namespace

std::optional<ir::CardMode> lowerMode(const ast::Word& w, Reporter& rep) {
  if (w.text == "accel") return ir::CardMode::Accel;
  if (w.text == "cca") return ir::CardMode::Cca;
  if (w.text == "ep11") return ir::CardMode::Ep11;
  if (!w.text.empty()) unknownWord(w, "mode", {"accel", "cca", "ep11"}, rep);
  return std::nullopt;
}

std::optional<ir::StartPolicy> lowerStart(const ast::Word& w, Reporter& rep) {
  if (w.text == "auto") return ir::StartPolicy::Auto;
  if (w.text == "manual") return ir::StartPolicy::Manual;
  if (!w.text.empty()) unknownWord(w, "start policy", {"auto", "manual"}, rep);
  return std::nullopt;
}

std::optional<ir::PlacementGoal> lowerPlacement(const ast::Word& w, Reporter& rep) {
  if (w.text == "spread") return ir::PlacementGoal::Spread;
  if (w.text == "pack") return ir::PlacementGoal::Pack;
  if (!w.text.empty()) unknownWord(w, "placement", {"spread", "pack"}, rep);
  return std::nullopt;
}

std::optional<ir::Interface> lowerInterface(const ast::Word& w, Reporter& rep) {
  if (w.text == "modern") return ir::Interface::Modern;
  if (w.text == "legacy") return ir::Interface::Legacy;
  if (!w.text.empty()) unknownWord(w, "interface", {"modern", "legacy"}, rep);
  return std::nullopt;
}

std::optional<ir::QueuePattern> lowerQueue(const ast::QueueItem& q, Reporter& rep) {
  auto side = [](std::string_view s, unsigned& v) {
    if (s.empty() || s.size() > 4) return false;
    v = 0;
    for (char c : s) {
      if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
      v = v * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return true;
  };
  const std::string& t = q.text;
  const auto dot = t.find('.');
  ir::QueuePattern p;
  p.range = q.range;
  bool ok = dot != std::string::npos && t.find('.', dot + 1) == std::string::npos;
  if (ok) {
    std::string_view a = std::string_view(t).substr(0, dot), d = std::string_view(t).substr(dot + 1);
    unsigned av = 0, dv = 0;
    if (a != "*") {
      ok = ok && side(a, av);
      p.adapter = av;
    }
    if (d != "*") {
      ok = ok && side(d, dv);
      p.domain = dv;
    }
    if (ok && ((p.adapter && *p.adapter > 255) || (p.domain && *p.domain > 255))) {
      rep.error(DiagCode::NumberTooLarge, q.range, "queue '" + t + "' has an ID past 0xff");
      return std::nullopt;
    }
  }
  if (!ok) {
    rep.error(DiagCode::BadQueue, q.range,
              "'" + t + "' is not a queue; write adapter.domain in hex, like 05.0004, 05.* or *.0004");
    return std::nullopt;
  }
  return p;
}

std::optional<std::string> lowerUuid(const ast::Word& w, Reporter& rep) {
  const std::string& t = w.text;
  bool ok = t.size() == 36;
  for (std::size_t i = 0; ok && i < t.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    ok = dash ? t[i] == '-' : std::isxdigit(static_cast<unsigned char>(t[i])) != 0;
  }
  if (!ok) {
    rep.error(DiagCode::BadUuid, w.range,
              "'" + t + "' is not a uuid; write 8-4-4-4-12 hex digits, like 6c4a3f0e-1d2b-4c3a-9e8f-0123456789ab");
    return std::nullopt;
  }
  std::string lower = t;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

std::optional<unsigned> lowerCount(const ast::Number& n, unsigned max, const char* what, Reporter& rep) {
  if (!n.ok) return std::nullopt;
  if (n.value > max) {
    rep.error(DiagCode::NumberTooLarge, n.range,
              std::string(what) + " " + numShown(n) + " is too large; at most " + std::to_string(max));
    return std::nullopt;
  }
  return static_cast<unsigned>(n.value);
}

}  // namespace apc::compiler
