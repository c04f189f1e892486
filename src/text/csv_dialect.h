// kyso text — which separator an agency's CSV file uses: a `sep=` first line, else the one that
// makes a header line.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kyso::text {

// How a CSV file is laid out. Excel writes the list separator of the Windows region: `,` in most,
// `;` where the decimal mark is a comma (Vietnamese, German, French ...), TAB for "Unicode text".
struct CsvDialect {
    char separator = ',';
    bool from_sep_line = false;  // the file began with a `sep=X` line (it is not part of the table)
    std::size_t skip_bytes = 0;  // length of that line with its line end: where the table starts
};

// How good a candidate header row is: 0 when it is not a header, higher for a better one (e.g.
// the number of columns recognized).
using HeaderScore = std::function<std::size_t(const std::vector<std::string>&)>;

// Where a header is looked for: the first records, within the first bytes of the text.
inline constexpr std::size_t kDialectSearchRecords = 30;
inline constexpr std::size_t kDialectSearchBytes = std::size_t{1} << 20;
// A `sep=` line longer than this is not one.
inline constexpr std::size_t kMaxSepLine = 64;

// Detection on decoded text (decode.h: UTF-8 without BOM), in order:
//  1. a first line `sep=X` (as Excel writes it, case-insensitive, optionally in quotes) sets the
//     separator; X may be repeated up to the line end. A `sep=` line without a usable character
//     (none, a quote, a letter or digit) is an error (csv.bad_sep_line).
//  2. otherwise each of `,` `;` TAB splits the first kDialectSearchRecords records (quotes
//     respected, so a quoted `;` is text), and the separator whose best record scores highest
//     wins; ties go to the earlier in that order. Without `score`, a record scores its number of
//     non-empty fields when it has two or more.
// When `score` is given and no record scores above 0 with any separator tried (only X after a
// `sep=` line), the error csv.no_header names the file and the separators tried. Without
// `score`, a file where nothing scores is read with `,`.
Result<CsvDialect> detect_csv_dialect(std::string_view text, const std::string& name,
                                      const HeaderScore& score = {});

// "," ";" "TAB" ... as messages show a separator.
std::string separator_name(char separator);

}  // namespace kyso::text
