# x509 parsing benchmark: bare d2i_X509 against kyso::x509::parse_der (goal: kyso >= 50%).
add_executable(bench_x509 ${CMAKE_CURRENT_LIST_DIR}/x509_parse_bench.cpp)
target_link_libraries(bench_x509 PRIVATE kyso_x509 benchmark::benchmark OpenSSL::Crypto)
