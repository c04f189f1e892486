// Fuzz target: legacy-encoding detection and repair never crash; a repair is always plausible.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "text/legacy.h"
#include "text/nfc.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (!kyso::text::valid_utf8(text)) return 0;
    if (auto repaired = kyso::text::repair_legacy(text)) {
        if (!kyso::text::plausible_vietnamese(*repaired) || !kyso::text::is_nfc(*repaired))
            __builtin_trap();
    }
    return 0;
}
