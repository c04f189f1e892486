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
    // Water-filling: the level L with sum(clamp(L, low, high)) == total, found by bisection.
    auto used = [&](double level) {
        double sum = 0.0;
        for (std::size_t i = 0; i < n; ++i) sum += std::clamp(level, low[i], high[i]);
        return sum;
    };
    double lo = 0.0;
    double hi = *std::max_element(high.begin(), high.end());
    for (int k = 0; k < 60; ++k) {
        const double mid = (lo + hi) / 2.0;
        (used(mid) < total ? lo : hi) = mid;
    }
    for (std::size_t i = 0; i < n; ++i) out[i] = std::clamp(hi, low[i], high[i]);
    return out;
}

}  // namespace kyso::docs::layout
