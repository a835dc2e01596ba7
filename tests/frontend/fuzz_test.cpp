// Deterministic token soup: random mixes of the language's own words and
// symbols exercise error recovery on repaired parse trees (missing children,
// conjured tokens). Nothing may throw or crash; whatever formats must be
// idempotent; every error must have a place in the file.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "tests/frontend/test_util.h"

namespace apc::compiler::testing {
namespace {

const std::vector<std::string> kPieces = {
    "host", "guest", "template", "apart", "include", "policy", "interface", "modern", "crycb", "format",
    "adapter", "adapters", "domains", "control", "reserve", "offline", "any", "in", "mode", "cca", "type",
    "CEX7C", "CEX3A", "uuid", "start", "auto", "tags", "min", "max", "for", "tag", "guests", "per",
    "headroom", "deny", "allow", "foreign", "web", "g1", "{", "}", "[", "]", ";", ";", ";", ",", ":",
    "..", "%", "-", "0x05", "5", "05", "255", "256", "05.0004", "*.0001", "ab.*", "\"x\"", "\"a.ap\"",
    "6c4a3f0e-1d2b-4c3a-9e8f-0123456789ab", "# c\n", "/* c */", "@", "\n", "5a", "\"open"};

TEST(Fuzz, TokenSoupNeverCrashes) {
  std::mt19937 rng(1234);
  // APC_FUZZ_ROUNDS raises the count for a longer local soak; CI keeps it fast.
  const char* env = std::getenv("APC_FUZZ_ROUNDS");
  const int rounds = env ? std::atoi(env) : 400;
  for (int round = 0; round < rounds; ++round) {
    std::string text;
    const int n = 1 + static_cast<int>(rng() % 60);
    if (round % 3 == 0) text = kHost;  // half the time, a good host first
    for (int i = 0; i < n; ++i) text += kPieces[rng() % kPieces.size()] + " ";
    SCOPED_TRACE(text);
    std::unique_ptr<Checked> c;
    ASSERT_NO_THROW(c = check(text));
    for (const auto& d : c->diags.all())
      if (d.code != ir::DiagCode::IncludeMissing && d.code != ir::DiagCode::IoError) {
        EXPECT_TRUE(d.range.valid()) << d.message;
        EXPECT_FALSE(d.message.empty());
      }
    ir::SourceManager sm;
    ir::DiagEngine diags;
    std::optional<std::string> once;
    ASSERT_NO_THROW(once = formatText("plan.ap", text, sm, diags));
    if (once) {
      ir::SourceManager sm2;
      ir::DiagEngine diags2;
      auto twice = formatText("plan.ap", *once, sm2, diags2);
      ASSERT_TRUE(twice) << ir::renderTextAll(diags2.all(), sm2) << "\nformatted:\n" << *once;
      EXPECT_EQ(*once, *twice);
    }
  }
}

}  // namespace
}  // namespace apc::compiler::testing
