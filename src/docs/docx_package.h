// kyso docs — the OOXML package around a WordprocessingML document.xml, written as a ZIP file.
#pragma once

#include <string>

#include "core/result.h"

namespace kyso::docs {

// Writes `path` as a .docx: [Content_Types].xml, _rels/.rels, word/document.xml (given),
// word/styles.xml (Times New Roman 14 pt), word/settings.xml, word/_rels/document.xml.rels and
// two page headers (none on the first page, the centred page number from page 2 on).
// `document_xml` must reference the headers as r:id "rIdHeaderNumber" and "rIdHeaderFirst".
Status write_docx_package(const std::string& document_xml, const std::string& path);

}  // namespace kyso::docs
