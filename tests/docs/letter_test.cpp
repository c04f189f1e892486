// Tests: letters and records from the templates in templates/letters/, as DOCX and PDF.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <zip.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <pugixml.hpp>
#include <sstream>
#include <string>

#include "docs/letter.h"

namespace {

namespace fs = std::filesystem;
using kyso::docs::LetterData;

const fs::path kTemplates = fs::path(KYSO_SOURCE_DIR) / "templates" / "letters";
const fs::path kArtifacts = KYSO_ARTIFACT_DIR;
constexpr const char* kSerial = "5403A1B2C3D4E5F60718293A4B5C6D7E";

std::string run(const std::string& cmd) {
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) return out;
    char buf[4096];
    std::size_t n = 0;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
    return out;
}

// The values every template may use, and `rows` list rows with every column key of any template.
LetterData sample(std::size_t rows) {
    LetterData d;
    d.values = {{"co_quan_cap_tren", "UBND tỉnh Tuyên Quang"},
                {"co_quan", "Sở Khoa học và Công nghệ"},
                {"so", "125"},
                {"ky_hieu", "SKHCN-CĐS"},
                {"dia_danh", "Tuyên Quang"},
                {"ngay", "05"},
                {"thang", "7"},
                {"nam", "2025"},
                {"nguoi_ky", "Dương Văn Nhân"},
                {"chuc_vu_ky", "Phó Giám đốc"},
                {"quyen_han_ky", "KT. Giám đốc"},
                {"tinh", "Tuyên Quang"},
                {"dia_ban", "tỉnh Tuyên Quang"},
                {"so_khcn", "Sở Khoa học và Công nghệ tỉnh Tuyên Quang"},
                {"nhan_ho_ten", "Lê Trúc Mãnh"},
                {"nhan_so_dinh_danh", "008186001234"},
                {"nhan_ngay_cap", "12/04/2021"},
                {"nhan_noi_cap", "Cục Cảnh sát quản lý hành chính về trật tự xã hội"},
                {"nhan_chuc_vu", "Chuyên viên Phòng Chuyển đổi số"},
                {"nhan_dien_thoai", "0943110979"},
                {"nhan_email", "ltmanh@tuyenquang.gov.vn"},
                {"nhan_dia_chi", "Sở Khoa học và Công nghệ, phường Minh Xuân, tỉnh Tuyên Quang"},
                {"nhan_co_quan", "Sở Khoa học và Công nghệ tỉnh Tuyên Quang"},
                {"giao_ho_ten", "Hoàng Thị Ngọc Ánh"},
                {"giao_chuc_vu", "Chánh Văn phòng"},
                {"giao_co_quan", "Sở Tài chính tỉnh Tuyên Quang"},
                {"dia_diem", "trụ sở Sở Khoa học và Công nghệ tỉnh Tuyên Quang"},
                {"cac_van_ban", "Công văn số 3/VP của Sở Tài chính tỉnh Tuyên Quang"}};
    const char* names[] = {"Nguyễn Thị Hương", "Trần Văn Đức", "Phạm Minh Tuấn", "Lê Thị Thu Hà",
                           "Vũ Quốc Khánh",    "Đặng Thị Yến", "Bùi Văn Long",   "Hoàng Ngọc Ánh"};
    const char* orgs[] = {"Văn phòng Ủy ban nhân dân tỉnh Tuyên Quang", "Sở Tài chính",
                          "Trung tâm Chuyển đổi số tỉnh Tuyên Quang",
                          "Ủy ban nhân dân xã Minh Quang"};
    for (std::size_t i = 0; i < rows; ++i) {
        char serial[64];
        std::snprintf(serial, sizeof serial, "5403A1B2C3D4E5F60718293A4B5C%04zX", i);
        char cccd[64];
        std::snprintf(cccd, sizeof cccd, "0081860%05zu", 1000 + i);
        const std::string name = names[i % 8];
        d.rows.push_back(
            {{"ho_ten", name},
             {"ngay_sinh", "1" + std::to_string(i % 9) + "/03/1986"},
             {"cccd", cccd},
             {"ngay_cap", "12/04/2021"},
             {"noi_cap", "Cục Cảnh sát quản lý hành chính về trật tự xã hội"},
             {"email", "canbo" + std::to_string(i) + ".skhcn@tuyenquang.gov.vn"},
             {"co_quan_cong_tac", orgs[i % 4]},
             {"tinh", "Tuyên Quang"},
             {"chuc_vu", i % 3 == 0 ? "Trưởng phòng" : "Chuyên viên"},
             {"dien_thoai", "09123456" + std::to_string(10 + i)},
             {"serial_cu", i % 2 == 0 ? "" : serial},
             {"sim_pki", i % 5 == 0 ? "0912345678" : ""},
             {"ten_co_quan", orgs[i % 4]},
             {"dia_chi", "Số " + std::to_string(i + 1) + " đường Tân Trào, tỉnh Tuyên Quang"},
             {"ma_so_thue", "50001234" + std::to_string(10 + i)},
             {"ma_qhns", "10" + std::to_string(50000 + i)},
             {"serial", i == 0 ? std::string(kSerial) : std::string(serial)},
             {"noi_dung", "Thay đổi tên cơ quan, tổ chức theo Nghị quyết sắp xếp"},
             {"ly_do_thu_hoi", "Cơ quan sáp nhập, không còn nhu cầu sử dụng"},
             {"loai_thiet_bi", i % 2 == 0 ? "USB Token" : "SIM PKI"},
             {"so_hieu_thiet_bi", "TK" + std::to_string(202500 + i)},
             {"ly_do", "Quên mã PIN, thiết bị bị khóa"},
             {"tinh_trang", "Hoạt động bình thường"},
             {"cong_van_goc", ""}});
    }
    return d;
}

std::string zip_entry(zip_t* z, const char* name) {
    zip_stat_t st;
    if (zip_stat(z, name, 0, &st) != 0) return {};
    std::string data(st.size, '\0');
    zip_file_t* f = zip_fopen(z, name, 0);
    if (f == nullptr) return {};
    const auto n = zip_fread(f, data.data(), st.size);
    zip_fclose(f);
    return n == static_cast<zip_int64_t>(st.size) ? data : std::string();
}

// Every XML part of the package; fails the test when one does not parse.
std::map<std::string, std::string> docx_parts(const fs::path& path) {
    std::map<std::string, std::string> parts;
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
    EXPECT_NE(z, nullptr) << path << " is not a zip archive";
    if (z == nullptr) return parts;
    for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); ++i) {
        const std::string name = zip_get_name(z, static_cast<zip_uint64_t>(i), 0);
        parts[name] = zip_entry(z, name.c_str());
        if (name.ends_with(".xml") || name.ends_with(".rels")) {
            pugi::xml_document doc;
            EXPECT_TRUE(doc.load_string(parts[name].c_str())) << name << " does not parse";
        }
    }
    zip_close(z);
    return parts;
}

struct Rendered {
    fs::path pdf;
    fs::path docx;
    std::string pdf_text;
    std::map<std::string, std::string> parts;
};

Rendered render(const std::string& name, const LetterData& data, std::string out_name = {}) {
    if (out_name.empty()) out_name = name;
    Rendered out;
    auto tpl = kyso::docs::load_letter_template((kTemplates / (name + ".txt")).string());
    EXPECT_TRUE(tpl.ok()) << tpl.error().describe();
    if (!tpl) return out;
    auto letter = kyso::docs::resolve_letter(*tpl, data);
    EXPECT_TRUE(letter.ok()) << letter.error().describe();
    if (!letter) return out;
    fs::create_directories(kArtifacts);
    out.pdf = kArtifacts / ("letter-" + out_name + ".pdf");
    out.docx = kArtifacts / ("letter-" + out_name + ".docx");
    auto pdf = kyso::docs::write_letter_pdf(*letter, out.pdf.string());
    EXPECT_TRUE(pdf.ok()) << pdf.error().describe();
    auto docx = kyso::docs::write_letter_docx(*letter, out.docx.string());
    EXPECT_TRUE(docx.ok()) << docx.error().describe();
    out.pdf_text = run("pdftotext -layout '" + out.pdf.string() + "' - 2>/dev/null");
    out.parts = docx_parts(out.docx);
    return out;
}

// Rows of the list table (the one whose first row repeats as a heading on each page).
std::size_t list_rows(const std::string& document_xml) {
    pugi::xml_document doc;
    doc.load_string(document_xml.c_str());
    for (auto tbl : doc.select_nodes("//w:tbl")) {
        auto first = tbl.node().child("w:tr");
        if (first.child("w:trPr").child("w:tblHeader")) {
            return static_cast<std::size_t>(std::distance(tbl.node().children("w:tr").begin(),
                                                          tbl.node().children("w:tr").end()));
        }
    }
    return 0;
}

// Word rejects property elements out of schema order (LibreOffice does not), so check them:
// the children of every w:pPr and w:tblPr follow ECMA-376 CT_PPrBase / CT_TblPr order.
bool schema_order(const std::string& document_xml, std::string* bad) {
    const std::vector<std::pair<const char*, std::vector<std::string>>> orders{
        {"w:pPr",
         {"w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:widowControl", "w:pBdr",
          "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr"}},
        {"w:tblPr",
         {"w:tblStyle", "w:tblW", "w:jc", "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout",
          "w:tblCellMar", "w:tblLook"}},
        {"w:tcPr", {"w:tcW", "w:gridSpan", "w:vMerge", "w:tcBorders", "w:shd", "w:vAlign"}},
        {"w:rPr", {"w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:sz", "w:szCs", "w:lang"}}};
    pugi::xml_document doc;
    doc.load_string(document_xml.c_str());
    for (const auto& [parent, order] : orders) {
        for (const auto& x : doc.select_nodes((std::string("//") + parent).c_str())) {
            std::size_t last = 0;
            for (auto child : x.node().children()) {
                const auto it = std::find(order.begin(), order.end(), child.name());
                if (it == order.end() || static_cast<std::size_t>(it - order.begin()) < last) {
                    *bad = std::string(parent) + "/" + child.name();
                    return false;
                }
                last = static_cast<std::size_t>(it - order.begin());
            }
        }
    }
    return true;
}

int pdf_pages(const fs::path& pdf) {
    const std::string info = run("pdfinfo '" + pdf.string() + "' 2>/dev/null");
    const auto pos = info.find("Pages:");
    return pos == std::string::npos ? 0 : std::stoi(info.substr(pos + 6));
}

class EveryTemplate : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryTemplate, RendersThirtyRowsAsPdfAndDocx) {
    const auto r = render(GetParam(), sample(30));
    ASSERT_FALSE(r.pdf_text.empty());
    const bool record = GetParam() == "bien-ban-ban-giao";
    const bool orgs = GetParam() == "mau-02" || GetParam() == "tong-hop-mau-02";
    const bool combined = GetParam().starts_with("tong-hop-");  // the DoST's own letter
    std::vector<std::string> expected{
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Tuyên Quang, ngày 05 tháng 7 năm 2025", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"};
    if (orgs) {
        expected.emplace_back("Sở Tài chính");
    } else {
        expected.emplace_back("Nguyễn Thị Hương");
        expected.emplace_back("Trần Văn Đức");
    }
    if (record) {
        expected.emplace_back("BIÊN BẢN BÀN GIAO THIẾT BỊ LƯU KHÓA BÍ MẬT");
        expected.emplace_back("BÊN GIAO");
        expected.emplace_back("BÊN NHẬN");
        expected.emplace_back("Số: 125");  // the record's number
    } else {
        expected.emplace_back("Số: 125/SKHCN-CĐS");
        expected.emplace_back("Kính gửi: Cục Chứng thực số và Bảo mật thông tin");
        expected.emplace_back("KT. GIÁM ĐỐC");
        expected.emplace_back("PHÓ GIÁM ĐỐC");
        expected.emplace_back("Dương Văn Nhân");
        expected.emplace_back("Nơi nhận:");
        expected.emplace_back("Lưu: VT.");
        expected.emplace_back(GetParam().ends_with("ban-giao-thiet-bi")
                                  ? "Số lượng thiết bị bàn giao: 30"
                                  : "2. Số lượng và danh sách đăng ký: 30");
    }
    if (GetParam().ends_with("mau-05")) expected.emplace_back(kSerial);
    if (combined) {
        expected.emplace_back("Công văn số 3/VP của Sở Tài chính tỉnh Tuyên Quang");
        // Not copied to itself, not handing devices over "through" itself.
        EXPECT_EQ(r.pdf_text.find("để tổng hợp"), std::string::npos) << r.pdf_text;
        EXPECT_EQ(r.pdf_text.find("qua Sở"), std::string::npos) << r.pdf_text;
    }
    const std::string& doc =
        r.parts.count("word/document.xml") ? r.parts.at("word/document.xml") : std::string();
    for (const auto& s : expected) {
        // A name may wrap in its narrow list column (between words): its last word.
        const bool name = s == "Nguyễn Thị Hương" || s == "Trần Văn Đức";
        const std::string in_pdf = name ? s.substr(s.rfind(' ') + 1) : s;
        EXPECT_NE(r.pdf_text.find(in_pdf), std::string::npos) << "PDF lacks \"" << in_pdf << "\"";
        // Names and serials sit in one run each; the header is upper-cased as in the PDF.
        if (s.starts_with("Kính gửi") || s.starts_with("2. Số") || s.starts_with("Số lượng") ||
            s.starts_with("Công văn số"))
            continue;
        EXPECT_NE(doc.find(s), std::string::npos) << "DOCX lacks \"" << s << "\"";
    }
    EXPECT_GE(pdf_pages(r.pdf), 2) << "30 rows should run over a page";
    // Columns sized to their content: 30 rows take a few pages, not 4 rows a page.
    EXPECT_LE(pdf_pages(r.pdf), 5) << "30 rows in at most 3 pages of list after the letter";
    EXPECT_EQ(list_rows(doc), 31u) << "heading row + one row per data row";
    std::string bad;
    EXPECT_TRUE(schema_order(doc, &bad)) << "out of schema order: " << bad;
    for (const char* part : {"[Content_Types].xml", "_rels/.rels", "word/styles.xml",
                             "word/_rels/document.xml.rels"}) {
        EXPECT_TRUE(r.parts.count(part)) << part;
    }
    // A4 with the Decree 30 margins (twips).
    EXPECT_NE(doc.find(R"(<w:pgSz w:w="11906" w:h="16838")"), std::string::npos);
    EXPECT_NE(doc.find(R"(w:top="1134" w:right="850" w:bottom="1134" w:left="1701")"),
              std::string::npos);

    // Page 1 as an image, kept for people to look at.
    const fs::path png = kArtifacts / ("letter-" + GetParam() + "-page1");
    const int rc = std::system(("pdftoppm -r 60 -f 1 -l 1 -png -singlefile '" + r.pdf.string() +
                                "' '" + png.string() + "'")
                                   .c_str());
    ASSERT_EQ(rc, 0);
    ASSERT_TRUE(fs::exists(png.string() + ".png"));
    EXPECT_GT(fs::file_size(png.string() + ".png"), 5000u);
    std::printf("page 1: %s.png\n", png.c_str());
}

// A letter holding both kinds: the people's list, then the organizations' in organization
// columns under its own heading, in the PDF and in the DOCX.
TEST(Letters, OrganizationsCertificatesAreListedInOrganizationColumns) {
    LetterData d = sample(12);
    for (std::size_t i = 0; i < 3; ++i) {
        auto row = d.rows.back();
        d.rows.pop_back();
        row["ten_co_quan"] = i == 0 ? "Sở Tài chính và Kế hoạch" : "Ban Quản lý dự án";
        row["ho_ten"] = row["ten_co_quan"];
        d.org_rows.push_back(std::move(row));
    }
    const auto r = render("mau-05", d, "mau-05-orgs");
    const auto people = r.pdf_text.find("Chứng thư chữ ký số của cá nhân");
    const auto orgs = r.pdf_text.find("Chứng thư chữ ký số của cơ quan, tổ chức");
    ASSERT_NE(people, std::string::npos) << r.pdf_text;
    ASSERT_NE(orgs, std::string::npos) << r.pdf_text;
    EXPECT_LT(people, orgs);
    EXPECT_NE(r.pdf_text.find("QHNS", orgs), std::string::npos) << r.pdf_text;
    EXPECT_EQ(r.pdf_text.find("Ngày sinh", orgs), std::string::npos) << r.pdf_text;
    EXPECT_NE(r.pdf_text.find("Sở Tài chính và", orgs), std::string::npos) << r.pdf_text;
    const std::string& doc = r.parts.at("word/document.xml");
    EXPECT_LT(doc.find("Chứng thư chữ ký số của cá nhân"),
              doc.find("Chứng thư chữ ký số của cơ quan, tổ chức"));
    EXPECT_NE(doc.find("Sở Tài chính và Kế hoạch"), std::string::npos);
}

TEST(Letters, RowTallerThanAPageContinuesOnTheNextPage) {
    LetterData d = sample(3);
    // 120 changes in one cell: far more lines than a page holds.
    std::string many;
    for (int i = 1; i <= 120; ++i)
        many += (i > 1 ? "\n" : "") + ("Thay đổi số " + std::to_string(i));
    d.rows[1]["noi_dung"] = many;
    const auto r = render("mau-04", d, "mau-04-tall-row");
    ASSERT_FALSE(r.pdf_text.empty());
    // Every line is printed, in order, and the row after it too.
    std::size_t at = 0;
    for (int i = 1; i <= 120; ++i) {
        const std::string line = "Thay đổi số " + std::to_string(i);
        at = r.pdf_text.find(line, at);
        ASSERT_NE(at, std::string::npos) << line << "\n" << r.pdf_text;
    }
    const auto pages = run("pdfinfo '" + r.pdf.string() + "' 2>/dev/null | grep Pages");
    EXPECT_NE(pages.find("Pages:"), std::string::npos) << pages;
    EXPECT_GE(std::stoi(pages.substr(pages.find(':') + 1)), 4) << pages;
}

INSTANTIATE_TEST_SUITE_P(Letters, EveryTemplate,
                         ::testing::Values("mau-01", "mau-02", "mau-04", "mau-05", "mau-06",
                                           "bien-ban-ban-giao", "ban-giao-thiet-bi",
                                           "tong-hop-mau-01", "tong-hop-mau-02", "tong-hop-mau-04",
                                           "tong-hop-mau-05", "tong-hop-mau-06",
                                           "tong-hop-ban-giao-thiet-bi"),
                         [](const auto& param_info) {
                             std::string n = param_info.param;
                             for (char& c : n) c = c == '-' ? '_' : c;
                             return n;
                         });

}  // namespace
