# The store contract suite runs on SQLite always and on PostgreSQL through a
# throw-away server: a CTest fixture starts it before test_store and stops it
# after. The script writes the server URL to PS_PG_TEST_DIR/url; test_store
# reads it through PS_PG_URL_FILE (and skips the PostgreSQL part, saying so,
# when the file is absent because no PostgreSQL binaries are installed).
set(PS_PG_TEST_DIR ${CMAKE_BINARY_DIR}/pg-test-server)
add_test(NAME store_pg_server_start
         COMMAND ${CMAKE_SOURCE_DIR}/scripts/pg-test-server.sh start ${PS_PG_TEST_DIR})
set_tests_properties(store_pg_server_start PROPERTIES FIXTURES_SETUP pg_server TIMEOUT 120)
add_test(NAME store_pg_server_stop
         COMMAND ${CMAKE_SOURCE_DIR}/scripts/pg-test-server.sh stop ${PS_PG_TEST_DIR})
set_tests_properties(store_pg_server_stop PROPERTIES FIXTURES_CLEANUP pg_server TIMEOUT 120)
if(TEST test_store)
  set_tests_properties(test_store PROPERTIES FIXTURES_REQUIRED pg_server)
  set_property(TEST test_store APPEND PROPERTY ENVIRONMENT
               "PS_PG_URL_FILE=${PS_PG_TEST_DIR}/url")
endif()
