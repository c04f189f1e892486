kyso_test(store_test
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_store_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_history_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_applied_events_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_open_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_serials_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/subject_codec_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_identity_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sqlite_audit_chain_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/account_store_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/workflow_store_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/registry_query_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/job_store_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/workflow_list_test.cpp)
target_link_libraries(store_test PRIVATE kyso_store SQLite::SQLite3 PkgConfig::PQXX)
