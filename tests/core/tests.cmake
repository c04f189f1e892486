kyso_test(core_test
  ${CMAKE_CURRENT_LIST_DIR}/date_test.cpp ${CMAKE_CURRENT_LIST_DIR}/subject_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/values_test.cpp ${CMAKE_CURRENT_LIST_DIR}/messages_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/id_index_test.cpp ${CMAKE_CURRENT_LIST_DIR}/atomic_file_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/output_dir_test.cpp)
target_link_libraries(core_test PRIVATE kyso_core)
