#!/usr/bin/env bash
# Issue 13: the CI part of hardening, run by tools/test.sh after the suite.
#  1. A clang 14 build with libFuzzer + ASan + UBSan (-DAPC_FUZZ=ON) into
#     build-fuzz/.
#  2. The unit tests of the input readers under those sanitizers: ir (printer,
#     bounded reader, escaping), the front end and the lock reader. This is a
#     subset, not the whole suite: a sanitizer build of every test (solver,
#     backends, FUSE sim) does not fit in CI's 20 minutes on 2 cores.
#  3. Each fuzz target over its seed corpus plus a fixed number of new
#     inputs with a fixed seed, as a regression test (fuzz/README.md has the
#     long campaign).
# Usage: tools/fuzz_ci.sh   (APC_FUZZ_RUNS scales the input counts, default 1)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v clang++-14 >/dev/null || ! ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1; then
  echo "fuzz_ci: clang-14 and libclang-rt-14-dev are needed (apt-get install clang-14 libclang-rt-14-dev)" >&2
  exit 1
fi
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache); fi
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -DAPC_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo "${launcher[@]}" >/dev/null

sanitized_tests=(ir_test ir_hardening_test frontend_lexer_test frontend_golden_test frontend_badbytes_test
                 frontend_fmt_test frontend_lowering_test solver_lock_test lock_validation_test)
cmake --build build-fuzz -j"$(nproc)" --target fuzz_all "${sanitized_tests[@]}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in "${sanitized_tests[@]}"; do
  bin=$(find build-fuzz/tests -type f -name "$t" | head -1)
  echo "fuzz_ci: $t under ASan+UBSan"
  (cd build-fuzz && APC_BIN="$PWD/apc" "../$bin" --gtest_brief=1 >/dev/null)
done

scale=${APC_FUZZ_RUNS:-1}
run() {  # target corpus-folder runs [libFuzzer flags]
  local target=$1 seeds=$2 runs=$(( $3 * scale )); shift 3
  local work; work=$(mktemp -d)
  echo "fuzz_ci: $target, seeds + $runs inputs"
  build-fuzz/fuzz/"$target" -seed=1 -runs="$runs" -timeout=20 -print_final_stats=1 "$@" \
    "$work" "build-fuzz/fuzz/corpus/$seeds" 2>"$work.log" || { tail -50 "$work.log"; rm -rf "$work" "$work.log"; exit 1; }
  grep -E "stat::(number_of_executed_units|average_exec_per_sec)" "$work.log" | tr '\n' ' '; echo
  rm -rf "$work" "$work.log"
}
run fuzz_parse plans 20000 -dict=fuzz/plan.dict -max_len=4096
run fuzz_frontend plans 3000 -dict=fuzz/plan.dict -max_len=4096
run fuzz_roundtrip plans 2000 -dict=fuzz/plan.dict -max_len=4096
run fuzz_lock locks 20000 -max_len=4096
run fuzz_discover discover 1000 -max_len=1024
echo "fuzz_ci: all fuzz regression runs passed"
