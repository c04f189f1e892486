# Letters and records (templates/letters/) as DOCX and PDF. The DOCX is opened again with libzip
# and pugixml (imported targets are local to the folder that found them, so found again here);
# the PDF is read back with poppler-utils (pdftotext, pdfinfo, pdftoppm). Page images are kept
# under the build folder in artifacts/.
if(NOT TARGET libzip::zip)
  find_package(libzip REQUIRED)
endif()
if(NOT TARGET pugixml::pugixml)
  find_package(pugixml REQUIRED)
endif()
kyso_test(docs_test ${CMAKE_CURRENT_LIST_DIR}/letter_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/letter_template_test.cpp ${CMAKE_CURRENT_LIST_DIR}/pdf_limit_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/list_layout_test.cpp ${CMAKE_CURRENT_LIST_DIR}/table_export_test.cpp)
target_link_libraries(docs_test PRIVATE kyso_docs libzip::zip pugixml::pugixml)
target_compile_definitions(docs_test PRIVATE KYSO_ARTIFACT_DIR="${CMAKE_BINARY_DIR}/artifacts")
