# Plans with known answers (edge colourings of K_m, rings, apart cycles,
# Mycielski graphs) for the solver's families test and bench (issue 10).
add_library(apc_family_plans STATIC ${CMAKE_CURRENT_LIST_DIR}/family_plans.cpp)
apc_target_defaults(apc_family_plans)
target_link_libraries(apc_family_plans PUBLIC apc_ir)

apc_add_bench(bench_solver_families
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/solver_families.cpp ${CMAKE_CURRENT_LIST_DIR}/solver_pairwise.cpp
  LIBS apc_solver apc_checker apc_family_plans PkgConfig::Z3)

# The solver's worst cases and what each phase's budget costs in CPU time
# (solver/budget.h; issue 10's 10 s bound).
apc_add_bench(bench_solver_worst
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/solver_worst.cpp
  LIBS apc_solver apc_checker apc_family_plans)
