// Tests: strict RFC 4180 CSV reading with positions and limits.
#include <gtest/gtest.h>

#include "text/csv.h"

using kyso::text::CsvLimits;
using kyso::text::CsvReader;

namespace {
std::vector<std::vector<std::string>> read_all(CsvReader& r) {
    std::vector<std::vector<std::string>> rows;
    while (true) {
        auto n = r.next();
        EXPECT_TRUE(n) << n.error().describe(true);
        if (!n || !*n) break;
        rows.push_back(r.fields());
    }
    return rows;
}
}  // namespace

TEST(Csv, ReadsQuotesCrlfEmbeddedNewlinesAndBom) {
    auto r = CsvReader::from_string("\xEF\xBB\xBFid,name\r\n1,\"a, \"\"b\"\"\r\nc\"\r\n\r\n2,\r\n",
                                    "x.csv");
    ASSERT_TRUE(r) << r.error().describe(true);
    EXPECT_EQ(r->header(), (std::vector<std::string>{"id", "name"}));
    auto first = r->next();
    ASSERT_TRUE(first && *first);
    EXPECT_EQ(r->row(), 1);
    EXPECT_EQ(r->fields()[1], "a, \"b\"\r\nc");
    auto second = r->next();
    ASSERT_TRUE(second && *second);
    EXPECT_EQ(r->row(), 2);  // the blank line does not count
    EXPECT_EQ(r->line(), 5);
    EXPECT_EQ(r->fields()[1], "");
    auto end = r->next();
    ASSERT_TRUE(end);
    EXPECT_FALSE(*end);
}

TEST(Csv, LastLineWithoutNewline) {
    auto r = CsvReader::from_string("a,b\n1,2", "x.csv");
    ASSERT_TRUE(r);
    auto rows = read_all(*r);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0][1], "2");
}

TEST(Csv, FindsColumnsByName) {
    auto r = CsvReader::from_string("id,name,org_id\n", "x.csv");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->column("org_id"), 2u);
    EXPECT_FALSE(r->column("missing"));
}

TEST(Csv, WrongFieldCountNamesFileAndRow) {
    auto r = CsvReader::from_string("id,name\n1,a\n2\n", "people.csv");
    ASSERT_TRUE(r);
    ASSERT_TRUE(r->next());
    auto bad = r->next();
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "csv.wrong_field_count");
    EXPECT_EQ(bad.error().where.file, "people.csv");
    EXPECT_EQ(bad.error().where.row, 2);
}

TEST(Csv, StrayQuoteIsAnErrorWithField) {
    auto r = CsvReader::from_string("id,name\n1,ab\"c\n", "x.csv");
    ASSERT_TRUE(r);
    auto bad = r->next();
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "csv.bad_quote");
    EXPECT_EQ(bad.error().where.field, "name");
    auto r2 = CsvReader::from_string("id,name\n1,\"ab\"c\n", "x.csv");
    ASSERT_TRUE(r2);
    EXPECT_EQ(r2->next().error().code, "csv.bad_quote");
}

TEST(Csv, UnterminatedQuote) {
    auto r = CsvReader::from_string("id,name\n1,\"abc\n", "x.csv");
    ASSERT_TRUE(r);
    auto bad = r->next();
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "csv.unterminated_quote");
}

TEST(Csv, InvalidUtf8IsRejected) {
    auto r = CsvReader::from_string("id,name\n1,Nguy\xE1n\n", "x.csv");
    ASSERT_TRUE(r);
    auto bad = r->next();
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "csv.invalid_utf8");
    EXPECT_EQ(bad.error().where.row, 1);
}

TEST(Csv, EmptyFileHasNoHeader) {
    auto r = CsvReader::from_string("", "x.csv");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "csv.empty");
}

TEST(Csv, LimitsAreEnforced) {
    CsvLimits small;
    small.max_cell = 4;
    auto r = CsvReader::from_string("id\nabcdef\n", "x.csv", small);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->next().error().code, "csv.cell_too_large");
    CsvLimits tiny;
    tiny.max_file = 3;
    EXPECT_EQ(CsvReader::from_string("id\n1\n", "x.csv", tiny).error().code, "csv.file_too_large");
}

TEST(Csv, CellLimitIsCheckedWhileScanningQuotedOrNot) {
    CsvLimits small;
    small.max_cell = 4;
    // Exactly at the limit: read; one byte over, quoted or not, with or without a closing quote
    // or line end anywhere after it: cell_too_large naming the column, never a copy of the rest.
    auto ok = CsvReader::from_string("id,n\nabcd,\"ab\"\"c\"\n", "x.csv", small);
    ASSERT_TRUE(ok);
    ASSERT_TRUE(ok->next().value());
    EXPECT_EQ(ok->fields()[1], "ab\"c");
    for (const char* text :
         {"id,n\n1,abcde\n", "id,n\n1,abcde", "id,n\n1,\"abcde\"\n", "id,n\n1,\"abcde",
          "id,n\n1,\"ab\"\"\"\"\"\"\"\n", "id,n\n1,\"abcd\"\"\n"}) {
        SCOPED_TRACE(text);
        auto r = CsvReader::from_string(text, "x.csv", small);
        ASSERT_TRUE(r);
        auto e = r->next();
        ASSERT_FALSE(e);
        EXPECT_EQ(e.error().code, "csv.cell_too_large");
        EXPECT_EQ(e.error().where.field, "n");
        EXPECT_EQ(e.error().where.row, 1);
    }
    // A quote left open within the limit is still that error.
    auto open = CsvReader::from_string("id,n\n1,\"ab", "x.csv", small);
    ASSERT_TRUE(open);
    EXPECT_EQ(open->next().error().code, "csv.unterminated_quote");
}

TEST(Csv, ControlCharactersAreRefusedNamingRowAndColumn) {
    // NUL, other C0, DEL and C1 (U+0085 here): errors. TAB, LF and CR inside a value: text.
    for (const std::string& bad :
         {std::string("a\0b", 3), std::string("a\x01"), std::string("\x1B[2J"),
          std::string("a\x7F"), std::string("a\xC2\x85")}) {
        auto r = CsvReader::from_string("id,name\n1,ok\n2,\"" + bad + "\"\n", "people.csv");
        ASSERT_TRUE(r);
        ASSERT_TRUE(r->next().value());
        auto e = r->next();
        ASSERT_FALSE(e);
        EXPECT_EQ(e.error().code, "csv.control_char");
        EXPECT_EQ(e.error().where.file, "people.csv");
        EXPECT_EQ(e.error().where.row, 2);
        EXPECT_EQ(e.error().where.field, "name");
    }
    auto r = CsvReader::from_string("id,name\n1,\"a\tb\r\nc\"\n", "people.csv");
    ASSERT_TRUE(r);
    ASSERT_TRUE(r->next().value());
    EXPECT_EQ(r->fields()[1], "a\tb\r\nc");
    auto nul = CsvReader::from_string(std::string("id,name\n1,a\0\n", 13), "people.csv");
    ASSERT_TRUE(nul);
    const auto e = nul->next().error();
    EXPECT_EQ(e.code, "csv.control_char");
    EXPECT_NE(e.describe(true).find("U+0000"), std::string::npos) << e.describe(true);
    // In the header too.
    EXPECT_EQ(CsvReader::from_string(std::string("id,na\x01me\n"), "p.csv").error().code,
              "csv.control_char");
}

TEST(Csv, OpenMissingFileIsAnError) {
    auto r = CsvReader::open("/nonexistent/x.csv", "x.csv");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "csv.open");
}
