// kyso docs — the page geometry of Decree 30/2020/NĐ-CP shared by the DOCX and PDF writers.
#include "docs/letter_layout.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "core/messages.h"

namespace kyso::docs::layout {

Status check_pdf_rows(std::size_t rows) {
    if (rows <= kMaxPdfRows) return Ok{};
    return make_error(
        "letter.too_many_rows", Location{},
        {std::to_string(rows), std::to_string(kMaxPdfRows), std::to_string(kMaxPdfPages)});
}

std::string decree30_day(int day) {
    return (day >= 0 && day < 10 ? "0" : "") + std::to_string(day);
}

std::string decree30_month(int month) {
    return (month == 1 || month == 2 ? "0" : "") + std::to_string(month);
}

std::string decree30_date(int year, int month, int day) {
    return "ngày " + decree30_day(day) + " tháng " + decree30_month(month) + " năm " +
           std::to_string(year);
}

double table_font_pt(std::size_t columns, bool landscape) {
    // Landscape pages are half as wide again: two or three columns more at the same size.
    if (landscape) {
        if (columns <= 7) return 12.0;
        if (columns <= 9) return 11.0;
        return columns <= 10 ? 10.0 : 9.0;
    }
    if (columns <= 5) return 12.0;
    if (columns <= 7) return 11.0;
    return 10.0;
}

std::vector<double> fit_columns(const std::vector<double>& minimum,
                                const std::vector<double>& preferred, double total) {
    const std::size_t n = minimum.size();
    std::vector<double> out(n, 0.0);
    if (n == 0) return out;
    std::vector<double> low(n);
    std::vector<double> high(n);
    for (std::size_t i = 0; i < n; ++i) {
        low[i] = std::max(minimum[i], 1.0);
        high[i] = std::max(i < preferred.size() ? preferred[i] : 0.0, low[i]);
    }
    const double sum_low = std::accumulate(low.begin(), low.end(), 0.0);
    const double sum_high = std::accumulate(high.begin(), high.end(), 0.0);
    if (sum_low >= total) {
        // Not even the longest words fit: shrink them all alike (writers then break words).
        for (std::size_t i = 0; i < n; ++i) out[i] = low[i] * total / sum_low;
        return out;
    }
    if (sum_high <= total) {
        for (std::size_t i = 0; i < n; ++i) out[i] = high[i] * total / sum_high;
        return out;
    }
    // Short texts (names, dates, positions) read badly when broken: columns whose whole text is
    // at most 1.5 times an equal share get it, shortest first, while the others can still have
    // their minimum; the remaining columns then share what is left.
    const double share = 1.5 * total / static_cast<double>(n);
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return high[a] < high[b]; });
    double budget = total - sum_low;
    for (const std::size_t i : order) {
        if (high[i] > share || high[i] - low[i] > budget) break;
        budget -= high[i] - low[i];
        low[i] = high[i];
    }
    // Each remaining column gets the same fraction t of its text on one line (so the columns
    // wrap into about as many lines: a long text is not squeezed to the width of a short one),
    // never less than its longest word: t with sum(clamp(t * high, low, high)) == total, found by
    // bisection.
    auto used = [&](double t) {
        double sum = 0.0;
        for (std::size_t i = 0; i < n; ++i) sum += std::clamp(t * high[i], low[i], high[i]);
        return sum;
    };
    double lo = 0.0;
    double hi = 1.0;
    for (int k = 0; k < 60; ++k) {
        const double mid = (lo + hi) / 2.0;
        (used(mid) < total ? lo : hi) = mid;
    }
    for (std::size_t i = 0; i < n; ++i) out[i] = std::clamp(hi * high[i], low[i], high[i]);
    return out;
}

namespace {

// A cell as its paragraphs of words, widths at 1 pt (text width scales with the type size).
struct Words {
    std::vector<std::vector<double>> paragraphs;
    double widest = 0.0;   // the longest word
    double longest = 0.0;  // the longest paragraph on one line
};

Words words_of(std::string_view cell, bool bold, const TextWidth& width, double space) {
    Words out;
    std::size_t pos = 0;
    while (pos <= cell.size()) {
        const auto nl = std::min(cell.find('\n', pos), cell.size());
        std::vector<double> para;
        double line = 0.0;
        std::size_t w = pos;
        while (w < nl) {
            const auto end = std::min(cell.find(' ', w), nl);
            if (end > w) {
                const double ww = width(cell.substr(w, end - w), 1.0, bold);
                para.push_back(ww);
                out.widest = std::max(out.widest, ww);
                line += (line > 0.0 ? space : 0.0) + ww;
            }
            w = end + 1;
        }
        out.longest = std::max(out.longest, line);
        out.paragraphs.push_back(std::move(para));
        pos = nl + 1;
    }
    return out;
}

// Lines of greedy wrapping at `w` (1 pt units).
int lines_at(const Words& cell, double w, double space) {
    int lines = 0;
    for (const auto& para : cell.paragraphs) {
        ++lines;
        double cur = -1.0;
        for (const double ww : para) {
            if (cur < 0.0) {
                cur = ww;
            } else if (cur + space + ww <= w) {
                cur += space + ww;
            } else {
                ++lines;
                cur = ww;
            }
        }
    }
    return lines;
}

// The narrowest width (1 pt units) at which `cell` takes at most `limit` lines.
double width_for(const Words& cell, int limit, double space) {
    if (lines_at(cell, cell.longest, space) <= limit) {
        double lo = cell.widest;
        double hi = cell.longest;
        if (lines_at(cell, lo, space) <= limit) return lo;
        for (int k = 0; k < 16; ++k) {
            const double mid = (lo + hi) / 2.0;
            (lines_at(cell, mid, space) <= limit ? hi : lo) = mid;
        }
        return hi;
    }
    return cell.longest;  // more paragraphs than `limit`: one line each
}

struct Candidate {
    double size = 0.0;
    int lines = 0;  // L; 0: the longest words do not fit
    std::vector<double> widths;
    bool keep_short = false;
};

}  // namespace

ListLayout plan_list(const std::vector<std::string>& headings,
                     const std::vector<std::vector<std::string>>& rows, double total,
                     bool landscape, double padding, const TextWidth& width) {
    const std::size_t n = headings.size();
    ListLayout out;
    out.font_pt = table_font_pt(n, landscape);
    if (n == 0) return out;
    const double space = width(" ", 1.0, false);
    const double space_bold = width(" ", 1.0, true);
    // Longest words and one-line widths over every row; the wrapping over a sample.
    std::vector<Words> head;
    std::vector<double> widest(n, 0.0);
    std::vector<double> longest(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        head.push_back(words_of(headings[i], true, width, space_bold));
        widest[i] = head[i].widest;
    }
    constexpr std::size_t kSample = 400;
    const std::size_t step = rows.size() > kSample ? rows.size() / kSample + 1 : 1;
    std::vector<std::vector<Words>> sample(n);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        for (std::size_t i = 0; i < n; ++i) {
            Words w =
                words_of(i < rows[r].size() ? rows[r][i] : std::string(), false, width, space);
            widest[i] = std::max(widest[i], w.widest);
            longest[i] = std::max(longest[i], w.longest);
            if (r % step == 0) sample[i].push_back(std::move(w));
        }
    }
    // Width (1 pt units) column i needs for its rows in `limit` lines (95th percentile).
    auto need = [&](std::size_t i, int limit) {
        std::vector<double> ws;
        for (const auto& cell : sample[i]) ws.push_back(width_for(cell, limit, space));
        double rows_need = widest[i];
        if (!ws.empty()) {
            std::sort(ws.begin(), ws.end());
            rows_need = std::max(rows_need, ws[(ws.size() - 1) * 95 / 100]);
        }
        return std::max(rows_need, width_for(head[i], std::max(limit, 3), space_bold));
    };
    std::vector<std::vector<double>> needs(13);  // by limit; independent of the type size
    auto need_at = [&](int limit) -> const std::vector<double>& {
        auto& at_limit = needs[static_cast<std::size_t>(limit)];
        if (at_limit.empty()) {
            for (std::size_t i = 0; i < n; ++i) at_limit.push_back(need(i, limit));
        }
        return at_limit;
    };
    const double base = out.font_pt;
    std::vector<Candidate> candidates;
    // Short texts (names, dates, positions: at most 1.5 times an equal share on one line) read
    // badly when broken: they stay on one line when that costs less than about half a line.
    for (const bool keep_short : {true, false}) {
        for (double size = base; size >= std::max(8.0, base - 2.0); size -= 1.0) {
            Candidate c;
            c.size = size;
            c.keep_short = keep_short;
            for (int limit = 1; limit <= 12 && c.lines == 0; ++limit) {
                std::vector<double> ws(n);
                double sum = 0.0;
                for (std::size_t i = 0; i < n; ++i) {
                    // A short text wraps into two lines at most (one with keep_short), never a
                    // word a line.
                    const double one_line = longest[i] * size + padding + 0.5;
                    const bool is_short = one_line <= 1.5 * total / static_cast<double>(n);
                    const int lim = is_short ? std::min(limit, keep_short ? 1 : 2) : limit;
                    ws[i] = need_at(lim)[i] * size + padding + 0.5;
                    sum += ws[i];
                }
                if (sum <= total) {
                    c.lines = limit;
                    c.widths = std::move(ws);
                }
            }
            candidates.push_back(std::move(c));
        }
    }
    // The lowest rows (lines × size), smaller type and broken short texts counting against.
    auto score = [&](const Candidate& c) {
        return c.lines * c.size * (1.0 + 0.15 * (base - c.size)) +
               (c.keep_short ? 0.0 : 0.6 * c.size);
    };
    const Candidate* best = nullptr;
    for (const auto& c : candidates) {
        if (c.lines == 0) continue;
        if (best == nullptr || score(c) < score(*best) - 0.01) best = &c;
    }
    if (best == nullptr) {
        // Not even the longest words fit at the smallest size: shrink alike.
        out.font_pt = candidates.back().size;
        std::vector<double> minimum(n);
        std::vector<double> preferred(n);
        for (std::size_t i = 0; i < n; ++i) {
            minimum[i] = widest[i] * out.font_pt + padding;
            preferred[i] = longest[i] * out.font_pt + padding;
        }
        out.widths = fit_columns(minimum, preferred, total);
        return out;
    }
    out.font_pt = best->size;
    out.widths = best->widths;
    // The spare room: to the columns still wrapped, each up to its text on one line, those
    // needing least first (names, dates, positions read badly when broken); what no longer
    // suffices for a whole column is shared in proportion; then any rest to all alike.
    double spare = total - std::accumulate(out.widths.begin(), out.widths.end(), 0.0);
    std::vector<double> want(n);
    for (std::size_t i = 0; i < n; ++i) {
        want[i] = std::max(0.0, longest[i] * out.font_pt + padding + 0.5 - out.widths[i]);
    }
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return want[a] < want[b]; });
    std::size_t k = 0;
    for (; k < n && want[order[k]] <= spare; ++k) {
        out.widths[order[k]] += want[order[k]];
        spare -= want[order[k]];
    }
    double wanted = 0.0;
    for (std::size_t j = k; j < n; ++j) wanted += want[order[j]];
    if (wanted > 0.0) {
        const double share = std::min(1.0, spare / wanted);
        for (std::size_t j = k; j < n; ++j) out.widths[order[j]] += want[order[j]] * share;
        spare -= wanted * share;
    }
    if (spare > 0.0) {
        const double sum = std::accumulate(out.widths.begin(), out.widths.end(), 0.0);
        for (auto& w : out.widths) w += spare * w / sum;
    }
    return out;
}

}  // namespace kyso::docs::layout
