// Include keys are canonical paths, so "a.ap" and "./x/../a.ap" are one file.
#include "compiler/frontend/loader.h"

#include <filesystem>
#include <map>
#include <set>

#include "compiler/frontend/parse_file.h"
#include "compiler/ir/file_read.h"

namespace apc::compiler {

namespace fs = std::filesystem;

std::optional<std::string> readFile(const std::string& path, std::string& why) {
  ir::ReadError err;
  std::optional<std::string> text = ir::readBoundedFile(path, err);
  if (!text) why = err.why;
  return text;
}

namespace {

constexpr std::size_t kMaxIncludeDepth = 64;

std::string keyOf(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  return ec ? fs::path(path).lexically_normal().string() : p.string();
}

struct ChainLink {
  std::string key;
  std::string display;
  ir::SourceRange includeRange;  // where the parent included it (invalid for the main file)
};

class Loader {
 public:
  Loader(ir::SourceManager& sm, Reporter& rep, bool layout, LoadedPlan& out)
      : sm_(sm), rep_(rep), layout_(layout), out_(out) {}

  void addMain(const std::string& path, std::optional<std::string> text) {
    if (!text) {
      std::string why;
      text = readFile(path, why);
      if (!text) {
        rep_.error(ir::DiagCode::IoError, {}, "cannot read '" + path + "': " + why);
        return;
      }
    }
    out_.readable = true;
    ir::FileId id = sm_.addBuffer(path, std::move(*text));
    out_.mainFile = id;
    chain_.push_back({keyOf(path), path, {}});
    visit(id);
  }

 private:
  void noteChain(ir::Diagnostic& d) {
    for (std::size_t i = chain_.size(); i-- > 1;)
      ir::addNote(d, chain_[i].includeRange, "'" + chain_[i].display + "' is included from here");
  }

  void visit(ir::FileId id) {
    ast::File& f = out_.files.emplace_back(parseFile(id, sm_, rep_, layout_));
    if (!f.syntaxOk) out_.syntaxOk = false;
    seen_.insert(chain_.back().key);
    for (const ast::Item& item : f.items) {
      const auto* inc = std::get_if<ast::IncludeDecl>(&item);
      if (!inc) {
        out_.items.push_back({&item, id});
        continue;
      }
      include(*inc, id);
    }
  }

  void include(const ast::IncludeDecl& inc, ir::FileId from) {
    fs::path base = fs::path(sm_.path(from)).parent_path();
    fs::path p = fs::path(inc.path).is_absolute() ? fs::path(inc.path) : base / inc.path;
    const std::string display = p.lexically_normal().string();
    const std::string key = keyOf(display);
    for (std::size_t i = 0; i < chain_.size(); ++i) {
      if (chain_[i].key != key) continue;
      out_.syntaxOk = false;
      std::string path;
      for (std::size_t j = i; j < chain_.size(); ++j) path += chain_[j].display + " -> ";
      auto& d = rep_.error(ir::DiagCode::IncludeCycle, inc.pathRange,
                           "include cycle: " + path + display);
      noteChain(d);
      return;
    }
    if (seen_.count(key)) return;  // already included elsewhere: once is enough
    if (chain_.size() >= kMaxIncludeDepth) {
      out_.syntaxOk = false;
      rep_.error(ir::DiagCode::NestingTooDeep, inc.pathRange,
                 "includes nest deeper than " + std::to_string(kMaxIncludeDepth) + " files");
      return;
    }
    std::string why;
    std::optional<std::string> text = readFile(display, why);
    if (!text) {
      out_.syntaxOk = false;
      const bool missing = why == "no such file";
      auto& d = rep_.error(missing ? ir::DiagCode::IncludeMissing : ir::DiagCode::IoError, inc.pathRange,
                           "cannot include '" + inc.path + "' (" + display + "): " + why);
      noteChain(d);
      return;
    }
    ir::FileId id = sm_.addBuffer(display, std::move(*text));
    chain_.push_back({key, display, inc.pathRange});
    visit(id);
    chain_.pop_back();
  }

  ir::SourceManager& sm_;
  Reporter& rep_;
  bool layout_;
  LoadedPlan& out_;
  std::vector<ChainLink> chain_;
  std::set<std::string> seen_;
};

}  // namespace

LoadedPlan loadFiles(const std::string& path, std::optional<std::string> text, ir::SourceManager& sm,
                     Reporter& rep, bool wantLayout) {
  LoadedPlan out;
  Loader(sm, rep, wantLayout, out).addMain(path, std::move(text));
  return out;
}

}  // namespace apc::compiler
