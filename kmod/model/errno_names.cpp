// Errno spellings for fault specs, logs and the JSON state: only the errnos a
// sysfs write on the AP bus or vfio_ap can return, plus the usual injectables.
#include <cerrno>
#include <charconv>
#include <string>

#include "kmod/model/kernel_model.h"

namespace apc::kmod {
namespace {

struct ErrnoEntry {
  int value;
  const char* name;
};

constexpr ErrnoEntry kErrnos[] = {
    {EPERM, "EPERM"},         {ENOENT, "ENOENT"},     {EIO, "EIO"},
    {ENXIO, "ENXIO"},         {EAGAIN, "EAGAIN"},     {ENOMEM, "ENOMEM"},
    {EACCES, "EACCES"},       {EBUSY, "EBUSY"},       {EEXIST, "EEXIST"},
    {ENODEV, "ENODEV"},       {ENOTDIR, "ENOTDIR"},   {EISDIR, "EISDIR"},
    {EINVAL, "EINVAL"},       {ENOSPC, "ENOSPC"},     {ERANGE, "ERANGE"},
    {EUSERS, "EUSERS"},       {EADDRINUSE, "EADDRINUSE"},
    {EADDRNOTAVAIL, "EADDRNOTAVAIL"},                 {ETIMEDOUT, "ETIMEDOUT"},
    {EINTR, "EINTR"},         {ENOSYS, "ENOSYS"},     {ELOOP, "ELOOP"},
};

}  // namespace

std::string errnoName(int err) {
  if (err == 0) return "0";
  for (const auto& e : kErrnos)
    if (e.value == err) return e.name;
  return std::to_string(err);
}

std::optional<int> parseErrno(std::string_view s) {
  for (const auto& e : kErrnos)
    if (s == e.name) return e.value;
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || v <= 0 || v > 4095) return std::nullopt;
  return v;
}

}  // namespace apc::kmod
