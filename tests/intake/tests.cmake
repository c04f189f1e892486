kyso_test(intake_test ${CMAKE_CURRENT_LIST_DIR}/intake_values_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intake_dates_test.cpp ${CMAKE_CURRENT_LIST_DIR}/intake_records_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/intake_columns_test.cpp)
target_link_libraries(intake_test PRIVATE kyso_intake)
