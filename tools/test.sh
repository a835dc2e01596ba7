#!/usr/bin/env bash
# The whole test suite: set up (install what is missing, build), then every
# GoogleTest through CTest. .ci/run calls this.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --no-example
cd build
ctest --output-on-failure -j"$(nproc)" --timeout 300

# ---- Sanitizer unit tests and fuzz regression runs (tools/fuzz_ci.sh).
# Opt-in (APC_FUZZ_CI=1): its clang 14 + ASan/UBSan build of the front end,
# the readers and the fuzz targets takes longer on 2 cores than the rest of
# CI together, which would break CI's 20-minute budget. Needs clang-14 and
# libclang-rt-14-dev; fuzz/README.md describes it and the long campaigns.
cd ..
if [ "${APC_FUZZ_CI:-0}" = 1 ]; then
  tools/fuzz_ci.sh
fi
