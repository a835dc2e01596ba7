// Parsers for the sim's host-state flags (host_flags.h).
#include "kmod/model/host_flags.h"

#include <cstdio>

namespace apc::kmod {
namespace {

// Decimal, or hex with 0x; "010" is refused (octal or decimal would be a guess).
std::optional<unsigned> parseId(std::string_view s, unsigned max) {
  unsigned base = 10;
  if (s.size() > 2 && (s.substr(0, 2) == "0x" || s.substr(0, 2) == "0X")) {
    base = 16;
    s.remove_prefix(2);
  } else if (s.size() > 1 && s[0] == '0') {
    return std::nullopt;
  }
  if (s.empty() || s.size() > 4) return std::nullopt;
  unsigned v = 0;
  for (char ch : s) {
    unsigned digit;
    if (ch >= '0' && ch <= '9') digit = static_cast<unsigned>(ch - '0');
    else if (base == 16 && ch >= 'a' && ch <= 'f') digit = static_cast<unsigned>(ch - 'a' + 10);
    else if (base == 16 && ch >= 'A' && ch <= 'F') digit = static_cast<unsigned>(ch - 'A' + 10);
    else return std::nullopt;
    v = v * base + digit;
  }
  if (v > max) return std::nullopt;
  return v;
}

// "05.0004" exactly as sysfs names the queue.
std::optional<ir::Queue> parseQueue(std::string_view s) {
  unsigned a = 0, d = 0;
  char tail = 0;
  std::string b(s);
  if (s.size() != 7 || std::sscanf(b.c_str(), "%2x.%4x%c", &a, &d, &tail) != 2 || a > 255 || d > 255)
    return std::nullopt;
  return ir::Queue{static_cast<std::uint8_t>(a), static_cast<std::uint8_t>(d)};
}

// "05" or "card05": a card as sysfs names it (hex).
std::optional<unsigned> parseCardName(std::string_view s) {
  if (s.substr(0, 4) == "card") s.remove_prefix(4);
  unsigned a = 0;
  char tail = 0;
  std::string b(s);
  if (s.size() != 2 || std::sscanf(b.c_str(), "%2x%c", &a, &tail) != 1) return std::nullopt;
  return a;
}

bool hasQueue(const HostConfig& c, ir::Queue q) {
  bool card = false;
  for (const auto& cc : c.cards) card = card || cc.id == q.adapter;
  return card && c.usageDomains.test(q.domain) && !c.missingQueues.contains(q.adapter, q.domain);
}

}  // namespace

std::string applyKernelFlag(HostConfig& c, std::string_view value) {
  auto g = parseKernelGen(value);
  if (!g) {
    std::string known;
    for (KernelGen k : allKernelGens()) known += (known.empty() ? "" : ", ") + std::string(kernelGenName(k));
    return "not a kernel generation the model knows (" + known + ")";
  }
  c.kernel = *g;
  return "";
}

std::string applyDefaultDomainFlag(HostConfig& c, std::string_view value) {
  auto d = parseId(value, 255);
  if (!d) return "expected a domain number (decimal or 0x hex, 0..255)";
  c.defaultDomain = *d;
  return "";
}

std::string applyBusyFlag(HostConfig& c, std::string_view value) {
  std::string_view q = value.substr(0, value.find('='));
  unsigned n = 1;
  if (q.size() < value.size()) {
    auto v = parseId(value.substr(q.size() + 1), 9999);
    if (!v || *v == 0) return "expected QUEUE or QUEUE=N with N from 1 to 9999";
    n = *v;
  }
  auto queue = parseQueue(q);
  if (!queue) return "expected a queue as sysfs names it, like 05.0004";
  if (!hasQueue(c, *queue)) return "the host has no queue " + std::string(q);
  QueueHostState& st = c.queueState[*queue];
  st.requestq = n;  // waiting in zcrypt's request queue
  st.requests += n;
  return "";
}

std::string applyCardStateFlag(HostConfig& c, std::string_view value) {
  auto eq = value.find('=');
  if (eq == std::string_view::npos) return "expected CARD=deconfigured, CARD=checkstop or CARD=offline";
  auto id = parseCardName(value.substr(0, eq));
  std::string_view state = value.substr(eq + 1);
  if (!id) return "expected a card as sysfs names it, like 05 or card05";
  for (auto& card : c.cards) {
    if (card.id != *id) continue;
    if (state == "deconfigured") card.configured = false;
    else if (state == "checkstop") card.checkstop = true;
    else if (state == "offline") card.online = false;
    else return "expected CARD=deconfigured, CARD=checkstop or CARD=offline";
    return "";
  }
  return "the host has no card " + std::string(value.substr(0, eq));
}

std::string applyDriverOverrideFlag(HostConfig& c, std::string_view value) {
  auto eq = value.find('=');
  if (eq == std::string_view::npos) return "expected QUEUE=DRIVER, like 05.0004=vfio_ap";
  auto queue = parseQueue(value.substr(0, eq));
  std::string_view drv = value.substr(eq + 1);
  if (!queue) return "expected a queue as sysfs names it, like 05.0004";
  if (drv != "vfio_ap" && drv != "cex4queue") return "expected the driver vfio_ap or cex4queue";
  if (!hasQueue(c, *queue)) return "the host has no queue " + std::string(value.substr(0, eq));
  if (c.interface != ir::Interface::Modern || !hasDriverOverride(c.kernel))
    return "driver_override exists only from kernel 6.19 on (give --kernel 6.19 or leave --kernel out)";
  c.queueState[*queue].driverOverride = std::string(drv);
  return "";
}

}  // namespace apc::kmod
