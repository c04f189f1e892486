// Tests: letter templates — what loading and filling check, and how errors name file and line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "docs/letter.h"

namespace {

namespace fs = std::filesystem;
using kyso::docs::LetterData;
using kyso::docs::load_letter_template;
using kyso::docs::resolve_letter;

// A small valid letter; tests replace parts of it.
const std::string kLetter = R"([kind]
letter
[co_quan]
{{co_quan}}
[so]
Số: {{so}}/{{ky_hieu}}
[trich_yeu]
V/v thử nghiệm
[ngay_thang]
{{dia_danh}}, ngày {{ngay}} tháng {{thang}} năm {{nam}}
[kinh_gui]
Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ
[than]
**2. Số lượng và danh sách đăng ký: {{so_luong}} cá nhân, gồm:**
[bang]
STT | stt
Họ và tên | ho_ten
Số CCCD; Ngày cấp | cccd; ngay_cap
[ket]
{{co_quan}} kính đề nghị xem xét./.
[noi_nhan]
- Như trên;
Lưu: VT
[ky]
{{quyen_han_ky}}
{{chuc_vu_ky}}
{{nguoi_ky}}
)";

fs::path write_template(const std::string& name, const std::string& text) {
    const fs::path p = fs::path(::testing::TempDir()) / ("kyso-letter-" + name + ".txt");
    std::ofstream(p, std::ios::binary) << text;
    return p;
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
    const auto pos = text.find(from);
    EXPECT_NE(pos, std::string::npos) << from;
    if (pos != std::string::npos) text.replace(pos, from.size(), to);
    return text;
}

LetterData values() {
    LetterData d;
    d.values = {{"co_quan", "Sở Khoa học và Công nghệ"},
                {"so", "12"},
                {"ky_hieu", "SKHCN-CĐS"},
                {"dia_danh", "Tuyên Quang"},
                {"ngay", "05"},
                {"thang", "07"},
                {"nam", "2025"},
                {"quyen_han_ky", ""},
                {"chuc_vu_ky", "Giám đốc"},
                {"nguoi_ky", "Dương Văn Nhân"}};
    d.rows = {
        {{"ho_ten", "Nguyễn Thị Hương"}, {"cccd", "008186001234"}, {"ngay_cap", "12/04/2021"}},
        {{"ho_ten", "Trần Văn Đức"}, {"cccd", "008190004321"}, {"ngay_cap", ""}}};
    return d;
}

TEST(LetterTemplate, ResolvesValuesRowsAndUpperCase) {
    const auto tpl = load_letter_template(write_template("ok", kLetter).string());
    ASSERT_TRUE(tpl.ok()) << tpl.error().describe();
    const auto l = resolve_letter(*tpl, values());
    ASSERT_TRUE(l.ok()) << l.error().describe();
    EXPECT_EQ(l->issuing_body, "SỞ KHOA HỌC VÀ CÔNG NGHỆ");
    EXPECT_EQ(l->superior_body, "");
    EXPECT_EQ(l->number, "Số: 12/SKHCN-CĐS");
    EXPECT_EQ(l->place_date, "Tuyên Quang, ngày 05 tháng 07 năm 2025");
    ASSERT_EQ(l->body.size(), 1u);
    EXPECT_TRUE(l->body[0].bold);
    EXPECT_EQ(l->body[0].text, "2. Số lượng và danh sách đăng ký: 02 cá nhân, gồm:");
    ASSERT_EQ(l->lists.size(), 1u);
    const auto& list = l->lists[0];
    ASSERT_EQ(list.headings.size(), 3u);
    ASSERT_EQ(list.rows.size(), 2u);
    EXPECT_EQ(list.rows[1][0], "2");
    EXPECT_EQ(list.rows[0][2], "008186001234\n12/04/2021");
    EXPECT_EQ(list.rows[1][2], "008190004321");  // an empty value adds no line
    EXPECT_EQ(l->copies_to, (std::vector<std::string>{"- Như trên;", "- Lưu: VT."}));
    // An empty optional value drops its line: no "KT." above the title.
    ASSERT_EQ(l->signatures.size(), 1u);
    ASSERT_EQ(l->signatures[0].lines.size(), 1u);
    EXPECT_EQ(l->signatures[0].lines[0].text, "GIÁM ĐỐC");
    EXPECT_EQ(l->signatures[0].name, "Dương Văn Nhân");
    EXPECT_EQ(l->national_title, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
}

TEST(LetterTemplate, SeveralRecipientsBecomeADashList) {
    const auto path = write_template(
        "recipients",
        replace(kLetter, "Cục Chứng thực số và Bảo mật thông tin, Ban Cơ yếu Chính phủ",
                "- Các Sở, ban, ngành tỉnh\nCác đơn vị sự nghiệp tỉnh;"));
    const auto tpl = load_letter_template(path.string());
    ASSERT_TRUE(tpl.ok()) << tpl.error().describe();
    const auto l = resolve_letter(*tpl, values());
    ASSERT_TRUE(l.ok()) << l.error().describe();
    EXPECT_EQ(l->recipients, (std::vector<std::string>{"- Các Sở, ban, ngành tỉnh;",
                                                       "- Các đơn vị sự nghiệp tỉnh;"}));
}

TEST(LetterTemplate, CopyToTheIssuingBodyItselfIsLeftOut) {
    const auto path = write_template(
        "self-copy", replace(kLetter, "- Như trên;\n", "- Như trên;\n{{so_khcn}} (để tổng hợp)\n"));
    const auto tpl = load_letter_template(path.string());
    ASSERT_TRUE(tpl.ok()) << tpl.error().describe();
    // An agency's letter is copied to the DoST...
    auto data = values();
    data.values["co_quan"] = "Sở Tài chính tỉnh Tuyên Quang";
    data.values["so_khcn"] = "Sở Khoa học và Công nghệ tỉnh Tuyên Quang";
    auto l = resolve_letter(*tpl, data);
    ASSERT_TRUE(l.ok()) << l.error().describe();
    EXPECT_EQ(l->copies_to,
              (std::vector<std::string>{
                  "- Như trên;", "- Sở Khoa học và Công nghệ tỉnh Tuyên Quang (để tổng hợp);",
                  "- Lưu: VT."}));
    // ...the DoST's own letter is not copied to itself.
    data.values["co_quan"] = "Sở Khoa học và Công nghệ tỉnh Tuyên Quang";
    l = resolve_letter(*tpl, data);
    ASSERT_TRUE(l.ok()) << l.error().describe();
    EXPECT_EQ(l->copies_to, (std::vector<std::string>{"- Như trên;", "- Lưu: VT."}));
    // A body whose name only begins like the issuer's is another body.
    data.values["co_quan"] = "Sở Khoa học và Công nghệ tỉnh Tuyên";
    l = resolve_letter(*tpl, data);
    ASSERT_TRUE(l.ok()) << l.error().describe();
    EXPECT_EQ(l->copies_to.size(), 3u);
}

TEST(LetterTemplate, UnknownPlaceholderNamesFileAndLine) {
    const auto path =
        write_template("unknown", replace(kLetter, "V/v thử nghiệm", "V/v {{khong_co}}"));
    const auto tpl = load_letter_template(path.string());
    ASSERT_FALSE(tpl.ok());
    EXPECT_EQ(tpl.error().code, "letter.unknown_placeholder");
    EXPECT_EQ(tpl.error().where.file, path.string());
    EXPECT_EQ(tpl.error().where.row, 8);
    EXPECT_NE(tpl.error().describe(true).find("{{khong_co}}"), std::string::npos)
        << tpl.error().describe(true);
}

TEST(LetterTemplate, MissingValueNamesFileAndLine) {
    const auto path = write_template("missing", kLetter);
    const auto tpl = load_letter_template(path.string());
    ASSERT_TRUE(tpl.ok());
    auto data = values();
    data.values.erase("ky_hieu");
    const auto l = resolve_letter(*tpl, data);
    ASSERT_FALSE(l.ok());
    EXPECT_EQ(l.error().code, "letter.missing_values");
    EXPECT_EQ(l.error().where.file, path.string());
    EXPECT_EQ(l.error().where.row, 6);
    EXPECT_EQ(l.error().where.field, "ky_hieu");
    EXPECT_NE(l.error().describe().find("ký hiệu văn bản ({{ky_hieu}}, dòng 6)"), std::string::npos)
        << l.error().describe();
}

TEST(LetterTemplate, EmptyRequiredValueIsAnError) {
    const auto tpl = load_letter_template(write_template("empty", kLetter).string());
    ASSERT_TRUE(tpl.ok());
    auto data = values();
    data.values["nguoi_ky"] = "  ";
    const auto l = resolve_letter(*tpl, data);
    ASSERT_FALSE(l.ok());
    EXPECT_EQ(l.error().code, "letter.missing_values");
    EXPECT_EQ(l.error().where.row, 27);
}

// Render asks once: every missing or empty value in one error, by its Vietnamese description,
// in the order of the template, each with its line; a value used twice is named once.
TEST(LetterTemplate, SeveralMissingValuesAreListedInOneError) {
    const std::string text = replace(kLetter, "[than]\n",
                                     "[than]\n- Số định danh cá nhân: {{nhan_so_dinh_danh}}\n- "
                                     "Họ và tên: {{nhan_ho_ten}}\n");
    const auto path = write_template("several", text);
    const auto tpl = load_letter_template(path.string());
    ASSERT_TRUE(tpl.ok()) << tpl.error().describe();
    auto data = values();
    data.values.erase("co_quan");  // used on lines 4 and 23
    data.values["nguoi_ky"] = "";
    const auto l = resolve_letter(*tpl, data);
    ASSERT_FALSE(l.ok());
    EXPECT_EQ(l.error().code, "letter.missing_values");
    EXPECT_EQ(l.error().where.file, path.string());
    EXPECT_EQ(l.error().where.row, 4);
    EXPECT_EQ(l.error().where.field, "co_quan");
    const std::string vi = l.error().describe();
    const std::string en = l.error().describe(true);
    EXPECT_NE(vi.find("thiếu 4 giá trị"), std::string::npos) << vi;
    std::size_t at = 0;
    for (const char* item :
         {"cơ quan ban hành ({{co_quan}}, dòng 4)",
          "người tiếp nhận thiết bị: số định danh cá nhân ({{nhan_so_dinh_danh}}",
          "người tiếp nhận thiết bị: họ và tên ({{nhan_ho_ten}}",
          "người ký: họ và tên ({{nguoi_ky}}"}) {
        const auto pos = vi.find(item, at);
        EXPECT_NE(pos, std::string::npos) << item << " (in order) in " << vi;
        if (pos != std::string::npos) at = pos;
    }
    EXPECT_EQ(vi.find("{{co_quan}}", vi.find("{{co_quan}}") + 1), std::string::npos) << vi;
    EXPECT_NE(en.find("device receiver: personal ID number ({{nhan_so_dinh_danh}}, line"),
              std::string::npos)
        << en;
}

// [bang_to_chuc]: organizations' certificates in a list of their own, with organization
// columns and its own title; each list numbered from 1. {{so_luong}} counts both.
TEST(LetterTemplate, OrganizationRowsGetTheirOwnList) {
    const std::string text =
        replace(replace(kLetter, "[bang]\n", "[bang]\n**Cá nhân**\n"), "[ket]\n",
                "[bang_to_chuc]\n**Cơ quan, tổ chức**\nSTT | stt\nTên "
                "cơ quan, tổ chức | ten_co_quan\nMã QHNS | ma_qhns\n[ket]\n");
    const auto tpl = load_letter_template(write_template("orgs", text).string());
    ASSERT_TRUE(tpl.ok()) << tpl.error().describe();
    auto data = values();
    data.org_rows = {{{"ten_co_quan", "Sở Tài chính"}, {"ma_qhns", "1050001"}}};
    auto l = resolve_letter(*tpl, data);
    ASSERT_TRUE(l.ok()) << l.error().describe();
    EXPECT_EQ(l->body[0].text, "2. Số lượng và danh sách đăng ký: 03 cá nhân, gồm:");
    ASSERT_EQ(l->lists.size(), 2u);
    ASSERT_EQ(l->lists[0].title.size(), 1u);
    EXPECT_EQ(l->lists[0].title[0].text, "Cá nhân");
    EXPECT_EQ(l->lists[0].rows.size(), 2u);
    EXPECT_EQ(l->lists[1].title[0].text, "Cơ quan, tổ chức");
    EXPECT_TRUE(l->lists[1].title[0].bold);
    EXPECT_EQ(l->lists[1].headings,
              (std::vector<std::string>{"STT", "Tên cơ quan, tổ chức", "Mã QHNS"}));
    EXPECT_EQ(l->lists[1].rows,
              (std::vector<std::vector<std::string>>{{"1", "Sở Tài chính", "1050001"}}));

    // Only organizations: only their list.
    data.rows.clear();
    l = resolve_letter(*tpl, data);
    ASSERT_TRUE(l.ok()) << l.error().describe();
    ASSERT_EQ(l->lists.size(), 1u);
    EXPECT_EQ(l->lists[0].title[0].text, "Cơ quan, tổ chức");

    // A template without [bang_to_chuc] lists them after the people, in its one list.
    const auto plain = load_letter_template(write_template("plain", kLetter).string());
    ASSERT_TRUE(plain.ok());
    data = values();
    data.org_rows = {{{"ho_ten", "Sở Tài chính"}, {"cccd", ""}, {"ngay_cap", ""}}};
    l = resolve_letter(*plain, data);
    ASSERT_TRUE(l.ok()) << l.error().describe();
    ASSERT_EQ(l->lists.size(), 1u);
    ASSERT_EQ(l->lists[0].rows.size(), 3u);
    EXPECT_EQ(l->lists[0].rows[2][1], "Sở Tài chính");
}

TEST(LetterTemplate, RowWithoutColumnValueNamesRowAndLine) {
    const auto tpl = load_letter_template(write_template("row", kLetter).string());
    ASSERT_TRUE(tpl.ok());
    auto data = values();
    data.rows[1].erase("cccd");
    const auto l = resolve_letter(*tpl, data);
    ASSERT_FALSE(l.ok());
    EXPECT_EQ(l.error().code, "letter.missing_row_value");
    EXPECT_EQ(l.error().where.row, 18);
    EXPECT_EQ(l.error().where.field, "cccd");
    EXPECT_NE(l.error().describe(true).find("row 2 of the list"), std::string::npos)
        << l.error().describe(true);
}

TEST(LetterTemplate, MalformedTemplatesSayWhy) {
    struct Case {
        std::string from, to, code;
    };
    const Case cases[] = {
        {"V/v thử nghiệm", "V/v {{so", "letter.unclosed_placeholder"},
        {"[trich_yeu]", "[trich_yeuu]", "letter.unknown_section"},
        {"letter\n", "thư\n", "letter.bad_kind"},
        {"Họ và tên | ho_ten", "Họ và tên", "letter.bad_table_line"},
        {"Họ và tên | ho_ten", "Họ và tên | Họ Tên", "letter.bad_table_line"},
        {"[kinh_gui]", "[so]", "letter.duplicate_section"},
        {"[kind]\n", "dòng lạc\n[kind]\n", "letter.text_outside_section"},
        {"[ky]\n", "[tieu_de]\nTIÊU ĐỀ\n[ky]\n", "letter.section_kind"},
        {"[so]\nSố: {{so}}/{{ky_hieu}}\n", "", "letter.missing_section"},
        {"[ky]\n", "[ky]\nA\n[ky]\n", "letter.signature_count"},
    };
    for (const auto& c : cases) {
        const auto tpl =
            load_letter_template(write_template("bad", replace(kLetter, c.from, c.to)).string());
        ASSERT_FALSE(tpl.ok()) << c.code;
        EXPECT_EQ(tpl.error().code, c.code) << tpl.error().describe(true);
    }
    const auto none = load_letter_template("/nonexistent/mau.txt");
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().code, "letter.template_unreadable");
    const auto latin1 =
        load_letter_template(write_template("latin1", "[kind]\nl\xE9tter\n").string());
    ASSERT_FALSE(latin1.ok());
    EXPECT_EQ(latin1.error().code, "letter.not_utf8");
}

TEST(LetterTemplate, DecomposedTemplateTextIsNormalized) {
    // "Kính gửi" typed with combining marks (as some editors save it) comes out NFC.
    const auto path = write_template(
        "nfd",
        replace(kLetter, "V/v thử nghiệm", "V/v thu\xCC\x9B\xCC\x89 nghie\xCC\xA3\xCC\x82m"));
    const auto tpl = load_letter_template(path.string());
    ASSERT_TRUE(tpl.ok());
    const auto l = resolve_letter(*tpl, values());
    ASSERT_TRUE(l.ok());
    EXPECT_EQ(l->subject, "V/v thử nghiệm");
}

TEST(LetterTemplate, EveryShippedTemplateLoads) {
    const fs::path dir = fs::path(KYSO_SOURCE_DIR) / "templates" / "letters";
    int n = 0;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.path().extension() != ".txt") continue;
        const auto tpl = load_letter_template(e.path().string());
        EXPECT_TRUE(tpl.ok()) << tpl.error().describe();
        ++n;
    }
    EXPECT_EQ(n, 13);  // Mẫu 01, 02, 04, 05, 06, the hand-over letter, each also as the DoST's
                       // combined letter (tong-hop-*), and the hand-over record
}

}  // namespace
