kyso_test(workflow_test ${CMAKE_CURRENT_LIST_DIR}/parties_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/results_file_test.cpp ${CMAKE_CURRENT_LIST_DIR}/issuer_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/batch_list_test.cpp)
target_link_libraries(workflow_test PRIVATE kyso_workflow)
