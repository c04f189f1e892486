// kyso docs — the page geometry of Decree 30/2020/NĐ-CP shared by the DOCX and PDF writers.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kyso::docs::layout {

// Appendix I, Decree 30/2020: A4; margins top 20–25, bottom 20–25, left 30–35, right 15–20 mm.
inline constexpr double kPageWidthMm = 210.0;
inline constexpr double kPageHeightMm = 297.0;
inline constexpr double kMarginTopMm = 20.0;
inline constexpr double kMarginBottomMm = 20.0;
inline constexpr double kMarginLeftMm = 30.0;
inline constexpr double kMarginRightMm = 15.0;
inline constexpr double kTextWidthMm = kPageWidthMm - kMarginLeftMm - kMarginRightMm;

// A wide list goes on landscape pages after the letter (a "danh sách kèm theo"); their margins
// are the portrait ones turned with the sheet, so the binding edge keeps its 30 mm.
struct PageGeometry {
    double width_mm, height_mm, top_mm, bottom_mm, left_mm, right_mm;
    [[nodiscard]] double text_width_mm() const { return width_mm - left_mm - right_mm; }
};
inline constexpr PageGeometry kPortrait{kPageWidthMm,    kPageHeightMm, kMarginTopMm,
                                        kMarginBottomMm, kMarginLeftMm, kMarginRightMm};
inline constexpr PageGeometry kLandscape{kPageHeightMm,  kPageWidthMm, kMarginLeftMm,
                                         kMarginRightMm, kMarginTopMm, kMarginBottomMm};

// The two header columns: issuing body on the left, Quốc hiệu and Tiêu ngữ on the right.
inline constexpr double kHeaderLeftMm = 70.0;
inline constexpr double kHeaderRightMm = kTextWidthMm - kHeaderLeftMm;
// Short rule under the issuing body (a third to a half of the line above it).
inline constexpr double kIssuingRuleMm = 25.0;

// Font sizes in points (Decree 30: Quốc hiệu 12–13, Tiêu ngữ 13–14, issuing body 12–13, number
// 13, subject line 12–13, place and date 13–14 italic, body 13–14, "Nơi nhận" 12 / list 11).
inline constexpr double kNationalTitlePt = 12.0;
inline constexpr double kMottoPt = 13.0;
inline constexpr double kBodyHeaderPt = 12.0;
inline constexpr double kNumberPt = 13.0;
inline constexpr double kSubjectPt = 12.0;
inline constexpr double kPlaceDatePt = 14.0;
inline constexpr double kTitlePt = 14.0;
inline constexpr double kBodyPt = 14.0;
inline constexpr double kCopiesLabelPt = 12.0;
inline constexpr double kCopiesPt = 11.0;
inline constexpr double kSignaturePt = 14.0;
inline constexpr double kPageNumberPt = 13.0;

inline constexpr double kFirstLineIndentMm = 10.0;
inline constexpr double kParagraphSpacingPt = 6.0;
inline constexpr double kLineSpacing = 1.15;  // times the font size
// Room for the handwritten signature and seal between the signer's title and name.
inline constexpr double kSignatureSpaceMm = 25.0;

// The list gets smaller type as it gets more columns (landscape pages hold more).
double table_font_pt(std::size_t columns, bool landscape);

// Column widths that fill `total`. Each column gets at least `minimum` (its widest unbreakable
// word) when possible; columns whose whole text fits on one line below a common width get that
// (names, dates, numbers), and the long-text columns share the rest equally, wrapping. When
// everything fits on one line the spare room is shared in proportion. Any one unit.
std::vector<double> fit_columns(const std::vector<double>& minimum,
                                const std::vector<double>& preferred, double total);

// Width in points of `text` (UTF-8, one line) set at `size` points, bold or regular.
using TextWidth = std::function<double(std::string_view text, double size, bool bold)>;

struct ListLayout {
    double font_pt = 12.0;
    std::vector<double> widths;  // points, one per column, summing to the total
};

// The type size and column widths of a list (headings bold; cells may hold several lines
// separated by '\n'), sized to its content to fill `total` points; `padding` is the room the
// cell margins take in each column (both sides). No column is narrower than its longest word
// (a serial of 32 hex digits stays on one line): rows are wrapped into as few lines L as the
// width allows (L found from the rows' line counts — the 95th percentile of a sample of at most
// 400 rows — with the headings allowed max(L, 3) lines), then the spare room goes to the columns
// whose text is still wrapped. The type starts at table_font_pt() and goes down a point at a
// time (at most two, not below 8 pt) when the longest words do not fit, or when that makes the
// rows lower. Only when even then the words do not fit, the columns shrink alike and the writers
// break words (fit_columns). Widths of text scale with the type size.
ListLayout plan_list(const std::vector<std::string>& headings,
                     const std::vector<std::vector<std::string>>& rows, double total,
                     bool landscape, double padding, const TextWidth& width);

// libharu keeps every page of a PDF in one page-tree node of at most HPDF_LIMIT_MAX_ARRAY
// (32,767) entries (pdf_canvas.cpp checks the value and refuses a longer document). A list row
// takes at most one page unless it alone is taller than a page (it then continues on the next),
// so a letter of `rows` ordinary rows needs at most rows + its own pages; kLetterPagesReserve
// pages are kept for the letter around the list.
inline constexpr std::size_t kMaxPdfPages = 32767;
inline constexpr std::size_t kLetterPagesReserve = 767;
inline constexpr std::size_t kMaxPdfRows = kMaxPdfPages - kLetterPagesReserve;  // 32,000

// Whether a letter listing `rows` rows surely fits in one PDF; checked before anything is
// rendered (a pure bound: no fonts, no pages). Error letter.too_many_rows.
Status check_pdf_rows(std::size_t rows);

// Dates in letters (Decree 30/2020, Appendix I, field 5): a day below 10 and the months 1 and 2
// take a leading zero, no other month does: day 5 → "05", month 2 → "02", month 7 → "7".
std::string decree30_day(int day);
std::string decree30_month(int month);
// "ngày 05 tháng 7 năm 2025".
std::string decree30_date(int year, int month, int day);

inline constexpr double mm_to_pt(double mm) {
    return mm * 72.0 / 25.4;
}
inline constexpr int mm_to_twips(double mm) {
    return static_cast<int>(mm * 1440.0 / 25.4 + 0.5);
}

}  // namespace kyso::docs::layout
