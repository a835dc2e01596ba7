# Backend benches (included from bench/CMakeLists.txt): emitting every artifact
# of the huge generated plan (1000 guests) must take under 200 ms.
apc_add_bench(bench_backends
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/backends_emit.cpp
  LIBS apc_backends apc_plan_generator)
