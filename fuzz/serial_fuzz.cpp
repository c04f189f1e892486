// Fuzz target: certificate serials as people write them (FORMATS.md §1): whatever normalizes is
// in the normal form, normalizes to itself, and is the same integer as the text it came from.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/values.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto normal = kyso::normalize_serial(text);
    if (kyso::serial_valid(text) && (!normal || *normal != text)) std::abort();
    if (!normal) return 0;
    if (!kyso::serial_valid(*normal)) std::abort();
    const auto again = kyso::normalize_serial(*normal);
    if (!again || *again != *normal) std::abort();
    if (kyso::compare_serials(text, *normal) != 0 || kyso::compare_serials(*normal, text) != 0)
        std::abort();
    // Ordering is antisymmetric against a fixed neighbour.
    const int ab = kyso::compare_serials(*normal, "-7F");
    const int ba = kyso::compare_serials("-7F", *normal);
    if (ab != -ba) std::abort();
    return 0;
}
