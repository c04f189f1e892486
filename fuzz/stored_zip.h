// Fuzz helper: a ZIP of stored (uncompressed) entries with correct CRCs, so that mutations of
// the XML parts reach the XML parser instead of stopping at libzip's CRC check.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kyso::fuzz {

inline std::uint32_t crc32(std::string_view s) {
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t c = 0xFFFFFFFFu;
    for (char ch : s) c = table[(c ^ static_cast<std::uint8_t>(ch)) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

inline void put(std::string& out, std::uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out += static_cast<char>((v >> (8 * i)) & 0xFF);
}

inline std::string stored_zip(
    const std::vector<std::pair<std::string_view, std::string_view>>& parts) {
    std::string out;
    std::string central;
    for (const auto& [name, data] : parts) {
        const auto offset = static_cast<std::uint32_t>(out.size());
        const std::uint32_t crc = crc32(data);
        const auto size = static_cast<std::uint32_t>(data.size());
        const auto name_size = static_cast<std::uint32_t>(name.size());
        put(out, 0x04034b50, 4);
        put(out, 20, 2);    // version needed
        put(out, 0, 4);     // flags, method: stored
        put(out, 0, 2);     // time
        put(out, 0x21, 2);  // date: 1980-01-01
        put(out, crc, 4);
        put(out, size, 4);
        put(out, size, 4);
        put(out, name_size, 2);
        put(out, 0, 2);
        out += name;
        out += data;
        put(central, 0x02014b50, 4);
        put(central, 20, 2);
        put(central, 20, 2);
        put(central, 0, 4);
        put(central, 0, 2);
        put(central, 0x21, 2);
        put(central, crc, 4);
        put(central, size, 4);
        put(central, size, 4);
        put(central, name_size, 2);
        put(central, 0, 4);  // extra, comment
        put(central, 0, 4);  // disk, internal attributes
        put(central, 0, 4);  // external attributes
        put(central, offset, 4);
        central += name;
    }
    const auto central_offset = static_cast<std::uint32_t>(out.size());
    out += central;
    put(out, 0x06054b50, 4);
    put(out, 0, 4);
    put(out, static_cast<std::uint32_t>(parts.size()), 2);
    put(out, static_cast<std::uint32_t>(parts.size()), 2);
    put(out, static_cast<std::uint32_t>(central.size()), 4);
    put(out, central_offset, 4);
    put(out, 0, 2);
    return out;
}

}  // namespace kyso::fuzz
