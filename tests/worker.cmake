# The worker crash test (tests/worker_crash.c): 1,000 small jobs, two
# `prescreen work` processes killed with SIGKILL and restarted until the
# queue drains; on SQLite, and on PostgreSQL through the throw-away server
# of tests/store.cmake (skipped, exit 77, without PostgreSQL binaries).
add_executable(worker_crash ${CMAKE_CURRENT_SOURCE_DIR}/worker_crash.c)
target_link_libraries(worker_crash PRIVATE ps_testutil)
add_dependencies(worker_crash prescreen)
# The sanitizer build runs 200 jobs: the same kills and checks, at the
# several-fold ASan cost; the plain build runs the full 1,000.
if(PS_SANITIZE)
  set(PS_CRASH_JOB_COUNT 200)
else()
  set(PS_CRASH_JOB_COUNT 1000)
endif()
foreach(backend sqlite pg)
  add_test(NAME worker_crash_${backend} COMMAND worker_crash ${backend})
  set_tests_properties(worker_crash_${backend} PROPERTIES
    SKIP_RETURN_CODE 77
    TIMEOUT 900
    ENVIRONMENT "PS_BUILD_DIR=${CMAKE_BINARY_DIR};PS_SOURCE_DIR=${CMAKE_SOURCE_DIR};PS_PG_URL_FILE=${PS_PG_TEST_DIR}/url;PS_CRASH_JOBS=${PS_CRASH_JOB_COUNT}")
endforeach()
set_tests_properties(worker_crash_pg PROPERTIES FIXTURES_REQUIRED pg_server)
# The leak test (tests/worker_leaks.c): a `prescreen work --drain` process
# under LeakSanitizer over 5 and then 40 jobs; no leak may be reported and
# the suppressed third-party caches (tests/lsan.supp) must not grow with the
# job count. Runs in the sanitizer build; skipped (77) in the others.
add_executable(worker_leaks ${CMAKE_CURRENT_SOURCE_DIR}/worker_leaks.c)
target_link_libraries(worker_leaks PRIVATE ps_testutil)
add_dependencies(worker_leaks prescreen)
if(PS_SANITIZE AND NOT PS_FUZZ)
  set(PS_SANITIZED 1)
else()
  set(PS_SANITIZED 0)
endif()
add_test(NAME worker_leaks COMMAND worker_leaks 5 40)
set_tests_properties(worker_leaks PROPERTIES
  SKIP_RETURN_CODE 77
  TIMEOUT 1200
  ENVIRONMENT "PS_BUILD_DIR=${CMAKE_BINARY_DIR};PS_SOURCE_DIR=${CMAKE_SOURCE_DIR};PS_SANITIZED=${PS_SANITIZED}")
