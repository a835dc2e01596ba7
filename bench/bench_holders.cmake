# teardown.sh's holder check on a busy host (included from bench/CMakeLists.txt):
# 1,000 processes x 100 open files, 100 mdevs (issue 9: under 1 s).
apc_add_bench(bench_holders
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/holder_bench.cpp
  LIBS apc_backends)
