# kmod benches (included from bench/CMakeLists.txt): the kernel model applying
# the huge plan's script operations directly, and the same through the FUSE mount.
if(TARGET apc_plan_generator)
  apc_add_bench(bench_kmod
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/kmod_bench.cpp
    LIBS apc_kmod_sim apc_plan_generator)
  target_compile_definitions(bench_kmod PRIVATE APC_HAVE_PLAN_GENERATOR=1)
else()
  apc_add_bench(bench_kmod
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/kmod_bench.cpp
    LIBS apc_kmod_sim)
endif()
