// Fuzz target: the national CA's results file cells — headings, processing dates and outcomes —
// never crash, and a date read is a real calendar day that reads back as itself.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/date.h"
#include "text/nfc.h"
#include "workflow/results_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view cell(reinterpret_cast<const char*>(data), size);
    if (!kyso::text::valid_utf8(cell)) return 0;
    using namespace kyso::workflow;
    (void)result_column(cell);
    (void)parse_outcome(cell);
    if (const auto d = parse_processing_date(cell)) {
        const auto again = kyso::Date::parse(d->str());
        if (!again || *again != *d) __builtin_trap();
    }
    return 0;
}
