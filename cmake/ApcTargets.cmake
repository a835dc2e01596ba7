# One place that sets warnings and flags on every target of ours.
# Generated ANTLR code and system headers come in as SYSTEM includes, so only
# our own code is held to -Wall -Wextra.
function(apc_target_defaults target)
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                         -Wnon-virtual-dtor -Wno-missing-field-initializers)
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
endfunction()

# A GoogleTest executable registered with CTest.
function(apc_add_gtest name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  apc_target_defaults(${name})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    APC_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    APC_BINARY_DIR="${PROJECT_BINARY_DIR}"
    APC_SPEC_DIR="${PROJECT_SOURCE_DIR}/tests/spec")
  # The copies in tests/spec are what the tests read (a user's clone has no
  # ../shared); where the spec folder is beside the clone, a test compares them.
  if(EXISTS "${PROJECT_SOURCE_DIR}/../shared/spec/examples")
    target_compile_definitions(${name} PRIVATE APC_SHARED_SPEC_DIR="${PROJECT_SOURCE_DIR}/../shared/spec")
  endif()
  include(GoogleTest)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
                       PROPERTIES ENVIRONMENT "APC_BIN=${PROJECT_BINARY_DIR}/apc")
endfunction()
