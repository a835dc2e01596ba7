# Front-end benches (included from bench/CMakeLists.txt): parse + check of
# generated plan text. Build: cmake --build build --target bench_frontend
apc_add_bench(bench_frontend
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/frontend_parse_bench.cpp ${CMAKE_CURRENT_LIST_DIR}/frontend_plan_text.cpp
  LIBS apc_frontend)
