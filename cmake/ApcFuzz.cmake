# -DAPC_FUZZ=ON: a clang build with libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer on every target, plus the targets in fuzz/.
#
# Debian's ANTLR 4.9 runtime headers do not compile with clang:
# misc/InterpreterDataReader.h default-constructs a dfa::Vocabulary whose
# default constructor is implicitly deleted (const members). The system files
# are never edited: the header folder is copied into the build tree at
# configure time, that one header fixed in the copy, and the copy used as
# ANTLR4_INCLUDE_DIR. It must be a whole copy, because antlr4-runtime.h
# includes "misc/InterpreterDataReader.h" relative to its own folder.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "APC_FUZZ needs clang (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++-14")
endif()

set(APC_ANTLR_SHIM ${PROJECT_BINARY_DIR}/antlr4-shim/antlr4-runtime)
file(REMOVE_RECURSE ${APC_ANTLR_SHIM})
file(COPY ${ANTLR4_INCLUDE_DIR}/ DESTINATION ${APC_ANTLR_SHIM})
set(apc_idr ${APC_ANTLR_SHIM}/misc/InterpreterDataReader.h)
if(EXISTS ${apc_idr})
  file(READ ${apc_idr} apc_idr_text)
  set(apc_idr_bad "InterpreterData() {};")
  string(FIND "${apc_idr_text}" "${apc_idr_bad}" apc_idr_at)
  if(NOT apc_idr_at EQUAL -1)
    # The fixed constructor gives the Vocabulary its (empty) names explicitly.
    string(REPLACE "${apc_idr_bad}" "InterpreterData() : vocabulary({}, {}) {}" apc_idr_text "${apc_idr_text}")
    file(WRITE ${apc_idr} "${apc_idr_text}")
    message(STATUS "apc fuzz: ANTLR header shim in ${APC_ANTLR_SHIM} (InterpreterDataReader.h fixed)")
  endif()
endif()
set(ANTLR4_INCLUDE_DIR ${APC_ANTLR_SHIM})

# APC_FUZZ_SANITIZE=OFF gives a coverage-only build for long campaigns: the
# sanitizers cost most of each input's time, and a crash found there is
# replayed in the sanitized build (the CI one) to see what it is.
option(APC_FUZZ_SANITIZE "ASan+UBSan in the fuzz build (OFF: coverage only, for long campaigns)" ON)
if(APC_FUZZ_SANITIZE)
  set(APC_SANITIZE -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
else()
  set(APC_SANITIZE)
endif()
add_compile_options(-fsanitize=fuzzer-no-link ${APC_SANITIZE})
add_link_options(${APC_SANITIZE})
