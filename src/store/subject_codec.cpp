// kyso store — a stored form of a parsed Subject that reads back exactly and fast.
#include "store/subject_codec.h"

#include <charconv>
#include <cstddef>

namespace kyso::store {

namespace {

void append_field(std::string& out, std::string_view field) {
    out += std::to_string(field.size());
    out += ':';
    out += field;
}

// Reads "<n>:<n bytes>" at `pos`, advancing it.
std::optional<std::string_view> read_field(std::string_view text, std::size_t& pos) {
    const std::size_t colon = text.find(':', pos);
    if (colon == std::string_view::npos || colon == pos) return std::nullopt;
    std::size_t n = 0;
    const char* first = text.data() + pos;
    const char* last = text.data() + colon;
    const auto [end, ec] = std::from_chars(first, last, n);
    if (ec != std::errc{} || end != last || n > text.size() - colon - 1) return std::nullopt;
    pos = colon + 1 + n;
    return text.substr(colon + 1, n);
}

}  // namespace

void encode_subject(const Subject& subject, std::string& out) {
    std::size_t size = out.size();
    for (const auto& rdn : subject) size += rdn.type.size() + rdn.value.size() + 8;
    out.reserve(size);
    for (const auto& rdn : subject) {
        if (rdn.joins_previous) {
            // "+" before the type: no attribute type starts with it (RFC 4514 §3).
            out += std::to_string(rdn.type.size() + 1);
            out += ":+";
            out += rdn.type;
        } else {
            append_field(out, rdn.type);
        }
        append_field(out, rdn.value);
    }
}

std::string encode_subject(const Subject& subject) {
    std::string out;
    encode_subject(subject, out);
    return out;
}

std::optional<Subject> decode_subject(std::string_view text) {
    // First pass checks and counts, so the vector is allocated once at its exact size.
    std::size_t count = 0;
    for (std::size_t pos = 0; pos < text.size(); ++count) {
        if (!read_field(text, pos) || !read_field(text, pos)) return std::nullopt;
    }
    Subject subject;
    subject.reserve(count);
    for (std::size_t pos = 0; pos < text.size();) {
        const auto type = read_field(text, pos);
        const auto value = read_field(text, pos);
        const bool joins = type->starts_with('+');
        subject.push_back(
            Rdn{std::string(joins ? type->substr(1) : *type), std::string(*value), joins});
    }
    return subject;
}

}  // namespace kyso::store
