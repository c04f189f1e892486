kyso_test(text_test ${CMAKE_CURRENT_LIST_DIR}/csv_test.cpp ${CMAKE_CURRENT_LIST_DIR}/nfc_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/legacy_test.cpp)
target_link_libraries(text_test PRIVATE kyso_text)
