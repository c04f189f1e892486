// Fuzz target: decoding any bytes (BOMs, UTF-16, Windows-1258) never crashes, and a success is
// always valid NFC UTF-8.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "text/decode.h"
#include "text/nfc.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    auto decoded = kyso::text::decode_text(bytes, "fuzz.csv");
    if (!decoded) {
        if (decoded.error().code.empty()) __builtin_trap();
        return 0;
    }
    if (!kyso::text::valid_utf8(decoded->text) || !kyso::text::is_nfc(decoded->text))
        __builtin_trap();
    return 0;
}
