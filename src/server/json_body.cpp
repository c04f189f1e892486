// kyso server — a request's JSON body: UTF-8, depth and shape checked before any handler.
#include "server/json_body.h"

#include <string>

#include "core/messages.h"

namespace kyso::server {

std::size_t first_invalid_utf8(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        unsigned lo = 0x80, hi = 0xBF;  // bounds of the second byte (RFC 3629 §4)
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
        } else {
            return i;
        }
        if (i + len > n) return i;
        if (p[i + 1] < lo || p[i + 1] > hi) return i;
        for (std::size_t k = 2; k < len; ++k)
            if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
        i += len;
    }
    return std::string_view::npos;
}

namespace {

struct TooDeep {};

}  // namespace

Result<nlohmann::json> parse_json_body(std::string_view body) {
    if (const std::size_t bad = first_invalid_utf8(body); bad != std::string_view::npos)
        return make_error("server.invalid_utf8", Location{}, {std::to_string(bad)});
    nlohmann::json doc;
    try {
        // The callback sees the depth of every value as it is read: the parse stops at the
        // first one too deep, before building it.
        doc = nlohmann::json::parse(body.begin(), body.end(),
                                    [](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
                                        if (depth > static_cast<int>(kMaxJsonDepth))
                                            throw TooDeep{};
                                        return true;
                                    });
    } catch (const TooDeep&) {
        return make_error("server.too_deep", Location{}, {std::to_string(kMaxJsonDepth)});
    } catch (const nlohmann::json::parse_error& e) {
        return make_error("server.bad_json", Location{}, {std::to_string(e.byte)});
    }
    if (!doc.is_object()) return make_error("server.not_object", Location{}, {});
    return doc;
}

}  // namespace kyso::server
