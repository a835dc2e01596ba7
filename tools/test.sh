#!/usr/bin/env bash
# The whole test suite: set up (install what is missing, build), then every
# GoogleTest through CTest. .ci/run calls this.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh --no-example
cd build
ctest --output-on-failure -j"$(nproc)" --timeout 300
