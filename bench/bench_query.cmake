# Query benches (included from bench/CMakeLists.txt): fit with the existing
# guests fixed on the medium and large presets, fit with moves, and the
# single-adapter resilience table on the large preset (64 adapters).
apc_add_bench(bench_query
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/query_bench.cpp
  LIBS apc_query apc_solver apc_plan_generator)
# `apc diff --live` on the huge preset's host, in the kernel model (issue 9: < 1 s).
if(TARGET apc_diff_run)
  apc_add_bench(bench_diff_live
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/diff_live_bench.cpp
    LIBS apc_diff_run apc_kmod_model apc_plan_generator)
endif()
