# Tests of src/demo: the synthetic bundle generator.
kyso_test(demo_test
  ${CMAKE_CURRENT_LIST_DIR}/demo_test.cpp ${CMAKE_CURRENT_LIST_DIR}/demo_events_test.cpp)
target_link_libraries(demo_test PRIVATE kyso_demo)
