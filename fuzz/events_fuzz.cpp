// Fuzz target: events.json parsing must never crash; what parses must survive a round trip.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "bundle/events_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto events = kyso::bundle::parse_events_json(text);
    if (!events) return 0;
    auto again = kyso::bundle::parse_events_json(kyso::bundle::events_to_json(*events));
    if (!again || again->size() != events->size()) __builtin_trap();
    return 0;
}
