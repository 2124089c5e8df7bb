# Fuzz targets (tests/fuzz/fuzz_<name>.c, docs/fuzzing.md). Always built:
# with -DPS_FUZZ=ON they link libFuzzer (scripts/fuzz.sh runs them);
# otherwise they link replay_main.c. Either way CTest runs each over its
# seed corpus testdata/fuzz/<name>/ (the crashers found are kept there) as
# fuzz_replay_<name>, in the plain and the sanitizer builds.
file(GLOB PS_FUZZ_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_*.c)
add_library(ps_fuzz_common STATIC ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/common.c)
target_include_directories(ps_fuzz_common PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/fuzz
                           ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(ps_fuzz_common PUBLIC prescreen_lib)
if(NOT PS_FUZZ)
  add_library(ps_fuzz_replay STATIC ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/replay_main.c)
  target_link_libraries(ps_fuzz_replay PUBLIC ps_fuzz_common)
endif()
foreach(src ${PS_FUZZ_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  string(REGEX REPLACE "^fuzz_" "" target ${name})
  add_executable(${name} ${src})
  target_link_libraries(${name} PRIVATE ps_fuzz_common)
  set(corpus ${CMAKE_SOURCE_DIR}/testdata/fuzz/${target})
  if(PS_FUZZ)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    add_test(NAME fuzz_replay_${target} COMMAND ${name} -runs=0 ${corpus})
  else()
    # replay_main's main() must come from the archive: link it whole.
    target_link_libraries(${name} PRIVATE ps_fuzz_replay)
    add_test(NAME fuzz_replay_${target} COMMAND ${name} ${corpus})
  endif()
  set_tests_properties(fuzz_replay_${target} PROPERTIES
    TIMEOUT 300
    ENVIRONMENT "PS_SOURCE_DIR=${CMAKE_SOURCE_DIR};LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan.supp")
endforeach()
# The seed generator (not run by the tests; its output is checked in).
add_executable(ps_make_fuzz_seeds EXCLUDE_FROM_ALL ${CMAKE_CURRENT_SOURCE_DIR}/tools/make_fuzz_seeds.c)
target_link_libraries(ps_make_fuzz_seeds PRIVATE ps_testutil)
