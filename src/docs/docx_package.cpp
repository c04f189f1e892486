// kyso docs — the OOXML package around a WordprocessingML document.xml, written as a ZIP file.
#include "docs/docx_package.h"

#include <zip.h>

#include <ctime>
#include <memory>
#include <utility>
#include <vector>

#include "core/atomic_file.h"
#include "core/messages.h"

namespace kyso::docs {

namespace {

constexpr const char* kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
    R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
    R"(<Default Extension="xml" ContentType="application/xml"/>)"
    R"(<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>)"
    R"(<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>)"
    R"(<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>)"
    R"(<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>)"
    R"(<Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>)"
    R"(</Types>)";

constexpr const char* kPackageRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>)"
    R"(</Relationships>)";

constexpr const char* kDocumentRels =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)"
    R"(<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>)"
    R"(<Relationship Id="rIdHeaderNumber" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>)"
    R"(<Relationship Id="rIdHeaderFirst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/>)"
    R"(</Relationships>)";

// Decree 30: Times New Roman (Unicode, TCVN 6909:2001), 14 pt body; Vietnamese proofing.
constexpr const char* kStyles =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">)"
    R"(<w:docDefaults><w:rPrDefault><w:rPr>)"
    R"(<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/>)"
    R"(<w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/>)"
    R"(</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>)"
    R"(<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>)"
    R"(<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>)"
    R"(<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>)"
    R"(<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>)"
    R"(</w:tblCellMar></w:tblPr></w:style>)"
    R"(</w:styles>)";

constexpr const char* kSettings =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">)"
    R"(<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>)"
    R"(<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>)"
    R"(</w:settings>)";

// Decree 30: the page number, centred in the top margin, from the second page on.
constexpr const char* kHeaderNumber =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">)"
    R"(<w:p><w:pPr><w:jc w:val="center"/></w:pPr>)"
    R"(<w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r>)"
    R"(<w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>)"
    R"(<w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r>)"
    R"(<w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:t>2</w:t></w:r>)"
    R"(<w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r>)"
    R"(</w:p></w:hdr>)";

constexpr const char* kHeaderFirst =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p/></w:hdr>)";

struct ZipDiscard {
    void operator()(zip_t* zip) const { zip_discard(zip); }
};

Error zip_failure(const std::string& path, const std::string& why) {
    return make_error("docs.write", Location{path, 0, {}, {}}, {why});
}

Status write_package_to(const std::string& document_xml, const std::string& path) {
    // The order puts [Content_Types].xml first, as readers that stream the archive expect.
    const std::vector<std::pair<const char*, std::string>> parts{
        {"[Content_Types].xml", kContentTypes}, {"_rels/.rels", kPackageRels},
        {"word/document.xml", document_xml},    {"word/_rels/document.xml.rels", kDocumentRels},
        {"word/styles.xml", kStyles},           {"word/settings.xml", kSettings},
        {"word/header1.xml", kHeaderNumber},    {"word/header2.xml", kHeaderFirst}};

    int code = 0;
    std::unique_ptr<zip_t, ZipDiscard> zip(
        zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code));
    if (!zip) {
        zip_error_t error;
        zip_error_init_with_code(&error, code);
        const std::string why = zip_error_strerror(&error);
        zip_error_fini(&error);
        return zip_failure(path, why);
    }
    // A fixed time stamp: the same letter gives the same bytes.
    const std::time_t stamp = 1735689600;  // 2025-01-01
    for (const auto& [name, data] : parts) {
        zip_source_t* source = zip_source_buffer(zip.get(), data.data(), data.size(), 0);
        if (source == nullptr) return zip_failure(path, zip_strerror(zip.get()));
        const zip_int64_t index =
            zip_file_add(zip.get(), name, source, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8);
        if (index < 0) {
            zip_source_free(source);
            return zip_failure(path, zip_strerror(zip.get()));
        }
        zip_file_set_mtime(zip.get(), static_cast<zip_uint64_t>(index), stamp, 0);
    }
    // zip_close writes the archive (the buffers above are still alive); on failure the archive
    // is discarded by the deleter.
    if (zip_close(zip.get()) != 0) return zip_failure(path, zip_strerror(zip.get()));
    zip.release();
    return Ok{};
}

}  // namespace

Status write_docx_package(const std::string& document_xml, const std::string& path) {
    return write_file_atomically_via(
        path, [&](const std::string& temp) { return write_package_to(document_xml, temp); });
}

}  // namespace kyso::docs
