kyso_test(checks_test ${CMAKE_CURRENT_LIST_DIR}/check_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/check_certificates_test.cpp)
target_link_libraries(checks_test PRIVATE kyso_checks)
