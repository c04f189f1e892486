kyso_test(accounts_test ${CMAKE_CURRENT_LIST_DIR}/access_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/password_test.cpp ${CMAKE_CURRENT_LIST_DIR}/accounts_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sessions_test.cpp)
target_link_libraries(accounts_test PRIVATE kyso_accounts kyso_x509 OpenSSL::Crypto)
