// Fuzz target: an agency's CSV bytes through decoding, separator detection (`sep=` line, `,` `;`
// TAB from the header line) and ragged reading never crash or hang, and the dialect found keeps
// its promises (a usable separator, a `sep=` line inside the text).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "text/csv.h"
#include "text/csv_dialect.h"
#include "text/decode.h"
#include "text/nfc.h"

namespace {

// As intake's rule, in small: "Họ và tên" and one more filled field make a header.
std::size_t header_score(const std::vector<std::string>& row) {
    bool name = false;
    std::size_t filled = 0;
    for (const auto& cell : row) {
        name = name || cell == "Họ và tên";
        filled += cell.empty() ? 0 : 1;
    }
    return name && filled >= 2 ? filled : 0;
}

void check(std::string_view text, const kyso::text::HeaderScore& score) {
    auto dialect = kyso::text::detect_csv_dialect(text, "fuzz.csv", score);
    if (!dialect) {
        if (dialect.error().code.empty()) __builtin_trap();
        return;
    }
    const char sep = dialect->separator;
    if (sep == '"' || sep == '\r' || sep == '\n' || sep == '\0') __builtin_trap();
    if (!dialect->from_sep_line && sep != ',' && sep != ';' && sep != '\t') __builtin_trap();
    if (dialect->skip_bytes > text.size()) __builtin_trap();
    if (!dialect->from_sep_line && dialect->skip_bytes != 0) __builtin_trap();
    kyso::text::CsvLimits limits;
    limits.max_cell = 4096;
    limits.max_record = 16384;
    auto reader = kyso::text::CsvReader::from_string(std::string(text.substr(dialect->skip_bytes)),
                                                     "fuzz.csv", limits, {sep, true});
    if (!reader) return;
    for (int i = 0; i < 10000; ++i) {
        auto more = reader->next();
        if (!more || !*more) break;
        for (const auto& field : reader->fields()) {
            if (!kyso::text::valid_utf8(field)) __builtin_trap();
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    // Raw text as well as what decoding makes of the bytes (UTF-16, Windows-1258 ...).
    if (kyso::text::valid_utf8(bytes)) check(bytes, header_score);
    auto decoded = kyso::text::decode_text(bytes, "fuzz.csv");
    if (!decoded) return 0;
    check(decoded->text, header_score);
    check(decoded->text, {});
    return 0;
}
