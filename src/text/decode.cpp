// kyso text — the bytes of an agency's CSV (UTF-8, UTF-16 or Windows-1258) turned into NFC UTF-8.
#include "text/decode.h"

#include <iconv.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>

#include "core/messages.h"
#include "text/nfc.h"

namespace kyso::text {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";

std::uint8_t byte_at(std::string_view s, std::size_t i) {
    return static_cast<std::uint8_t>(s[i]);
}

// 1-based line of `offset`: LF bytes before it (one byte per unit) or LF code units (UTF-16).
std::int64_t line_at(std::string_view bytes, std::size_t offset, SourceEncoding encoding) {
    std::int64_t line = 1;
    if (encoding == SourceEncoding::utf16le || encoding == SourceEncoding::utf16be) {
        const std::size_t lo = encoding == SourceEncoding::utf16le ? 0 : 1;
        for (std::size_t i = 0; i + 1 < offset && i + 1 < bytes.size(); i += 2) {
            if (bytes[i + lo] == '\n' && bytes[i + 1 - lo] == '\0') ++line;
        }
        return line;
    }
    return line +
           std::count(bytes.begin(),
                      bytes.begin() + static_cast<std::ptrdiff_t>(std::min(offset, bytes.size())),
                      '\n');
}

Error error_at(std::string_view code, const std::string& name, std::string_view bytes,
               std::size_t offset, SourceEncoding encoding, std::string_view first = {}) {
    const std::string at = std::to_string(offset);
    const std::string line = std::to_string(line_at(bytes, offset, encoding));
    if (first.empty()) return make_error(code, Location{name, 0, "", ""}, {at, line});
    return make_error(code, Location{name, 0, "", ""}, {first, at, line});
}

// Offset of the first byte that does not start a well-formed UTF-8 sequence (Unicode table 3-7:
// no overlongs, no surrogates, nothing past U+10FFFF); nullopt when every byte is valid.
std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        const std::uint8_t b = byte_at(s, i);
        if (b < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        std::uint8_t lo = 0x80;  // allowed range of the second byte
        std::uint8_t hi = 0xBF;
        if (b >= 0xC2 && b <= 0xDF) {
            len = 2;
        } else if (b >= 0xE0 && b <= 0xEF) {
            len = 3;
            if (b == 0xE0) lo = 0xA0;  // overlong
            if (b == 0xED) hi = 0x9F;  // surrogates
        } else if (b >= 0xF0 && b <= 0xF4) {
            len = 4;
            if (b == 0xF0) lo = 0x90;  // overlong
            if (b == 0xF4) hi = 0x8F;  // past U+10FFFF
        } else {
            return i;
        }
        if (n - i < len) return i;
        const std::uint8_t second = byte_at(s, i + 1);
        if (second < lo || second > hi) return i;
        for (std::size_t k = 2; k < len; ++k) {
            if ((byte_at(s, i + k) & 0xC0) != 0x80) return i;
        }
        i += len;
    }
    return std::nullopt;
}

void append_utf8(std::string& out, char32_t c) {
    char buf[U8_MAX_LENGTH];
    std::int32_t n = 0;
    U8_APPEND_UNSAFE(buf, n, static_cast<UChar32>(c));  // callers pass scalar values only
    out.append(buf, static_cast<std::size_t>(n));
}

// UTF-16 code units from `start` to UTF-8; pairs must be whole (a lone surrogate is damage, not
// text: converting it to U+FFFD would hide a broken export).
Result<std::string> from_utf16(std::string_view bytes, std::size_t start, SourceEncoding encoding,
                               const std::string& name) {
    const bool le = encoding == SourceEncoding::utf16le;
    const std::string_view label = encoding_name(encoding);
    if ((bytes.size() - start) % 2 != 0) {
        return make_error("decode.odd_length", Location{name, 0, "", ""},
                          {label, std::to_string(bytes.size())});
    }
    auto unit = [&](std::size_t i) -> char32_t {
        return le ? static_cast<char32_t>(byte_at(bytes, i) | (byte_at(bytes, i + 1) << 8))
                  : static_cast<char32_t>((byte_at(bytes, i) << 8) | byte_at(bytes, i + 1));
    };
    std::string out;
    out.reserve((bytes.size() - start) / 2 * 3 / 2);
    for (std::size_t i = start; i < bytes.size(); i += 2) {
        const char32_t u = unit(i);
        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < bytes.size()) {
            const char32_t low = unit(i + 2);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
                i += 2;
                continue;
            }
        }
        if (u >= 0xD800 && u <= 0xDFFF)
            return error_at("decode.lone_surrogate", name, bytes, i, encoding, label);
        append_utf8(out, u);
    }
    return out;
}

// "Unicode text" saved without a BOM: mostly-ASCII text has a NUL in every other byte. Looks at
// the first 8 KiB; one parity must hold NULs in at least a quarter of the units and the other
// almost none (UTF-8 text has no NULs at all).
std::optional<SourceEncoding> sniff_utf16(std::string_view bytes) {
    const std::size_t n = std::min<std::size_t>(bytes.size(), 8192) & ~std::size_t{1};
    if (n < 4) return std::nullopt;
    std::size_t even = 0;
    std::size_t odd = 0;
    for (std::size_t i = 0; i < n; i += 2) {
        even += bytes[i] == '\0';
        odd += bytes[i + 1] == '\0';
    }
    const std::size_t units = n / 2;
    if (odd * 4 >= units && even * 8 <= odd) return SourceEncoding::utf16le;
    if (even * 4 >= units && odd * 8 <= even) return SourceEncoding::utf16be;
    return std::nullopt;
}

// Windows-1258 through glibc iconv ("CP1258"). Bytes the code page leaves undefined (0x81, 0x8A,
// ...) are errors: they mean the file is in some other encoding, and guessing would corrupt names.
Result<std::string> from_cp1258(std::string_view bytes, const std::string& name) {
    iconv_t cd = iconv_open("UTF-8", "CP1258");
    if (cd == reinterpret_cast<iconv_t>(-1)) {
        return make_error("decode.unsupported", Location{name, 0, "", ""},
                          {"Windows-1258", std::strerror(errno)});
    }
    const std::unique_ptr<void, int (*)(iconv_t)> guard(cd, iconv_close);
    // Every CP1258 character is in the BMP: at most 3 UTF-8 bytes per input byte.
    std::string out(bytes.size() * 3 + 16, '\0');
    // POSIX iconv takes `char**` for its input but never writes through it.
    char* in = const_cast<char*>(bytes.data());
    std::size_t in_left = bytes.size();
    std::size_t used = 0;
    bool flushing = false;
    while (true) {
        char* o = out.data() + used;
        std::size_t o_left = out.size() - used;
        const std::size_t r = flushing ? iconv(cd, nullptr, nullptr, &o, &o_left)
                                       : iconv(cd, &in, &in_left, &o, &o_left);
        const int err = errno;
        used = out.size() - o_left;
        if (r != static_cast<std::size_t>(-1)) {
            if (flushing) break;
            flushing = true;
            continue;
        }
        if (err == E2BIG) {
            out.resize(out.size() * 2);
            continue;
        }
        const std::size_t offset = static_cast<std::size_t>(in - bytes.data());
        char hex[3] = {};
        const unsigned b = offset < bytes.size() ? byte_at(bytes, offset) : 0;
        const char* digits = "0123456789ABCDEF";
        hex[0] = digits[b >> 4];
        hex[1] = digits[b & 0xF];
        return error_at("decode.invalid_cp1258", name, bytes, offset, SourceEncoding::windows1258,
                        hex);
    }
    out.resize(used);
    return out;
}

}  // namespace

std::string_view encoding_name(SourceEncoding encoding) {
    switch (encoding) {
        case SourceEncoding::utf8:
            return "UTF-8";
        case SourceEncoding::utf8_bom:
            return "UTF-8 (BOM)";
        case SourceEncoding::utf16le:
            return "UTF-16LE";
        case SourceEncoding::utf16be:
            return "UTF-16BE";
        case SourceEncoding::windows1258:
            return "Windows-1258";
    }
    return "?";
}

Result<Decoded> decode_text(std::string_view bytes, const std::string& name_for_errors) {
    Decoded d{{}, SourceEncoding::utf8};
    if (bytes.starts_with(kUtf8Bom)) {
        const std::string_view rest = bytes.substr(kUtf8Bom.size());
        if (auto bad = first_invalid_utf8(rest)) {
            return error_at("decode.invalid_utf8", name_for_errors, bytes, *bad + kUtf8Bom.size(),
                            SourceEncoding::utf8_bom);
        }
        d = Decoded{std::string(rest), SourceEncoding::utf8_bom};
    } else if (bytes.starts_with(kUtf16LeBom) || bytes.starts_with(kUtf16BeBom)) {
        const auto encoding =
            bytes.starts_with(kUtf16LeBom) ? SourceEncoding::utf16le : SourceEncoding::utf16be;
        auto text = from_utf16(bytes, 2, encoding, name_for_errors);
        if (!text) return text.error();
        d = Decoded{std::move(text).value(), encoding};
    } else if (auto utf16 = sniff_utf16(bytes)) {
        // Before the UTF-8 check: ASCII with NULs between is valid UTF-8 too.
        auto text = from_utf16(bytes, 0, *utf16, name_for_errors);
        if (!text) return text.error();
        d = Decoded{std::move(text).value(), *utf16};
    } else if (!first_invalid_utf8(bytes)) {
        d = Decoded{std::string(bytes), SourceEncoding::utf8};
    } else {
        auto text = from_cp1258(bytes, name_for_errors);
        if (!text) return text.error();
        d = Decoded{std::move(text).value(), SourceEncoding::windows1258};
    }
    // CP1258 writes tones as combining marks after the letter; other sources may be NFD too.
    normalize_nfc(d.text);
    return d;
}

}  // namespace kyso::text
