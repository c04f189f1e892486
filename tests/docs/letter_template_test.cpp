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
    ASSERT_EQ(l->headings.size(), 3u);
    ASSERT_EQ(l->rows.size(), 2u);
    EXPECT_EQ(l->rows[1][0], "2");
    EXPECT_EQ(l->rows[0][2], "008186001234\n12/04/2021");
    EXPECT_EQ(l->rows[1][2], "008190004321");  // an empty value adds no line
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
    EXPECT_EQ(l.error().code, "letter.missing_value");
    EXPECT_EQ(l.error().where.file, path.string());
    EXPECT_EQ(l.error().where.row, 6);
    EXPECT_EQ(l.error().where.field, "ky_hieu");
}

TEST(LetterTemplate, EmptyRequiredValueIsAnError) {
    const auto tpl = load_letter_template(write_template("empty", kLetter).string());
    ASSERT_TRUE(tpl.ok());
    auto data = values();
    data.values["nguoi_ky"] = "  ";
    const auto l = resolve_letter(*tpl, data);
    ASSERT_FALSE(l.ok());
    EXPECT_EQ(l.error().code, "letter.empty_value");
    EXPECT_EQ(l.error().where.row, 27);
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
