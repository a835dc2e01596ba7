# Solver benches and the shared plan generator (included from bench/CMakeLists.txt).
# apc_plan_generator is a normal (built by default) library so tests and other
# areas' benches can link it.
add_library(apc_plan_generator STATIC ${CMAKE_CURRENT_LIST_DIR}/plan_generator.cpp)
apc_target_defaults(apc_plan_generator)
target_link_libraries(apc_plan_generator PUBLIC apc_ir)

apc_add_bench(bench_solver
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/solver_bench.cpp ${CMAKE_CURRENT_LIST_DIR}/solver_pairwise.cpp
  LIBS apc_solver apc_checker apc_plan_generator PkgConfig::Z3)
