// Fuzz target: what intake does to a spreadsheet cell (dates, numbers Excel mangled, headings)
// never crashes, and a value it changes is still valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "intake/intake_columns.h"
#include "intake/intake_dates.h"
#include "intake/intake_values.h"
#include "text/nfc.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view cell(reinterpret_cast<const char*>(data), size);
    if (!kyso::text::valid_utf8(cell)) return 0;
    using namespace kyso::intake;
    for (auto clean : {clean_cccd, clean_phone, clean_text, clean_serial, clean_device_serial}) {
        const CleanValue v = clean(cell);
        if (!kyso::text::valid_utf8(v.value)) __builtin_trap();
        // A value kept because of a problem is kept exactly as written.
        if (!v.problem.empty() && v.value != cell) __builtin_trap();
    }
    for (const DateColumn& column : {DateColumn{}, DateColumn{true, true, true, false}}) {
        const CleanValue v = clean_date(cell, column);
        if (!kyso::text::valid_utf8(v.value)) __builtin_trap();
    }
    (void)recognize_heading(cell);
    return 0;
}
