// Tests: the bytes of agencies' CSV files (UTF-8 with or without BOM, UTF-16, Windows-1258) to
// NFC UTF-8, with real byte sequences.
#include "text/decode.h"

#include <gtest/gtest.h>

#include <string>

#include "text/nfc.h"

using kyso::text::decode_text;
using kyso::text::SourceEncoding;

namespace {

std::string bytes(std::initializer_list<unsigned> values) {
    std::string out;
    for (unsigned v : values) out += static_cast<char>(v);
    return out;
}

// "Họ và tên" in UTF-16LE: H ọ(U+1ECD) space v à(U+00E0) space t ê(U+00EA) n.
const std::string kHoVaTenLe = bytes({0x48, 0x00, 0xCD, 0x1E, 0x20, 0x00, 0x76, 0x00, 0xE0, 0x00,
                                      0x20, 0x00, 0x74, 0x00, 0xEA, 0x00, 0x6E, 0x00});

std::string swap_pairs(std::string s) {
    for (std::size_t i = 0; i + 1 < s.size(); i += 2) std::swap(s[i], s[i + 1]);
    return s;
}

kyso::Error expect_error(const std::string& in) {
    auto r = decode_text(in, "list.csv");
    EXPECT_FALSE(r) << "expected an error, got " << (r ? r->text : "");
    return r ? kyso::Error{} : r.error();
}

}  // namespace

TEST(Decode, Utf8PassesThroughAndBomIsStripped) {
    auto plain = decode_text("Họ và tên,Số định danh cá nhân\n", "a.csv");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->encoding, SourceEncoding::utf8);
    EXPECT_EQ(plain->text, "Họ và tên,Số định danh cá nhân\n");
    auto bom = decode_text("\xEF\xBB\xBFHọ và tên\r\n", "a.csv");
    ASSERT_TRUE(bom);
    EXPECT_EQ(bom->encoding, SourceEncoding::utf8_bom);
    EXPECT_EQ(bom->text, "Họ và tên\r\n");
    auto empty = decode_text("", "a.csv");
    ASSERT_TRUE(empty);
    EXPECT_EQ(empty->text, "");
}

TEST(Decode, Utf8InNfdBecomesNfc) {
    // "Nguyễn" typed as e + circumflex (U+0302) + tilde (U+0303).
    auto r = decode_text("Nguye\xCC\x82\xCC\x83n", "a.csv");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->text, "Nguyễn");
}

TEST(Decode, Utf16LittleEndianWithBom) {
    auto r = decode_text("\xFF\xFE" + kHoVaTenLe, "a.csv");
    ASSERT_TRUE(r) << r.error().describe(true);
    EXPECT_EQ(r->encoding, SourceEncoding::utf16le);
    EXPECT_EQ(r->text, "Họ và tên");
}

TEST(Decode, Utf16BigEndianWithBom) {
    auto r = decode_text("\xFE\xFF" + swap_pairs(kHoVaTenLe), "a.csv");
    ASSERT_TRUE(r) << r.error().describe(true);
    EXPECT_EQ(r->encoding, SourceEncoding::utf16be);
    EXPECT_EQ(r->text, "Họ và tên");
}

TEST(Decode, Utf16WithoutBomIsRecognizedByItsNuls) {
    const std::string line = kHoVaTenLe + bytes({0x2C, 0x00, 0x31, 0x00, 0x0A, 0x00});  // ",1\n"
    auto le = decode_text(line + line, "a.csv");
    ASSERT_TRUE(le) << le.error().describe(true);
    EXPECT_EQ(le->encoding, SourceEncoding::utf16le);
    EXPECT_EQ(le->text, "Họ và tên,1\nHọ và tên,1\n");
    auto be = decode_text(swap_pairs(line), "a.csv");
    ASSERT_TRUE(be) << be.error().describe(true);
    EXPECT_EQ(be->encoding, SourceEncoding::utf16be);
    EXPECT_EQ(be->text, "Họ và tên,1\n");
}

TEST(Decode, Utf16SurrogatePairsAndDamage) {
    // U+1F600 as D83D DE00.
    auto pair = decode_text(bytes({0xFF, 0xFE, 0x3D, 0xD8, 0x00, 0xDE}), "a.csv");
    ASSERT_TRUE(pair);
    EXPECT_EQ(pair->text, "\xF0\x9F\x98\x80");
    // A high surrogate followed by a letter, then a lone low surrogate on line 2.
    auto e = expect_error(bytes({0xFF, 0xFE, 0x41, 0x00, 0x0A, 0x00, 0x3D, 0xD8, 0x41, 0x00}));
    EXPECT_EQ(e.code, "decode.lone_surrogate");
    EXPECT_EQ(e.where.file, "list.csv");
    EXPECT_NE(e.message_en.find("offset 6 (line 2)"), std::string::npos) << e.message_en;
    EXPECT_EQ(expect_error(bytes({0xFF, 0xFE, 0x00, 0xDE})).code, "decode.lone_surrogate");
    EXPECT_EQ(expect_error(bytes({0xFE, 0xFF, 0xD8, 0x3D})).code, "decode.lone_surrogate");
    EXPECT_EQ(expect_error(bytes({0xFF, 0xFE, 0x41, 0x00, 0x42})).code, "decode.odd_length");
}

TEST(Decode, Windows1258ToneMarksAreComposed) {
    // "Nguyễn Văn Hùng" as Excel writes it on Vietnamese Windows (iconv -t CP1258): ễ is
    // ê (0xEA) + combining tilde (0xDE), ă is 0xE3, ù is 0xF9.
    const std::string cp1258 = bytes({0x4E, 0x67, 0x75, 0x79, 0xEA, 0xDE, 0x6E, 0x20, 0x56, 0xE3,
                                      0x6E, 0x20, 0x48, 0xF9, 0x6E, 0x67});
    auto r = decode_text(cp1258, "a.csv");
    ASSERT_TRUE(r) << r.error().describe(true);
    EXPECT_EQ(r->encoding, SourceEncoding::windows1258);
    EXPECT_EQ(r->text, "Nguyễn Văn Hùng");
    EXPECT_TRUE(kyso::text::is_nfc(r->text));
    // A tone byte after a plain letter ("Thị": i + dot below 0xF2) and the horned letters
    // ư (0xFD) and ơ (0xF5) of "Hương".
    auto thi = decode_text(bytes({0x54, 0x68, 0x69, 0xF2}), "a.csv");
    ASSERT_TRUE(thi);
    EXPECT_EQ(thi->text, "Thị");
    auto huong = decode_text(bytes({0x48, 0xFD, 0xF5, 0x6E, 0x67}), "a.csv");
    ASSERT_TRUE(huong);
    EXPECT_EQ(huong->text, "Hương");
}

TEST(Decode, BytesOutsideWindows1258AreRefused) {
    const auto e = expect_error(bytes({0x61, 0x0A, 0x62, 0x81}));
    EXPECT_EQ(e.code, "decode.invalid_cp1258");
    EXPECT_NE(e.message_en.find("0x81 at offset 3 (line 2)"), std::string::npos) << e.message_en;
}

TEST(Decode, BrokenUtf8AfterABomIsRefused) {
    const auto e = expect_error(
        "\xEF\xBB\xBF"
        "ab\n\xC3\x28");
    EXPECT_EQ(e.code, "decode.invalid_utf8");
    EXPECT_NE(e.message_en.find("offset 6 (line 2)"), std::string::npos) << e.message_en;
    // Overlong and surrogate forms are not UTF-8 either: without a BOM they go to Windows-1258.
    auto overlong = decode_text("\xC0\xAF", "a.csv");
    ASSERT_TRUE(overlong);
    EXPECT_EQ(overlong->encoding, SourceEncoding::windows1258);
    EXPECT_TRUE(kyso::text::valid_utf8(overlong->text));
}
