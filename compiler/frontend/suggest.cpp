// Two-row Levenshtein: O(|a|*|b|) time, O(|b|) memory; words here are short.
#include "compiler/frontend/suggest.h"

#include <algorithm>

namespace apc::compiler {

std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::optional<std::string> closestMatch(std::string_view word, const std::vector<std::string_view>& cands) {
  if (word.size() > 64) return std::nullopt;
  const std::size_t limit = word.size() <= 3 ? 1 : 2;
  std::optional<std::string> best;
  std::size_t bestDist = limit + 1;
  for (std::string_view c : cands) {
    // The distance is at least the difference in length: a candidate that
    // cannot beat the best so far is skipped (the same answer, found without
    // the O(|a|*|b|) table; garbage input asks this for every bad word).
    const std::size_t gap = word.size() > c.size() ? word.size() - c.size() : c.size() - word.size();
    if (gap >= bestDist) continue;
    std::size_t d = editDistance(word, c);
    if (d < bestDist) {
      bestDist = d;
      best = std::string(c);
    }
  }
  return best;
}

std::string didYouMean(std::string_view word, const std::vector<std::string_view>& cands) {
  auto m = closestMatch(word, cands);
  return m ? " (did you mean '" + *m + "'?)" : std::string();
}

}  // namespace apc::compiler
