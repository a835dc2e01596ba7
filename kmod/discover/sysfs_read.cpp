// See sysfs_read.h.
#include "kmod/discover/sysfs_read.h"

#include <cctype>
#include <filesystem>
#include <memory>

#include "compiler/ir/file_read.h"
#include "kmod/discover/sysfs_view.h"

namespace apc::kmod {

// Attributes go through the bounded reader: a FIFO or /dev/zero planted in a
// --sysfs tree must not hang discover, nor a huge file eat memory.
std::optional<std::string> readSysfsFile(const std::filesystem::path& p) {
  ir::ReadError err;
  return ir::readBoundedFile(p.string(), err, ir::kMaxAttributeBytes);
}

std::string trimLine(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

bool isCanonicalUuidText(const std::string& s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < 36; ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (s[i] == '-')) return false;
    if (!dash && !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

}  // namespace apc::kmod

namespace apc::kmod {
namespace {

namespace fs = std::filesystem;

class FileSysfs final : public SysfsView {
 public:
  explicit FileSysfs(std::string root) : root_(std::move(root)) {}
  std::optional<std::string> read(const std::string& path) const override { return readSysfsFile(at(path)); }
  std::vector<std::string> list(const std::string& path) const override {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(at(path), ec)) out.push_back(e.path().filename().string());
    return out;
  }
  bool isDirectory(const std::string& path) const override {
    std::error_code ec;
    return fs::is_directory(at(path), ec);
  }
  std::optional<std::string> linkTarget(const std::string& path) const override {
    std::error_code ec;
    fs::path t = fs::read_symlink(at(path), ec);
    if (ec) return std::nullopt;
    return t.string();
  }
  std::string describe(const std::string& path) const override { return at(path).string(); }

 private:
  fs::path at(const std::string& path) const { return path.empty() ? fs::path(root_) : fs::path(root_) / path; }
  std::string root_;
};

}  // namespace

std::unique_ptr<SysfsView> fileSysfs(std::string root) { return std::make_unique<FileSysfs>(std::move(root)); }

}  // namespace apc::kmod
