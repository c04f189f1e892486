# x509 tests: certificates made by the openssl CLI, the shared sample certificates, names.
kyso_test(x509_test
  ${CMAKE_CURRENT_LIST_DIR}/certificate_test.cpp ${CMAKE_CURRENT_LIST_DIR}/name_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/sample_certs_test.cpp)
target_link_libraries(x509_test PRIVATE kyso_x509 nlohmann_json::nlohmann_json)
