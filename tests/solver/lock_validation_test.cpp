// A lock file is an input (issue 13): every malformed one is a parse error
// with a reason, never a crash later, and nothing is narrowed or wrapped.
#include <gtest/gtest.h>

#include <string>

#include "solver/lock.h"

namespace apc::solver {
namespace {

const std::string kU1 = "4023f29f-2362-5061-8775-177c27bf60e8";
const std::string kU2 = "5a1b2c3d-2362-5061-8775-177c27bf60e8";

std::string guest(const std::string& name, const std::string& uuid) {
  return "\"" + name + "\": {\"adapters\": [1], \"domains\": [2], \"control_domains\": [2], \"uuid\": \"" + uuid +
         "\"}";
}

std::string lockText(const std::string& guests, const std::string& format = "1") {
  return "{\"format\": " + format + ", \"input_hash\": \"ab\", \"guests\": {" + guests + "}}";
}

std::string errorOf(const std::string& text) {
  std::string err;
  std::optional<Lock> l = parseLock(text, err);
  EXPECT_FALSE(l) << text;
  EXPECT_FALSE(err.empty()) << text;
  return err;
}

TEST(LockValidation, GoodLockParses) {
  std::string err;
  auto l = parseLock(lockText(guest("web-1.a", kU1) + "," + guest("db", kU2)), err);
  ASSERT_TRUE(l) << err;
  EXPECT_EQ(l->guests.size(), 2u);
}

TEST(LockValidation, FormatIsNeverNarrowed) {
  EXPECT_NE(errorOf(lockText(guest("a", kU1), "4294967297")).find("4294967297"), std::string::npos);
  errorOf(lockText(guest("a", kU1), "-1"));
  errorOf(lockText(guest("a", kU1), "1.0"));
  errorOf(lockText(guest("a", kU1), "18446744073709551617"));
}

TEST(LockValidation, BadUuids) {
  EXPECT_NE(errorOf(lockText(guest("a", "not-a-uuid"))).find("not a lower-case UUID"), std::string::npos);
  errorOf(lockText(guest("a", "4023F29F-2362-5061-8775-177C27BF60E8")));
  errorOf(lockText(guest("a", "../../../../etc/passwd-2362-5061-87")));
  errorOf(lockText(guest("a", kU1 + "\n")));
  errorOf(lockText(guest("a", "4023f29f-2362-5061-8775-177c27bf60e8; rm -rf /")));
  EXPECT_NE(errorOf(lockText(guest("a", kU1) + "," + guest("b", kU1))).find("two guests"), std::string::npos);
}

TEST(LockValidation, DuplicateKeys) {
  EXPECT_NE(errorOf(lockText(guest("a", kU1) + "," + guest("a", kU2))).find("twice"), std::string::npos);
  errorOf("{\"format\": 1, \"format\": 1, \"input_hash\": \"ab\", \"guests\": {}}");
  errorOf(lockText("\"a\": {\"adapters\": [1], \"adapters\": [3], \"domains\": [2], \"control_domains\": [2], "
                   "\"uuid\": \"" + kU1 + "\"}"));
}

TEST(LockValidation, GuestNamesAreIdentifiers) {
  errorOf(lockText(guest("", kU1)));
  errorOf(lockText(guest("a b", kU1)));
  errorOf(lockText(guest("a\\nb", kU1)));
  errorOf(lockText(guest("../x", kU1)));
  errorOf(lockText(guest("$(reboot)", kU1)));
  errorOf(lockText(guest("1abc", kU1)));
}

TEST(LockValidation, IdsInRange) {
  errorOf(lockText("\"a\": {\"adapters\": [256], \"domains\": [2], \"control_domains\": [2], \"uuid\": \"" + kU1 +
                   "\"}"));
  errorOf(lockText("\"a\": {\"adapters\": [-1], \"domains\": [2], \"control_domains\": [2], \"uuid\": \"" + kU1 +
                   "\"}"));
  errorOf(lockText("\"a\": {\"adapters\": [4294967297], \"domains\": [2], \"control_domains\": [2], \"uuid\": \"" +
                   kU1 + "\"}"));
}

}  // namespace
}  // namespace apc::solver
