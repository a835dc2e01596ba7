// Reads and writes of the `.apc-sim/` control files (see control_files.h).
#include "kmod/sim/control_files.h"

#include <cerrno>
#include <charconv>
#include <csignal>

#include "kmod/sim/sim_server.h"

namespace apc::kmod {
namespace {

std::string escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\\') out += "\\\\";
    else if (c == '\0') out += "\\0";
    else out += c;
  }
  return out;
}

std::vector<std::string_view> lines(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    auto nl = s.find('\n');
    std::string_view l = s.substr(0, nl);
    if (!l.empty()) out.push_back(l);
    if (nl == std::string_view::npos) break;
    s.remove_prefix(nl + 1);
  }
  return out;
}

struct SignalEntry {
  int value;
  const char* name;
};
constexpr SignalEntry kSignals[] = {{SIGKILL, "KILL"}, {SIGTERM, "TERM"}, {SIGINT, "INT"}, {SIGHUP, "HUP"}};

std::optional<int> parseSignal(std::string_view s) {
  if (s.starts_with("SIG")) s.remove_prefix(3);
  for (const auto& e : kSignals)
    if (s == e.name) return e.value;
  return std::nullopt;
}

}  // namespace

std::string formatFaultSpec(const FaultSpec& f) {
  std::string what = errnoName(f.err);
  for (const auto& e : kSignals)
    if (f.signal == e.value) what = e.name;
  return std::to_string(f.nth) + " " + f.path + " " + what;
}

std::optional<FaultSpec> parseFaultSpec(std::string_view line) {
  std::vector<std::string_view> words;
  while (!line.empty()) {
    auto sp = line.find_first_of(" \t");
    if (sp != 0) words.push_back(line.substr(0, sp));
    if (sp == std::string_view::npos) break;
    line.remove_prefix(sp + 1);
  }
  if (words.size() != 3) return std::nullopt;
  FaultSpec f;
  auto [ptr, ec] = std::from_chars(words[0].data(), words[0].data() + words[0].size(), f.nth);
  if (ec != std::errc() || ptr != words[0].data() + words[0].size() || f.nth == 0) return std::nullopt;
  f.path = std::string(words[1]);
  while (!f.path.empty() && f.path.front() == '/') f.path.erase(0, 1);
  if (f.path.empty()) return std::nullopt;
  if (auto sig = parseSignal(words[2])) {
    f.signal = *sig;
    f.err = EINTR;
    return f;
  }
  auto e = parseErrno(words[2]);
  if (!e) return std::nullopt;
  f.err = *e;
  return f;
}

std::optional<ControlFile> controlFile(std::string_view name) {
  if (name == "faults" || name == "hold") return ControlFile{true, true};
  if (name == "release" || name == "reset") return ControlFile{false, true};
  if (name == "events" || name == "writes" || name == "state" || name == "config")
    return ControlFile{true, false};
  return std::nullopt;
}

std::vector<std::string> controlFileNames() {
  return {"config", "events", "faults", "hold", "release", "reset", "state", "writes"};
}

ReadResult readControl(const KernelModel& model, std::string_view name) {
  std::string out;
  if (name == "faults") {
    for (const auto& f : model.pendingFaults())
      out += formatFaultSpec(f) + "\n";
  } else if (name == "hold") {
    for (const auto& u : model.heldUuids()) out += u + "\n";
  } else if (name == "events") {
    for (const auto& e : model.destructiveEvents()) out += e.uuid + " " + e.path + " " + e.what + "\n";
  } else if (name == "writes") {
    for (const auto& w : model.writeLog())
      out += w.path + "\t" + escape(w.data) + "\t" + errnoName(w.err) + (w.injected ? "\tinjected" : "") + "\n";
  } else if (name == "state") {
    out = model.stateJson() + "\n";
  } else if (name == "config") {
    out = model.configJson() + "\n";
  } else {
    return {EACCES, {}};
  }
  return {0, out};
}

int writeControl(KernelModel& model, std::string_view name, std::string_view data) {
  if (name == "faults") {
    std::vector<FaultSpec> specs;
    for (auto l : lines(data)) {
      auto f = parseFaultSpec(l);
      if (!f) return EINVAL;
      specs.push_back(*f);
    }
    for (auto& f : specs) model.addFault(std::move(f));
    return 0;
  }
  if (name == "reset") {
    model.reset();
    return 0;
  }
  if (name == "hold" || name == "release") {
    auto ls = lines(data);
    if (ls.empty()) return EINVAL;
    for (auto l : ls) {
      if (l.size() != 36) return EINVAL;
      model.hold(l, name == "hold");
    }
    return 0;
  }
  return EACCES;
}

}  // namespace apc::kmod
