kyso_test(jobs_test
  ${CMAKE_CURRENT_LIST_DIR}/job_runner_test.cpp)
target_link_libraries(jobs_test PRIVATE kyso_jobs SQLite::SQLite3)
