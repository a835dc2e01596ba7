#!/usr/bin/env bash
# Issue 13: the CI part of hardening, run by tools/test.sh after the suite.
#  1. A clang 14 build with libFuzzer + ASan + UBSan (-DAPC_FUZZ=ON) into
#     build-fuzz/, at -O1 with line tables only: CI has no ccache, and -O1
#     compiles the sanitized objects in about two thirds of -O2's time while
#     ASan still reports file:line.
#  2. The unit tests of the input readers under those sanitizers: ir (printer,
#     bounded reader, escaping), the front end and the lock reader. This is a
#     subset, not the whole suite: a sanitizer build of every test (solver,
#     backends, FUSE sim) does not fit in CI's 20 minutes on 2 cores.
#  3. Each fuzz target over its seed corpus (which holds the minimised
#     reproducers in fuzz/regressions/) plus a fixed number of new inputs with
#     a fixed seed, as a regression test; two targets at a time, one per core
#     (fuzz/README.md has the long campaign).
# Only the targets these need are built, never the whole tree.
# Usage: tools/fuzz_ci.sh   (APC_FUZZ_RUNS scales the input counts, default 1)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v clang++-14 >/dev/null || ! ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1; then
  echo "fuzz_ci: clang-14 and libclang-rt-14-dev are needed (tools/setup.sh installs them)" >&2
  exit 1
fi
start=$SECONDS
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache); fi
# PRE_TEST: gtest_discover_tests lists the tests when ctest runs, not after
# each link, so building runs no sanitized binary.
CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -DAPC_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only -DNDEBUG" \
  -DCMAKE_GTEST_DISCOVER_TESTS_DISCOVERY_MODE=PRE_TEST "${launcher[@]}" >/dev/null

sanitized_tests=(ir_test ir_hardening_test frontend_lexer_test frontend_golden_test frontend_badbytes_test
                 frontend_fmt_test frontend_lowering_test solver_lock_test lock_validation_test)
cmake --build build-fuzz -j"$(nproc)" --target fuzz_all "${sanitized_tests[@]}"
echo "fuzz_ci: built in $((SECONDS - start)) s"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in "${sanitized_tests[@]}"; do
  bin=$(find build-fuzz/tests -type f -name "$t" | head -1)
  echo "fuzz_ci: $t under ASan+UBSan"
  (cd build-fuzz && APC_BIN="$PWD/apc" "../$bin" --gtest_brief=1 >/dev/null)
done

scale=${APC_FUZZ_RUNS:-1}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
run() {  # target corpus-folder runs [libFuzzer flags]; prints its stats, returns its status
  local target=$1 seeds=$2 runs=$(( $3 * scale )); shift 3
  local work="$logs/$target"; mkdir -p "$work/corpus"
  if ! build-fuzz/fuzz/"$target" -seed=1 -runs="$runs" -timeout=20 -print_final_stats=1 \
       -artifact_prefix="$work/" "$@" "$work/corpus" "build-fuzz/fuzz/corpus/$seeds" 2>"$work/log"; then
    echo "fuzz_ci: $target FAILED"; tail -60 "$work/log"; return 1
  fi
  echo "fuzz_ci: $target, seeds + $runs inputs:" \
    "$(grep -E "stat::(number_of_executed_units|average_exec_per_sec)" "$work/log" | tr -s ' \n' ' ')"
}
# Two at a time (CI has 2 cores); each pair is waited for and its status kept.
status=0
run fuzz_parse plans 10000 -dict=fuzz/plan.dict -max_len=4096 & a=$!
run fuzz_frontend plans 1500 -dict=fuzz/plan.dict -max_len=4096 & b=$!
wait $a || status=1; wait $b || status=1
run fuzz_roundtrip plans 1000 -dict=fuzz/plan.dict -max_len=4096 & a=$!
run fuzz_lock locks 10000 -max_len=4096 & b=$!
wait $a || status=1; wait $b || status=1
run fuzz_discover discover 500 -max_len=1024 || status=1
if [ "$status" -ne 0 ]; then echo "fuzz_ci: a fuzz regression run failed" >&2; exit 1; fi
echo "fuzz_ci: all fuzz regression runs passed ($((SECONDS - start)) s in all)"
