kyso_test(reorg_test
  ${CMAKE_CURRENT_LIST_DIR}/plan_rules_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/plan_sample_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/plan_errors_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/plan_certificates_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/outcome_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/events_json_limits_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/event_fields_test.cpp)
target_link_libraries(reorg_test PRIVATE kyso_reorg kyso_bundle nlohmann_json::nlohmann_json)
