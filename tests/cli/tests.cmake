kyso_test(cli_test
  ${CMAKE_CURRENT_LIST_DIR}/import_export_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/import_errors_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/import_certs_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/demo_cli_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/plan_formats_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/check_cli_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/events_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intake_test.cpp)
target_link_libraries(cli_test PRIVATE kyso_bundle kyso_text kyso_store kyso_reorg
  nlohmann_json::nlohmann_json PkgConfig::XLSXWRITER)
