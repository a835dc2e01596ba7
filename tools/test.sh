#!/usr/bin/env bash
# The whole test suite: set up (install what is missing, build), then every
# GoogleTest through CTest. .ci/run calls this.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --no-example
cd build
ctest --output-on-failure -j"$(nproc)" --timeout 300

# ---- Sanitizer unit tests and fuzz regression runs (tools/fuzz_ci.sh), on
# every run: a clang 14 + ASan/UBSan build of only the fuzz targets and the
# readers' tests, then each target on a fixed number of inputs. tools/setup.sh
# installs clang-14 and libclang-rt-14-dev; fuzz/README.md describes the
# long campaigns. APC_FUZZ_CI=0 skips it on a developer's machine.
cd ..
if [ "${APC_FUZZ_CI:-1}" != 0 ]; then
  tools/fuzz_ci.sh
fi
