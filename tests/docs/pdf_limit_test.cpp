// Tests: a list too long for one PDF is refused before anything is rendered (issue 11): the
// bound is a pure function of the row count, so counts just past libharu's page limit are
// checked without drawing a page.
#include <gtest/gtest.h>

#include "docs/letter_layout.h"

namespace kyso::docs::layout {
namespace {

TEST(PdfLimit, RowsUpToTheBoundFit) {
    EXPECT_TRUE(check_pdf_rows(0));
    EXPECT_TRUE(check_pdf_rows(1));
    EXPECT_TRUE(check_pdf_rows(kMaxPdfRows));
    EXPECT_EQ(kMaxPdfRows, 32000u);
    // Every row may take a page: the rows and the letter's own pages stay within libharu's.
    EXPECT_LE(kMaxPdfRows + kLetterPagesReserve, kMaxPdfPages);
}

TEST(PdfLimit, OneRowMoreIsRefusedWithTheNumbers) {
    const Status s = check_pdf_rows(kMaxPdfRows + 1);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, "letter.too_many_rows");
    EXPECT_NE(s.error().message_en.find("32001"), std::string::npos) << s.error().message_en;
    EXPECT_NE(s.error().message_en.find("32000"), std::string::npos) << s.error().message_en;
    EXPECT_NE(s.error().message.find("chia"), std::string::npos) << s.error().message;
}

TEST(PdfLimit, TheBatchOfTheIssueIsRefused) {
    // 113,000 rows failed after 86 s and 5 GB (issue 11); now refused at once.
    EXPECT_FALSE(check_pdf_rows(113000));
}

}  // namespace
}  // namespace kyso::docs::layout
