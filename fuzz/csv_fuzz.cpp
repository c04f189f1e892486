// Fuzz target: the strict CSV reader must never crash, hang or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "text/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kyso::text::CsvLimits limits;
    limits.max_cell = 4096;
    limits.max_record = 16384;
    auto reader = kyso::text::CsvReader::from_string(
        std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv", limits);
    if (!reader) return 0;
    for (int i = 0; i < 100000; ++i) {
        auto more = reader->next();
        if (!more || !*more) break;
        if (reader->fields().size() != reader->header().size()) __builtin_trap();
    }
    return 0;
}
