// Tests: the Decree 30 date in letters, and the annex lists sized to their content.
#include <gtest/gtest.h>

#include <numeric>
#include <string>
#include <vector>

#include "docs/letter_layout.h"
#include "docs/times_metrics.h"

namespace {

using namespace kyso::docs::layout;

// Decree 30/2020, Appendix I: a day below 10 and the months 1 and 2 take a leading zero.
TEST(Decree30Date, LeadingZeroForDaysBelowTenAndJanuaryFebruaryOnly) {
    EXPECT_EQ(decree30_date(2025, 7, 5), "ngày 05 tháng 7 năm 2025");
    EXPECT_EQ(decree30_date(2025, 2, 15), "ngày 15 tháng 02 năm 2025");
    EXPECT_EQ(decree30_date(2025, 12, 20), "ngày 20 tháng 12 năm 2025");
    EXPECT_EQ(decree30_date(2026, 1, 9), "ngày 09 tháng 01 năm 2026");
    EXPECT_EQ(decree30_date(2025, 10, 10), "ngày 10 tháng 10 năm 2025");
    EXPECT_EQ(decree30_month(3), "3");
    EXPECT_EQ(decree30_month(11), "11");
    EXPECT_EQ(decree30_day(1), "01");
    EXPECT_EQ(decree30_day(31), "31");
}

double times(std::string_view text, double size, bool bold) {
    return kyso::docs::times_width(text, size, bold);
}

// The widest word of a cell ("\n" and " " separate words).
double widest_word(const std::string& cell, double size, bool bold) {
    double widest = 0.0;
    std::size_t pos = 0;
    while (pos <= cell.size()) {
        const auto end = std::min(cell.find_first_of(" \n", pos), cell.size());
        widest = std::max(widest, times(cell.substr(pos, end - pos), size, bold));
        pos = end + 1;
    }
    return widest;
}

// The list of a revocation letter (mau-05) with 30 rows of long organization names and reasons.
struct Sample {
    std::vector<std::string> headings{"STT",
                                      "Họ và tên",
                                      "Ngày sinh",
                                      "Số CCCD",
                                      "Tên cơ quan, tổ chức công tác",
                                      "Chức vụ",
                                      "Địa chỉ thư điện tử công vụ",
                                      "Số hiệu chứng thư",
                                      "Lý do thu hồi"};
    std::vector<std::vector<std::string>> rows;
    Sample() {
        for (int i = 0; i < 30; ++i) {
            rows.push_back({std::to_string(i + 1), "Nguyễn Thị Thu Hương",
                            "1" + std::to_string(i % 9) + "/03/1986", "008186001234",
                            "Phòng Lao động - Thương binh và Xã hội huyện Minh Lộc", "Chuyên viên",
                            "canbo" + std::to_string(i) + ".ldtbxh@minhloc.gov.vn",
                            "4C3CF9482D8DB9BFD14E1640F0B2F26B",
                            "Cơ quan, tổ chức chấm dứt hoạt động hoặc thuê bao không còn công "
                            "tác\nTheo Công văn số 12/UBND ngày 05 tháng 7 năm 2025 của Ủy ban "
                            "nhân dân huyện Minh Lộc"});
        }
    }
};

TEST(ListLayout, NoColumnIsNarrowerThanItsLongestWordAndTheWidthsFillTheLine) {
    const Sample s;
    const double total = mm_to_pt(kLandscape.text_width_mm());
    const auto plan = plan_list(s.headings, s.rows, total, true, 8.0, times);
    ASSERT_EQ(plan.widths.size(), s.headings.size());
    EXPECT_NEAR(std::accumulate(plan.widths.begin(), plan.widths.end(), 0.0), total, 0.5);
    EXPECT_GE(plan.font_pt, 8.0);
    EXPECT_LE(plan.font_pt, table_font_pt(s.headings.size(), true));
    for (std::size_t i = 0; i < s.headings.size(); ++i) {
        double need = widest_word(s.headings[i], plan.font_pt, true);
        for (const auto& r : s.rows) need = std::max(need, widest_word(r[i], plan.font_pt, false));
        EXPECT_GE(plan.widths[i], need + 8.0) << s.headings[i];
    }
    // The serial (32 hex digits) on one line.
    EXPECT_GE(plan.widths[7], times(s.rows[0][7], plan.font_pt, false) + 8.0);
}

// Lines of `cell` wrapped greedily at `width` (text only, without the cell margins).
int lines_of(const std::string& cell, double width, double size) {
    int lines = 0;
    std::size_t pos = 0;
    while (pos <= cell.size()) {
        const auto nl = std::min(cell.find('\n', pos), cell.size());
        std::string line;
        ++lines;
        std::size_t w = pos;
        while (w < nl) {
            const auto end = std::min(cell.find(' ', w), nl);
            const std::string word = cell.substr(w, end - w);
            const std::string longer = line.empty() ? word : line + " " + word;
            if (!line.empty() && times(longer, size, false) > width) {
                ++lines;
                line = word;
            } else {
                line = longer;
            }
            w = end + 1;
        }
        pos = nl + 1;
    }
    return lines;
}

// Every cell of the 30 rows wraps into a few lines (this sample is heavy: nine columns, a
// reason of two paragraphs), and the short texts (dates, numbers, serials) stay on one line.
TEST(ListLayout, RowsWrapIntoFewLines) {
    const Sample s;
    const double total = mm_to_pt(kLandscape.text_width_mm());
    const auto plan = plan_list(s.headings, s.rows, total, true, 8.0, times);
    for (const auto& r : s.rows) {
        for (std::size_t i = 0; i < r.size(); ++i) {
            EXPECT_LE(lines_of(r[i], plan.widths[i] - 8.0, plan.font_pt), 6) << r[i];
        }
    }
    for (std::size_t i : {2u, 3u, 7u}) {
        EXPECT_EQ(lines_of(s.rows[0][i], plan.widths[i] - 8.0, plan.font_pt), 1) << s.headings[i];
    }
}

// When the longest words cannot fit at the usual size, the type goes down a step.
TEST(ListLayout, TheTypeShrinksWhenTheWordsDoNotFit) {
    const std::string serial = "4C3CF9482D8DB9BFD14E1640F0B2F26B";
    std::vector<std::string> headings(4, "Số hiệu");
    std::vector<std::vector<std::string>> rows{std::vector<std::string>(4, serial)};
    const double base = table_font_pt(4, true);
    // Room for four serials one point smaller, not at the usual size.
    const double total = 4.0 * (times(serial, base - 1.0, false) + 9.0);
    ASSERT_LT(total, 4.0 * (times(serial, base, false) + 8.0));
    const auto plan = plan_list(headings, rows, total, true, 8.0, times);
    EXPECT_EQ(plan.font_pt, base - 1.0);
    for (const double w : plan.widths) {
        EXPECT_GE(w, times(serial, plan.font_pt, false) + 8.0);
    }
}

TEST(ListLayout, AnEmptyListHasHeadingsOnly) {
    const std::vector<std::string> headings{"STT", "Họ và tên", "Số hiệu chứng thư"};
    const auto plan = plan_list(headings, {}, 400.0, false, 8.0, times);
    ASSERT_EQ(plan.widths.size(), 3u);
    EXPECT_NEAR(std::accumulate(plan.widths.begin(), plan.widths.end(), 0.0), 400.0, 0.5);
}

}  // namespace
