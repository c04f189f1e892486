kyso_test(workflow_test ${CMAKE_CURRENT_LIST_DIR}/check_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/check_certificates_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intake_values_test.cpp ${CMAKE_CURRENT_LIST_DIR}/intake_dates_test.cpp ${CMAKE_CURRENT_LIST_DIR}/access_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/password_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/parties_test.cpp ${CMAKE_CURRENT_LIST_DIR}/accounts_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intake_records_test.cpp ${CMAKE_CURRENT_LIST_DIR}/intake_columns_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/results_file_test.cpp ${CMAKE_CURRENT_LIST_DIR}/issuer_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/batch_list_test.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sessions_test.cpp)
target_link_libraries(workflow_test PRIVATE kyso_workflow kyso_x509 OpenSSL::Crypto)
