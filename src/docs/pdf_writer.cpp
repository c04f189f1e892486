// kyso docs — a letter or record as PDF: the Decree 30/2020 layout drawn on a libharu canvas.
#include <algorithm>
#include <string>
#include <vector>

#include "core/messages.h"
#include "docs/letter.h"
#include "docs/letter_layout.h"
#include "docs/pdf_canvas.h"

namespace kyso::docs {

namespace {

using pdf::Canvas;
using pdf::Face;
using namespace layout;

double line_height(double size) {
    return size * kLineSpacing;
}

// The baseline of a line of `size` type set in a box of height `lh` whose top is at `top`:
// Liberation Serif's ascent is 0.891 em and its descent 0.216 em; the rest is shared evenly.
double baseline(double top, double size, double lh) {
    return top + (lh - 1.107 * size) / 2.0 + 0.891 * size;
}

bool is_number(const std::string& s) {
    return !s.empty() && s.size() <= 4 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string> split_lines(const std::string& s) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (true) {
        const auto nl = s.find('\n', pos);
        out.push_back(s.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
        if (nl == std::string::npos) break;
        pos = nl + 1;
    }
    return out;
}

class LetterPdf {
public:
    LetterPdf(Canvas& canvas, const RenderedLetter& letter) : c_(canvas), l_(letter) {
        start_page(false);
    }

    Status draw() {
        header();
        title();
        recipients();
        for (const auto& p : l_.body) paragraph(p);
        const bool appendix = !l_.appendix_title.empty();
        if (!appendix) {
            if (auto s = tables(); !s) return s;
        }
        closing();
        if (appendix) {
            start_page(true);
            for (const auto& t : l_.appendix_title) {
                const double size = t.italic ? kBodyPt - 1.0 : kTitlePt;
                y_ = centered(left_, right_ - left_, y_, t.text, pdf::face_of(t.bold, t.italic),
                              size, line_height(size));
            }
            if (auto s = tables(); !s) return s;
        }
        return c_.status();
    }

private:
    // Lines of `text` wrapped to `w` and centred in [x, x + w); returns the y below them.
    // Several lines are balanced (the narrowest width giving as many lines), so that a header
    // or title never ends with one short word alone.
    double centered(double x, double w, double y, const std::string& text, Face face, double size,
                    double lh, bool draw = true) {
        if (text.empty()) return y;
        auto lines = c_.wrap(text, face, size, w, w);
        if (lines.size() > 1) {
            double lo = w / static_cast<double>(lines.size());
            double hi = w;
            for (int k = 0; k < 20; ++k) {
                const double mid = (lo + hi) / 2.0;
                (c_.wrap(text, face, size, mid, mid).size() > lines.size() ? lo : hi) = mid;
            }
            lines = c_.wrap(text, face, size, hi, hi);
        }
        for (const auto& line : lines) {
            if (draw) {
                c_.text(x + (w - c_.width(line, face, size)) / 2.0, baseline(y, size, lh), line,
                        face, size);
            }
            y += lh;
        }
        return y;
    }

    void start_page(bool landscape) {
        c_.new_page(landscape);
        landscape_ = landscape;
        const auto& g = landscape ? kLandscape : kPortrait;
        left_ = mm_to_pt(g.left_mm);
        right_ = c_.page_width() - mm_to_pt(g.right_mm);
        top_ = mm_to_pt(g.top_mm);
        bottom_ = c_.page_height() - mm_to_pt(g.bottom_mm);
        y_ = top_;
    }

    void ensure(double h) {
        if (y_ + h > bottom_ && y_ > top_) start_page(landscape_);
    }

    // Decree 30 header: issuing body (left) and Quốc hiệu, Tiêu ngữ (right) on shared rows,
    // each with its rule; then the number and the place and date on one row; then "V/v ...".
    void header() {
        const double lw = mm_to_pt(kHeaderLeftMm);
        const double xl = left_;
        const double xr = left_ + lw;
        const double rw = right_ - xr;
        const double lh = line_height(kMottoPt);
        double ly = centered(xl, lw, y_, l_.superior_body, Face::regular, kBodyHeaderPt, lh);
        ly = centered(xl, lw, ly, l_.issuing_body, Face::bold, kBodyHeaderPt, lh);
        const double rule_l = mm_to_pt(kIssuingRuleMm);
        c_.rule(xl + (lw - rule_l) / 2.0, xl + (lw + rule_l) / 2.0, ly + 2.5);
        double ry = centered(xr, rw, y_, l_.national_title, Face::bold, kNationalTitlePt, lh);
        ry = centered(xr, rw, ry, l_.motto, Face::bold, kMottoPt, lh);
        const double motto_w = c_.width(l_.motto, Face::bold, kMottoPt);
        c_.rule(xr + (rw - motto_w) / 2.0, xr + (rw + motto_w) / 2.0, ry + 2.5);

        // The number and the date share a baseline (Decree 30, Appendix I, fields 4 and 5).
        const double row = std::max(ly, ry) + 8.0;
        const double row_lh = line_height(kPlaceDatePt);
        ly = centered(xl, lw, row, l_.number, Face::regular, kNumberPt, row_lh);
        ry = centered(xr, rw, row, l_.place_date, Face::italic, kPlaceDatePt, row_lh);
        ly = centered(xl, lw, ly, l_.subject, Face::regular, kSubjectPt, line_height(kSubjectPt));
        y_ = std::max({ly, ry, row});
    }

    void title() {
        if (l_.title.empty()) return;
        y_ += 18.0;
        for (const auto& t : l_.title) {
            const double size = t.italic ? kBodyPt - 1.0 : kTitlePt;
            y_ = centered(left_, right_ - left_, y_, t.text, pdf::face_of(t.bold, t.italic), size,
                          line_height(size));
        }
        y_ += kParagraphSpacingPt;
    }

    // "Kính gửi: X" centred when it fits on one line; otherwise the recipients hang after the
    // label, several as a dash list.
    void recipients() {
        if (l_.recipients.empty()) return;
        const double size = kBodyPt;
        const double lh = line_height(size);
        y_ += 14.0;
        const std::string label = l_.recipients_label + " ";
        const double label_w = c_.width(label, Face::regular, size);
        if (l_.recipients.size() == 1) {
            const double total = label_w + c_.width(l_.recipients[0], Face::regular, size);
            if (total <= right_ - left_ - 2.0 * mm_to_pt(kFirstLineIndentMm)) {
                const double x = left_ + (right_ - left_ - total) / 2.0;
                c_.text(x, baseline(y_, size, lh), label, Face::regular, size);
                c_.text(x + label_w, baseline(y_, size, lh), l_.recipients[0], Face::regular, size);
                y_ += lh;
                return;
            }
        }
        const double x0 = left_ + mm_to_pt(l_.recipients.size() == 1 ? kFirstLineIndentMm : 25.0);
        const double xt = x0 + label_w;
        c_.text(x0, baseline(y_, size, lh), label, Face::regular, size);
        for (const auto& item : l_.recipients) {
            for (const auto& line : c_.wrap(item, Face::regular, size, right_ - xt, right_ - xt)) {
                ensure(lh);
                c_.text(xt, baseline(y_, size, lh), line, Face::regular, size);
                y_ += lh;
            }
        }
    }

    // A body paragraph: justified, first-line indent, a little space before.
    void paragraph(const StyledText& p) {
        const double size = kBodyPt;
        const double lh = line_height(size);
        const double indent = mm_to_pt(kFirstLineIndentMm);
        const double w = right_ - left_;
        const Face face = pdf::face_of(p.bold, p.italic);
        if (y_ > top_) y_ += kParagraphSpacingPt;
        const auto lines = c_.wrap(p.text, face, size, w - indent, w);
        for (std::size_t i = 0; i < lines.size(); ++i) {
            ensure(lh);
            const double x = i == 0 ? left_ + indent : left_;
            const double bl = baseline(y_, size, lh);
            if (i + 1 < lines.size()) {
                c_.justified(x, bl, right_ - x, lines[i], face, size);
            } else {
                c_.text(x, bl, lines[i], face, size);
            }
            y_ += lh;
        }
    }

    struct Row {
        std::vector<std::vector<std::string>> lines;  // per cell
        double height = 0;
    };

    Row layout_row(const std::vector<std::string>& cells, Face face) const {
        Row row;
        std::size_t most = 1;
        for (std::size_t i = 0; i < widths_.size(); ++i) {
            std::vector<std::string> lines;
            const double w = widths_[i] - 2.0 * kPadH;
            for (const auto& part : split_lines(i < cells.size() ? cells[i] : std::string())) {
                for (auto& line : c_.wrap(part, face, table_pt_, w, w)) {
                    lines.push_back(std::move(line));
                }
            }
            most = std::max(most, lines.size());
            row.lines.push_back(std::move(lines));
        }
        row.height = static_cast<double>(most) * line_height(table_pt_) + 2.0 * kPadV;
        return row;
    }

    void draw_row(const Row& row, Face face, bool heading) {
        const double lh = line_height(table_pt_);
        double x = left_;
        for (std::size_t i = 0; i < widths_.size(); ++i) {
            c_.box(x, y_, widths_[i], row.height);
            const auto& lines = row.lines[i];
            double top = y_ + (row.height - static_cast<double>(lines.size()) * lh) / 2.0;
            const bool centre = heading || (lines.size() == 1 && is_number(lines[0]));
            for (const auto& line : lines) {
                const double lw = c_.width(line, face, table_pt_);
                const double lx = centre ? x + (widths_[i] - lw) / 2.0 : x + kPadH;
                c_.text(lx, baseline(top, table_pt_, lh), line, face, table_pt_);
                top += lh;
            }
            x += widths_[i];
        }
        y_ += row.height;
    }

    // The lists, one after the other, each under its title lines.
    Status tables() {
        for (const auto& list : l_.lists) {
            if (list.headings.empty()) continue;
            for (const auto& t : list.title) {
                const Face face = pdf::face_of(t.bold, t.italic);
                const double lh = line_height(kBodyPt);
                y_ += kParagraphSpacingPt;
                const auto lines = c_.wrap(t.text, face, kBodyPt, right_ - left_, right_ - left_);
                ensure(static_cast<double>(lines.size()) * lh + 4.0 * lh);
                for (const auto& line : lines) {
                    c_.text(left_, baseline(y_, kBodyPt, lh), line, face, kBodyPt);
                    y_ += lh;
                }
            }
            if (auto s = table(list); !s) return s;
        }
        return Ok{};
    }

    // A list: bordered, cells wrapped, the heading row repeated on every page it spans; type
    // size and column widths from its content (layout::plan_list).
    Status table(const RenderedList& list) {
        const auto plan =
            plan_list(list.headings, list.rows, right_ - left_, landscape_, 2 * kPadH,
                      [&](std::string_view text, double size, bool bold) {
                          return c_.width(text, bold ? Face::bold : Face::regular, size);
                      });
        table_pt_ = plan.font_pt;
        widths_ = plan.widths;
        const Row head = layout_row(list.headings, Face::bold);
        y_ += kParagraphSpacingPt;
        const Row first = list.rows.empty() ? Row{} : layout_row(list.rows[0], Face::regular);
        ensure(head.height + first.height);
        draw_row(head, Face::bold, true);
        for (std::size_t r = 0; r < list.rows.size(); ++r) {
            Row row = r == 0 ? first : layout_row(list.rows[r], Face::regular);
            // A row taller than a page continues on the next (its first lines here, the rest
            // under the repeated heading); any other row that does not fit starts a new page.
            while (y_ + row.height > bottom_) {
                const bool taller_than_a_page = head.height + row.height > bottom_ - top_;
                const std::size_t fit = lines_that_fit();
                if (taller_than_a_page && fit > 0) {
                    Row rest = split_row(row, fit);
                    draw_row(row, Face::regular, false);
                    row = std::move(rest);
                }
                start_page(landscape_);
                draw_row(head, Face::bold, true);
                if (taller_than_a_page && lines_that_fit() == 0) {
                    return make_error("letter.row_too_tall",
                                      Location{{}, static_cast<int>(r + 1), {}, {}},
                                      {std::to_string(r + 1)});
                }
            }
            draw_row(row, Face::regular, false);
        }
        return Ok{};
    }

    // How many lines of the list's type fit between y_ and the bottom margin in one row.
    std::size_t lines_that_fit() const {
        const double room = bottom_ - y_ - 2.0 * kPadV;
        return room <= 0 ? 0 : static_cast<std::size_t>(room / line_height(table_pt_));
    }

    // Keeps the first `lines` lines of every cell in `row` and returns the rest as a row.
    Row split_row(Row& row, std::size_t lines) const {
        Row rest;
        std::size_t most = 0;
        for (auto& cell : row.lines) {
            const std::size_t keep = std::min(lines, cell.size());
            rest.lines.emplace_back(cell.begin() + static_cast<std::ptrdiff_t>(keep), cell.end());
            cell.resize(keep);
            most = std::max(most, rest.lines.back().size());
        }
        row.height = static_cast<double>(lines) * line_height(table_pt_) + 2.0 * kPadV;
        rest.height = static_cast<double>(most) * line_height(table_pt_) + 2.0 * kPadV;
        return rest;
    }

    // Signer's titles, room for the signature and seal, the name; returns the y below.
    double signature_block(double x, double w, double y, const SignatureBlock& b, bool draw) {
        for (const auto& t : b.lines) {
            const double size = t.italic ? kSignaturePt - 1.0 : kSignaturePt;
            y = centered(x, w, y, t.text, pdf::face_of(t.bold, t.italic), size, line_height(size),
                         draw);
        }
        y += mm_to_pt(kSignatureSpaceMm);
        return centered(x, w, y, b.name, Face::bold, kSignaturePt, line_height(kSignaturePt), draw);
    }

    // "Nơi nhận:" in bold italic, then its dash list in small type.
    double copies_block(double x, double w, double y, bool draw) {
        if (l_.copies_to.empty()) return y;
        const double lh = line_height(kCopiesLabelPt);
        if (draw) {
            c_.text(x, baseline(y, kCopiesLabelPt, lh), l_.copies_label, Face::bold_italic,
                    kCopiesLabelPt);
        }
        y += lh;
        const double size = kCopiesPt;
        const double item_lh = size * 1.1;
        const double hang = c_.width("- ", Face::regular, size);
        for (const auto& item : l_.copies_to) {
            const auto lines = c_.wrap(item, Face::regular, size, w, w - hang);
            for (std::size_t k = 0; k < lines.size(); ++k) {
                if (draw) {
                    c_.text(x + (k == 0 ? 0.0 : hang), baseline(y, size, item_lh), lines[k],
                            Face::regular, size);
                }
                y += item_lh;
            }
        }
        return y;
    }

    // Height of the signature area (letter: with "Nơi nhận" beside it; record: the blocks).
    double signatures_height() {
        const double lw = mm_to_pt(kHeaderLeftMm);
        const double w = right_ - left_;
        if (l_.signatures.size() == 1) {
            return std::max(copies_block(left_, lw, 0, false),
                            signature_block(left_ + lw, w - lw, 0, l_.signatures[0], false));
        }
        const double cw = w / static_cast<double>(std::max<std::size_t>(l_.signatures.size(), 1));
        double h = 0;
        for (const auto& b : l_.signatures) h = std::max(h, signature_block(0, cw, 0, b, false));
        return h;
    }

    // The closing paragraphs and the signature stay on one page: a signature is never alone on
    // a page without text above it.
    void closing() {
        const double lh = line_height(kBodyPt);
        const double w = right_ - left_;
        double h = kSignatureGapPt + signatures_height();
        for (const auto& p : l_.closing) {
            const auto lines = c_.wrap(p.text, pdf::face_of(p.bold, p.italic), kBodyPt,
                                       w - mm_to_pt(kFirstLineIndentMm), w);
            h += kParagraphSpacingPt + static_cast<double>(lines.size()) * lh;
        }
        if (y_ + h > bottom_ && h <= bottom_ - top_) start_page(landscape_);
        for (const auto& p : l_.closing) paragraph(p);
        signatures();
    }

    void signatures() {
        const double lw = mm_to_pt(kHeaderLeftMm);
        const double w = right_ - left_;
        const double h = signatures_height();
        y_ += kSignatureGapPt;
        ensure(h);
        if (l_.signatures.size() == 1) {
            // Letter: "Nơi nhận" on the left, the signature block on the right; "Nơi nhận:"
            // shares its baseline with the signer's first line.
            const double shift = baseline(0, kSignaturePt, line_height(kSignaturePt)) -
                                 baseline(0, kCopiesLabelPt, line_height(kCopiesLabelPt));
            copies_block(left_, lw, y_ + shift, true);
            signature_block(left_ + lw, w - lw, y_, l_.signatures[0], true);
            y_ += h;
            return;
        }
        // Record: the blocks side by side in equal columns, then "Nơi nhận" if any.
        const double cw = w / static_cast<double>(l_.signatures.size());
        for (std::size_t i = 0; i < l_.signatures.size(); ++i) {
            signature_block(left_ + cw * static_cast<double>(i), cw, y_, l_.signatures[i], true);
        }
        y_ += h;
        if (!l_.copies_to.empty()) {
            y_ += kSignatureGapPt;
            ensure(copies_block(left_, lw, 0, false));
            y_ = copies_block(left_, lw, y_, true);
        }
    }

    static constexpr double kSignatureGapPt = 12.0;
    static constexpr double kPadH = 3.0;
    static constexpr double kPadV = 2.5;

    Canvas& c_;
    const RenderedLetter& l_;
    double left_ = 0, right_ = 0, top_ = 0, bottom_ = 0, y_ = 0;
    double table_pt_ = 12.0;
    bool landscape_ = false;
    std::vector<double> widths_;
};

}  // namespace

Status write_letter_pdf(const RenderedLetter& letter, const std::string& path) {
    auto canvas = Canvas::open();
    if (!canvas) return canvas.error();
    LetterPdf pdf(**canvas, letter);
    if (auto s = pdf.draw(); !s) {
        s.error().where.file = path;
        return s;
    }
    return (*canvas)->save(path);
}

}  // namespace kyso::docs
