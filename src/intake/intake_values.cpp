// kyso intake — what spreadsheets do to values, undone: numbers Excel stored (dropped leading
// zeros, scientific notation), spaces typed into numbers.
#include "intake/intake_values.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

#include "core/values.h"
#include "text/nfc.h"

namespace kyso::intake {

namespace {

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

CleanValue changed(std::string value, std::string_view cell, const char* reason) {
    if (value == cell) return {std::string(cell), {}, {}};
    return {std::move(value), reason, {}};
}

// Kept exactly as written, with a problem to report.
CleanValue problem(std::string_view cell, const char* code) {
    return {std::string(cell), {}, code};
}

// A number as Excel writes it in <v> or a CSV without E-notation: "1088012345",
// "1088012345.0". Returns its digits when it is a whole number of at most 15 significant digits
// (Excel's precision).
std::optional<std::string> excel_integer(std::string_view s) {
    if (all_digits(s)) return std::string(s);
    if (s.empty() || s.size() > 32) return std::nullopt;
    const bool numeric =
        std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
    if (!numeric) return std::nullopt;
    char* end = nullptr;
    const std::string copy(s);
    const double v = std::strtod(copy.c_str(), &end);
    if (end != copy.c_str() + copy.size() || !(v >= 0) || v >= 1e15 || std::floor(v) != v)
        return std::nullopt;
    return std::to_string(static_cast<long long>(v));
}

// More digits than Excel keeps (15), every one after the 15th a zero, and at least two of them:
// a long number (an ICCID, a decimal-looking serial) that Excel stored as a number.
bool past_excel_precision(std::string_view s) {
    return all_digits(s) && s.size() >= 17 &&
           s.find_first_not_of('0', 15) == std::string_view::npos;
}

// Serials of either kind: E-notation and over-long numbers that lost digits are problems; a
// complete E-notation number becomes its digits.
std::optional<CleanValue> serial_number_check(std::string_view cell, const std::string& text) {
    if (auto sc = scientific(text)) {
        if (sc->lost_digits()) return problem(cell, "number_digits_lost");
        if (auto digits = sc->whole()) return changed(*digits, cell, "intake.excel_number");
    }
    if (past_excel_precision(text)) return problem(cell, "number_digits_lost");
    return std::nullopt;
}

}  // namespace

std::optional<std::string> Scientific::whole() const {
    if (digits == 0 || shown.size() < digits) return std::nullopt;
    if (shown.find_first_not_of('0', digits) != std::string::npos) return std::nullopt;
    return shown.substr(0, digits);
}

std::optional<Scientific> scientific(std::string_view text) {
    if (text.empty() || text.size() > 32) return std::nullopt;
    const std::size_t e = text.find_first_of("eE");
    // Excel always writes the sign of the exponent; without it "1E10" is a hex serial.
    if (e == std::string_view::npos || e + 1 >= text.size() || text[e + 1] != '+')
        return std::nullopt;
    const std::string_view exponent = text.substr(e + 2);
    if (!all_digits(exponent) || exponent.size() > 3) return std::nullopt;
    const std::string_view mantissa = text.substr(0, e);
    const std::size_t point = mantissa.find_first_of(".,");
    const std::string_view whole = mantissa.substr(0, point);
    const std::string_view fraction =
        point == std::string_view::npos ? std::string_view() : mantissa.substr(point + 1);
    if (!all_digits(whole) || (point != std::string_view::npos && !all_digits(fraction)))
        return std::nullopt;
    int power = 0;
    std::from_chars(exponent.data(), exponent.data() + exponent.size(), power);
    const std::string all = std::string(whole) + std::string(fraction);
    const std::size_t lead = std::min(all.find_first_not_of('0'), all.size());
    Scientific out;
    if (lead == all.size()) {  // zero
        out.shown = "0";
        out.digits = 1;
        return out;
    }
    out.shown = all.substr(lead);
    // The first shown digit stands for 10^(whole digits after the leading zeros - 1 + power).
    const long first = static_cast<long>(whole.size()) - static_cast<long>(lead) - 1 + power;
    out.digits = first < 0 ? 0 : static_cast<std::size_t>(first + 1);
    return out;
}

CleanValue clean_cccd(std::string_view cell) {
    std::string s(cell);
    std::erase_if(s, [](char c) { return c == ' ' || c == '\t' || c == '\''; });
    if (s != cell && all_digits(s) && s.size() == 12) return changed(s, cell, "intake.spaces");
    std::optional<std::string> digits;
    if (auto sc = scientific(s)) {
        // Digits Excel dropped are gone: padding them with zeros would invent a CCCD.
        if (sc->lost_digits()) return problem(cell, "number_digits_lost");
        digits = sc->whole();
    } else {
        digits = excel_integer(s);
    }
    if (digits) {
        // Every province code starts with 0 (001-096), so Excel drops one or two zeros.
        if (digits->size() == 10 || digits->size() == 11)
            return changed(std::string(12 - digits->size(), '0') + *digits, cell,
                           "intake.leading_zero");
        if (*digits != cell) return changed(*digits, cell, "intake.excel_number");
    }
    return {std::string(cell), {}, {}};
}

CleanValue clean_phone(std::string_view cell) {
    std::string s = text::collapse_spaces(cell);
    if (auto sc = scientific(s)) {
        if (sc->lost_digits()) return problem(cell, "number_digits_lost");
        if (auto digits = sc->whole()) s = *digits;
    }
    std::erase_if(s,
                  [](char c) { return c == ' ' || c == '.' || c == '-' || c == '(' || c == ')'; });
    if (s.empty()) return {std::string(cell), {}, {}};
    if (auto digits = excel_integer(s)) s = *digits;
    if (all_digits(s) && s.size() == 11 && s.rfind("84", 0) == 0) s = "+" + s;
    if (all_digits(s) && s.size() == 9 && s[0] != '0')
        return changed("0" + s, cell, "intake.leading_zero");
    return changed(s, cell, "intake.phone_separators");
}

CleanValue clean_text(std::string_view cell) {
    return changed(text::collapse_spaces(cell), cell, "intake.spaces");
}

CleanValue clean_serial(std::string_view cell) {
    const CleanValue text = clean_text(cell);
    if (text.value.empty()) return text;
    if (auto checked = serial_number_check(cell, text.value)) {
        if (!checked->problem.empty()) return *checked;
        if (auto n = normalize_serial(checked->value))
            return changed(*n, cell, "intake.excel_number");
        return *checked;
    }
    if (auto n = normalize_serial(text.value)) return changed(*n, cell, "intake.serial_format");
    return text;
}

CleanValue clean_device_serial(std::string_view cell) {
    const CleanValue text = clean_text(cell);
    if (text.value.empty()) return text;
    if (auto checked = serial_number_check(cell, text.value)) return *checked;
    return text;
}

}  // namespace kyso::intake
