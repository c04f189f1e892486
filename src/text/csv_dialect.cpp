// kyso text — which separator an agency's CSV file uses: a `sep=` first line, else the one that
// makes a header line.
#include "text/csv_dialect.h"

#include <array>
#include <optional>

#include "core/messages.h"
#include "text/csv.h"

namespace kyso::text {

namespace {

constexpr std::array<char, 3> kCandidates{',', ';', '\t'};

bool is_line_end(char c) {
    return c == '\r' || c == '\n';
}

bool ascii_alnum(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// The first line when it is a `sep=` line: its separator (0 when it names no usable one) and
// its length with the line end. nullopt when the first line is something else.
struct SepLine {
    char separator = 0;
    std::size_t length = 0;
};
std::optional<SepLine> sep_line(std::string_view text) {
    std::size_t end = 0;
    while (end < text.size() && end <= kMaxSepLine && !is_line_end(text[end])) ++end;
    if (end > kMaxSepLine) return std::nullopt;
    std::string_view line = text.substr(0, end);
    if (line.size() >= 2 && line.front() == '"' && line.back() == '"')
        line = line.substr(1, line.size() - 2);
    if (line.size() < 4) return std::nullopt;
    std::string lower(line.substr(0, 4));
    for (char& c : lower) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (lower != "sep=") return std::nullopt;
    SepLine out;
    // Through the line end: CRLF, LF or a lone CR.
    out.length = end;
    if (out.length < text.size() && text[out.length] == '\r') ++out.length;
    if (out.length < text.size() && text[out.length] == '\n') ++out.length;
    const std::string_view rest = line.substr(4);
    if (rest.empty()) return out;
    const char sep = rest.front();
    if (sep == '"' || ascii_alnum(sep) || static_cast<unsigned char>(sep) >= 0x80 ||
        (static_cast<unsigned char>(sep) < 0x20 && sep != '\t'))
        return out;
    if (rest.find_first_not_of(sep) != std::string_view::npos) return out;
    out.separator = sep;
    return out;
}

// A separator in a message: a character in quotes, TAB by name.
std::string quoted(char separator) {
    return separator == '\t' ? "TAB" : "'" + separator_name(separator) + "'";
}

std::size_t default_score(const std::vector<std::string>& fields) {
    std::size_t filled = 0;
    for (const auto& f : fields) filled += f.empty() ? 0 : 1;
    return filled >= 2 ? filled : 0;
}

// The best score of the first records of `text` split by `separator`. A quoting error or a
// record over the limits ends the search: what was read before it still counts.
std::size_t best_score(std::string_view text, char separator, const HeaderScore& score) {
    CsvLimits limits;
    limits.max_record = kDialectSearchBytes;
    std::string prefix(text.substr(0, kDialectSearchBytes));
    auto reader = CsvReader::from_string(std::move(prefix), "", limits, {separator, true});
    if (!reader) return 0;
    std::size_t best = score ? score(reader->header()) : default_score(reader->header());
    for (std::size_t n = 1; n < kDialectSearchRecords; ++n) {
        auto more = reader->next();
        if (!more || !*more) break;
        best = std::max(best, score ? score(reader->fields()) : default_score(reader->fields()));
    }
    return best;
}

}  // namespace

std::string separator_name(char separator) {
    switch (separator) {
        case '\t':
            return "TAB";
        case ' ':
            return "SPACE";
        default:
            return std::string(1, separator);
    }
}

Result<CsvDialect> detect_csv_dialect(std::string_view text, const std::string& name,
                                      const HeaderScore& score) {
    CsvDialect dialect;
    if (auto sep = sep_line(text)) {
        if (sep->separator == 0) {
            const std::string_view line = text.substr(0, sep->length);
            const auto shown = line.substr(0, line.find_first_of("\r\n"));
            return make_error("csv.bad_sep_line", Location{name, 0, {}, {}}, {shown});
        }
        dialect = CsvDialect{sep->separator, true, sep->length};
        if (score && best_score(text.substr(sep->length), sep->separator, score) == 0) {
            return make_error("csv.no_header", Location{name, 0, {}, {}},
                              {name, quoted(sep->separator) + " (sep=)"});
        }
        return dialect;
    }
    std::size_t best = 0;
    for (const char candidate : kCandidates) {
        const std::size_t s = best_score(text, candidate, score);
        if (s > best) {
            best = s;
            dialect.separator = candidate;
        }
    }
    if (best == 0 && score) {
        std::string tried;
        for (const char candidate : kCandidates) {
            if (!tried.empty()) tried += ", ";
            tried += quoted(candidate);
        }
        return make_error("csv.no_header", Location{name, 0, {}, {}}, {name, tried});
    }
    return dialect;
}

}  // namespace kyso::text
