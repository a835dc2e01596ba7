// "Did you mean": the closest candidate by edit distance (Levenshtein).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace apc::compiler {

std::size_t editDistance(std::string_view a, std::string_view b);

// The candidate nearest to `word` if it is near enough to be a typo (at most 1
// edit for words of up to 3 letters, else at most 2); ties go to the earlier candidate.
std::optional<std::string> closestMatch(std::string_view word, const std::vector<std::string_view>& candidates);

// " (did you mean 'x'?)" or "".
std::string didYouMean(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace apc::compiler
