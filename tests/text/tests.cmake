# XLSX test files are written with libxlsxwriter and, by hand, with libzip. Imported targets are
# local to the folder that found them (src/docs, src/text), so they are found again here.
find_package(PkgConfig REQUIRED)
if(NOT TARGET PkgConfig::XLSXWRITER)
  pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
endif()
if(NOT TARGET libzip::zip)
  find_package(libzip REQUIRED)
endif()
kyso_test(text_test ${CMAKE_CURRENT_LIST_DIR}/csv_test.cpp ${CMAKE_CURRENT_LIST_DIR}/nfc_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/legacy_test.cpp ${CMAKE_CURRENT_LIST_DIR}/decode_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/xlsx_reader_test.cpp ${CMAKE_CURRENT_LIST_DIR}/csv_dialect_test.cpp)
target_link_libraries(text_test PRIVATE kyso_text PkgConfig::XLSXWRITER libzip::zip)
