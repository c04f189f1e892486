// Fuzz target: RFC 4514 parsing; whatever parses must format and parse back to the same RDNs.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/subject.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = kyso::parse_rfc4514(text);
    if (!parsed) return 0;
    auto again = kyso::parse_rfc4514(kyso::format_rfc4514(*parsed));
    if (!again || !(*again == *parsed)) __builtin_trap();
    return 0;
}
