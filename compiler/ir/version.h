// The one place the version lives; plan.json and `apc --version` print it.
#pragma once

namespace apc {
inline constexpr const char* kVersion = "0.1.0";
}
