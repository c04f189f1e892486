# Imported targets are local to the folder that found them: find what the CLI tests use here.
find_package(PkgConfig REQUIRED)
if(NOT TARGET PkgConfig::XLSXWRITER)
  pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
endif()
if(NOT TARGET pugixml::pugixml)
  find_package(pugixml REQUIRED)
endif()
if(NOT TARGET libzip::zip)
  find_package(libzip REQUIRED)
endif()
if(NOT TARGET SQLite::SQLite3)
  find_package(SQLite3 REQUIRED)
endif()
kyso_test(cli_test
  ${CMAKE_CURRENT_LIST_DIR}/import_export_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/import_errors_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/import_certs_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/real_world_certs_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/demo_cli_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/plan_formats_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/check_cli_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/events_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/events_entry_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intake_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intake_identity_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intake_readers_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/workflow_e2e_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/integrity_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/crash_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/render_crash_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/output_files_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/results_rerun_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/input_limits_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scope_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/accounts_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/audit_keyed_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/inputs_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/issuer_cli_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/daily_output_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/cli_language_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sign_in_cli_test.cpp)
target_link_libraries(cli_test PRIVATE kyso_bundle kyso_text kyso_store kyso_reorg kyso_intake kyso_workflow
  nlohmann_json::nlohmann_json PkgConfig::XLSXWRITER
  SQLite::SQLite3 pugixml::pugixml libzip::zip)
target_compile_definitions(cli_test PRIVATE KYSO_ARTIFACTS="${CMAKE_BINARY_DIR}/artifacts")

# Command sequences run in one process (kyso_cli), so hundreds of them fit in CI.
kyso_test(sequence_test ${CMAKE_CURRENT_LIST_DIR}/sequence_test.cpp)
target_link_libraries(sequence_test PRIVATE kyso_cli)
