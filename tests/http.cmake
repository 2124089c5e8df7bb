# The review server: a seeding helper (store + pipeline APIs, no HTTP) and
# the browser end-to-end test (node + playwright-core driving Debian's
# chromium; it skips with 77 when chromium is not installed).
add_executable(ps_http_seed ${CMAKE_CURRENT_SOURCE_DIR}/browser/seed.c)
target_link_libraries(ps_http_seed PRIVATE prescreen_lib)
add_test(NAME http_browser
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/browser/run.sh $<TARGET_FILE:prescreen>
                 $<TARGET_FILE:ps_http_seed> ${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/screenshots)
set_tests_properties(http_browser PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
