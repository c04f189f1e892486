# kyso serve: the API against a real in-process server on 127.0.0.1 (an ephemeral port).
kyso_test(server_test ${CMAKE_CURRENT_LIST_DIR}/server_harness.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_api_test.cpp ${CMAKE_CURRENT_LIST_DIR}/server_matrix_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_input_test.cpp ${CMAKE_CURRENT_LIST_DIR}/server_routes_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_binary_test.cpp ${CMAKE_CURRENT_LIST_DIR}/server_registry_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_postgres_test.cpp ${CMAKE_CURRENT_LIST_DIR}/server_events_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_render_job_test.cpp ${CMAKE_CURRENT_LIST_DIR}/server_signin_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_mtls_test.cpp ${CMAKE_CURRENT_LIST_DIR}/server_http_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_jobs_test.cpp ${CMAKE_CURRENT_LIST_DIR}/store_pool_test.cpp)
target_link_libraries(server_test PRIVATE kyso_server kyso_demo kyso_accounts kyso_workflow OpenSSL::Crypto
  PkgConfig::PQXX)
target_compile_definitions(server_test PRIVATE KYSO_TEST_CACHE="${CMAKE_BINARY_DIR}/tests/cache")

# kill -9 of the real `kyso serve` in the middle of a job (its own binary: slow, and not part of
# the OpenAPI recording run below). KYSO_SERVER_CRASH_SCALE sets the import's size.
if(NOT TARGET SQLite::SQLite3)
  find_package(SQLite3 REQUIRED)
endif()
kyso_test(server_crash_test ${CMAKE_CURRENT_LIST_DIR}/server_harness.cpp
  ${CMAKE_CURRENT_LIST_DIR}/server_crash_test.cpp)
target_link_libraries(server_crash_test PRIVATE kyso_server kyso_demo kyso_accounts kyso_workflow
  OpenSSL::Crypto SQLite::SQLite3 PkgConfig::PQXX)
target_compile_definitions(server_crash_test PRIVATE KYSO_TEST_CACHE="${CMAKE_BINARY_DIR}/tests/cache")

# The OpenAPI document checked by a real validator (@seriousme/openapi-schema-validator), and
# every answer of the API tests checked against it (ajv, JSON Schema 2020-12): the tests run
# once more recording their answers, then node checks them. Needs `npm ci` at the repository
# root (scripts/install-deps.sh); skipped when node or the packages are missing. gtest's brief
# output shows only the failures, so a failed recording run says which test failed.
find_program(KYSO_NODE node)
if(KYSO_NODE)
  add_test(NAME ServerOpenApi.DocumentAndResponsesMatch
    COMMAND ${CMAKE_COMMAND} -E env KYSO_LANG=vi
      KYSO_API_RECORD=${CMAKE_CURRENT_BINARY_DIR}/api-responses.jsonl
      KYSO_OPENAPI_OUT=${CMAKE_CURRENT_BINARY_DIR}/openapi.json
      sh -c "rm -f \"$KYSO_API_RECORD\" && \"$1\" --gtest_brief=1 && \"$2\" \"$3\" \"$KYSO_OPENAPI_OUT\" \"$KYSO_API_RECORD\""
      sh $<TARGET_FILE:server_test> ${KYSO_NODE} ${PROJECT_SOURCE_DIR}/scripts/check-openapi.mjs)
  set_tests_properties(ServerOpenApi.DocumentAndResponsesMatch PROPERTIES SKIP_RETURN_CODE 77
    TIMEOUT 600)
endif()

# The API and registry tests once more with the in-process server on a throwaway PostgreSQL
# database (KYSO_SERVER_TEST_PG=1); skipped without KYSO_TEST_PG (scripts/pg-test-server.sh).
add_test(NAME ServerPostgres.ApiAndRegistryRoutes
  COMMAND sh -c "[ -n \"$KYSO_TEST_PG\" ] || exit 77; KYSO_SERVER_TEST_PG=1 exec \"$0\" --gtest_brief=1 --gtest_filter='Api*:RegistryApi*'"
    $<TARGET_FILE:server_test>)
set_tests_properties(ServerPostgres.ApiAndRegistryRoutes PROPERTIES SKIP_RETURN_CODE 77
  TIMEOUT 900)
