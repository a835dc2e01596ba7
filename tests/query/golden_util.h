// Golden files: compare, or rewrite when APC_UPDATE_GOLDEN=1.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace apc::testing {

inline std::string readAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `rel` is relative to tests/query/golden/.
inline void expectGolden(const std::string& rel, const std::string& actual) {
  std::filesystem::path p = std::filesystem::path(APC_SOURCE_DIR) / "tests/query/golden" / rel;
  const char* update = std::getenv("APC_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(p)) << p << " missing: run with APC_UPDATE_GOLDEN=1";
  EXPECT_EQ(readAll(p), actual) << "golden " << rel << " differs (APC_UPDATE_GOLDEN=1 rewrites it)";
}

}  // namespace apc::testing
