# Crafted hostile uploads (testdata/hostile/, made by tests/tools/make_hostile.c):
# `prescreen check` runs on each file as a subprocess and must give the
# manifest's code, never crash, and stay under a wall-clock and a peak-RSS
# cap. ASan inflates both (shadow memory, slower code), so the sanitizer
# build relaxes the caps; the plain build holds the product's promise:
# 10 s and 1 GiB per file.
add_executable(ps_make_hostile EXCLUDE_FROM_ALL ${CMAKE_CURRENT_SOURCE_DIR}/tools/make_hostile.c)
target_link_libraries(ps_make_hostile PRIVATE ps_testutil)
add_executable(hostile_files ${CMAKE_CURRENT_SOURCE_DIR}/hostile_files.c)
add_dependencies(hostile_files prescreen)
if(PS_SANITIZE OR PS_FUZZ)
  set(PS_HOSTILE_MAX_SECONDS 60)
  set(PS_HOSTILE_MAX_RSS_MB 4096)
else()
  set(PS_HOSTILE_MAX_SECONDS 10)
  set(PS_HOSTILE_MAX_RSS_MB 1024)
endif()
add_test(NAME hostile_files
         COMMAND hostile_files $<TARGET_FILE:prescreen> ${CMAKE_SOURCE_DIR}/testdata/hostile)
set_tests_properties(hostile_files PROPERTIES
  TIMEOUT 900
  ENVIRONMENT "PS_HOSTILE_MAX_SECONDS=${PS_HOSTILE_MAX_SECONDS};PS_HOSTILE_MAX_RSS_MB=${PS_HOSTILE_MAX_RSS_MB};ASAN_OPTIONS=detect_leaks=0")
