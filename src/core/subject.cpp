// kyso core — certificate subjects as RDN lists, RFC 4514 format and parse, comparison.
#include "core/subject.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

#include "core/messages.h"

namespace kyso {

namespace {

std::string upper_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool is_special(char c) {
    return c == ',' || c == '+' || c == '"' || c == '\\' || c == '<' || c == '>' || c == ';';
}

}  // namespace

std::string canonical_attribute(std::string_view type) {
    // The names kyso writes are already canonical.
    if (type == "C" || type == "L" || type == "O" || type == "OU" || type == "CN" || type == "E" ||
        type == "ST") {
        return std::string(type);
    }
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kAliases{{
        {"EMAILADDRESS", "E"},
        {"1.2.840.113549.1.9.1", "E"},
        {"2.5.4.6", "C"},
        {"2.5.4.7", "L"},
        {"2.5.4.8", "ST"},
        {"2.5.4.10", "O"},
        {"2.5.4.11", "OU"},
        {"2.5.4.3", "CN"},
        {"2.5.4.5", "SERIALNUMBER"},
        {"0.9.2342.19200300.100.1.1", "UID"},
        {"0.9.2342.19200300.100.1.25", "DC"},
    }};
    std::string up = upper_ascii(type);
    // RFC 2253 style "OID.2.5.4.3" (only before an OID: "OID." alone stays a name).
    if (up.size() > 4 && up.starts_with("OID.") && up[4] >= '0' && up[4] <= '9') up.erase(0, 4);
    for (const auto& [alias, canon] : kAliases) {
        if (up == alias) return std::string(canon);
    }
    return up;
}

void append_rfc4514_value(std::string& out, std::string_view v) {
    std::size_t run = 0;  // bytes not yet copied
    for (std::size_t i = 0; i < v.size(); ++i) {
        const char c = v[i];
        const bool leading = i == 0 && (c == '#' || c == ' ');
        const bool trailing = i + 1 == v.size() && c == ' ';
        if (!(is_special(c) || leading || trailing || c == '\0')) continue;
        out.append(v.data() + run, i - run);
        run = i + 1;
        if (c == '\0') {
            out += "\\00";
        } else {
            out += '\\';
            out += c;
        }
    }
    out.append(v.data() + run, v.size() - run);
}

std::string escape_rfc4514_value(std::string_view v) {
    std::string out;
    out.reserve(v.size() + 4);
    append_rfc4514_value(out, v);
    return out;
}

namespace {

// The end (one past) of the RDN that starts at `i`: the attributes that join it.
template <typename List>
std::size_t rdn_end(const List& list, std::size_t i) {
    std::size_t end = i + 1;
    while (end < list.size() && list[end].joins_previous) ++end;
    return end;
}

// The start of the RDN that ends just before `end` (> 0).
template <typename List>
std::size_t rdn_start(const List& list, std::size_t end) {
    std::size_t start = end - 1;
    while (start > 0 && list[start].joins_previous) --start;
    return start;
}

}  // namespace

std::string format_rfc4514(const Subject& subject) {
    std::string out;
    // Leaf RDN first; inside a multi-valued RDN the attributes keep their order.
    for (std::size_t end = subject.size(); end > 0;) {
        const std::size_t start = rdn_start(subject, end);
        if (!out.empty()) out += ',';
        for (std::size_t i = start; i < end; ++i) {
            if (i > start) out += '+';
            out += subject[i].type;
            out += '=';
            append_rfc4514_value(out, subject[i].value);
        }
        end = start;
    }
    return out;
}

Result<Subject> parse_rfc4514(std::string_view t) {
    std::vector<RdnView> views;
    std::string scratch;
    SubjectSyntaxError error;
    if (!parse_rfc4514_views(t, views, scratch, &error)) {
        return make_error("subject.syntax", {}, {t, error.why, std::to_string(error.position)});
    }
    Subject out;
    out.reserve(views.size());
    for (const RdnView& v : views)
        out.push_back(Rdn{canonical_attribute(v.type), std::string(v.value), v.joins_previous});
    return out;
}

// The value of a '#'-encoded attribute (RFC 4514 §2.4): the BER of a string type, decoded to
// UTF-8 and appended to `scratch` (`value` views it). For other types `value` stays null (the
// caller keeps the text as written). False when the hex or the BER is malformed.
bool decode_hex_value(std::string_view hex, std::string& scratch, std::string_view& value) {
    value = {};
    if (hex.empty() || hex.size() % 2 != 0) return false;
    std::string ber;
    ber.reserve(hex.size() / 2);
    for (std::size_t k = 0; k < hex.size(); k += 2) {
        const int h = hex_value(hex[k]);
        const int l = hex_value(hex[k + 1]);
        if (h < 0 || l < 0) return false;
        ber += static_cast<char>(h * 16 + l);
    }
    if (ber.size() < 2) return false;
    const auto tag = static_cast<unsigned char>(ber[0]);
    std::size_t len = static_cast<unsigned char>(ber[1]);
    std::size_t pos = 2;
    if (len & 0x80) {
        const std::size_t n = len & 0x7F;
        if (n == 0 || n > 4 || ber.size() < 2 + n) return false;
        len = 0;
        for (std::size_t k = 0; k < n; ++k)
            len = len * 256 + static_cast<unsigned char>(ber[2 + k]);
        pos = 2 + n;
    }
    if (ber.size() != pos + len) return false;
    const std::string_view content(ber.data() + pos, len);
    const std::size_t start = scratch.size();
    auto put = [&](std::uint32_t cp) {  // one code point as UTF-8
        if (cp < 0x80) {
            scratch += static_cast<char>(cp);
        } else if (cp < 0x800) {
            scratch += static_cast<char>(0xC0 | (cp >> 6));
            scratch += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            scratch += static_cast<char>(0xE0 | (cp >> 12));
            scratch += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            scratch += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            scratch += static_cast<char>(0xF0 | (cp >> 18));
            scratch += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            scratch += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            scratch += static_cast<char>(0x80 | (cp & 0x3F));
        }
    };
    switch (tag) {
        case 0x0C:  // UTF8String
        case 0x12:  // NumericString
        case 0x13:  // PrintableString
        case 0x16:  // IA5String
        case 0x1A:  // VisibleString
            scratch.append(content);
            break;
        case 0x14:  // TeletexString, read as Latin-1
            for (unsigned char c : content) put(c);
            break;
        case 0x1E: {  // BMPString: UTF-16BE
            if (len % 2 != 0) return false;
            for (std::size_t k = 0; k < len; k += 2) {
                std::uint32_t u = (static_cast<unsigned char>(content[k]) << 8) |
                                  static_cast<unsigned char>(content[k + 1]);
                if (u >= 0xD800 && u <= 0xDBFF && k + 3 < len) {
                    const std::uint32_t lo = (static_cast<unsigned char>(content[k + 2]) << 8) |
                                             static_cast<unsigned char>(content[k + 3]);
                    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                    k += 2;
                }
                put(u);
            }
            break;
        }
        case 0x1C:  // UniversalString: UTF-32BE
            if (len % 4 != 0) return false;
            for (std::size_t k = 0; k < len; k += 4) {
                std::uint32_t u = 0;
                for (std::size_t b = 0; b < 4; ++b)
                    u = (u << 8) | static_cast<unsigned char>(content[k + b]);
                put(u);
            }
            break;
        default:
            return true;  // not a string type
    }
    value = std::string_view(scratch).substr(start);
    return true;
}

bool parse_rfc4514_views(std::string_view t, std::vector<RdnView>& out, std::string& scratch,
                         SubjectSyntaxError* error) {
    std::size_t i = 0;
    auto fail = [&](std::string_view why) {
        if (error != nullptr) *error = SubjectSyntaxError{why, i + 1};
        return false;
    };
    out.clear();
    scratch.clear();
    scratch.reserve(t.size());  // decoded values never grow, so views into it stay valid
    if (t.empty()) return true;
    bool plus_before = false;  // the separator before this attribute was '+'
    while (true) {
        const std::size_t start = i;
        while (i < t.size() && t[i] != '=') {
            if (t[i] == ',' || t[i] == '+') return fail("attribute without '='");
            ++i;
        }
        if (i >= t.size()) return fail("attribute without '='");
        std::string_view type = t.substr(start, i - start);
        while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
        while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
        if (type.empty()) return fail("empty attribute type");
        for (char c : type) {
            const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.';
            if (!ok) return fail("invalid attribute type");
        }
        ++i;
        std::string_view value;
        if (i < t.size() && t[i] == '#') {
            // RFC 4514 §2.4: '#' and the hex of the BER encoding (tools print unknown string
            // types this way).
            const std::size_t hash = i++;
            while (i < t.size() && t[i] != ',' && t[i] != '+') ++i;
            if (!decode_hex_value(t.substr(hash + 1, i - hash - 1), scratch, value)) {
                return fail("invalid hex-encoded (#) value");
            }
            if (value.data() == nullptr)
                value = t.substr(hash, i - hash);  // not a string: kept as written
        } else {
            const std::size_t vstart = i;
            bool escaped = false;
            std::size_t scratch_start = scratch.size();
            std::size_t run = i;
            while (i < t.size() && t[i] != ',' && t[i] != '+') {
                const char c = t[i];
                if (c == '\\') {
                    if (!escaped) {
                        escaped = true;
                        scratch_start = scratch.size();
                    }
                    scratch.append(t.data() + run, i - run);
                    if (i + 1 >= t.size()) return fail("dangling escape");
                    const char n = t[i + 1];
                    if (is_special(n) || n == ' ' || n == '#' || n == '=') {
                        scratch += n;
                        i += 2;
                    } else {
                        const int h = hex_value(n);
                        const int l = i + 2 < t.size() ? hex_value(t[i + 2]) : -1;
                        if (h < 0 || l < 0) return fail("invalid escape");
                        scratch += static_cast<char>(h * 16 + l);
                        i += 3;
                    }
                    run = i;
                } else if (c == '"' || c == ';' || c == '<' || c == '>') {
                    return fail("unescaped special character");
                } else {
                    ++i;
                }
            }
            if (escaped) {
                scratch.append(t.data() + run, i - run);
                value = std::string_view(scratch).substr(scratch_start);
            } else {
                value = t.substr(vstart, i - vstart);
            }
        }
        out.push_back(RdnView{type, value, plus_before});
        if (i >= t.size()) break;
        plus_before = t[i] == '+';
        ++i;
        if (i >= t.size()) return fail("trailing separator");
    }
    // Root first: the RDNs reversed, the attributes inside a multi-valued one kept in order.
    const bool multi =
        std::any_of(out.begin(), out.end(), [](const RdnView& v) { return v.joins_previous; });
    if (!multi) {
        std::reverse(out.begin(), out.end());
        return true;
    }
    std::vector<RdnView> reversed;
    reversed.reserve(out.size());
    for (std::size_t end = out.size(); end > 0;) {
        const std::size_t start = rdn_start(out, end);
        reversed.insert(reversed.end(), out.begin() + static_cast<std::ptrdiff_t>(start),
                        out.begin() + static_cast<std::ptrdiff_t>(end));
        end = start;
    }
    out = std::move(reversed);
    return true;
}

bool same_attribute(std::string_view a, std::string_view b) {
    if (a == b) return true;
    return canonical_attribute(a) == canonical_attribute(b);
}

namespace {

template <typename X, typename Y>
bool same_attribute_value(const X& x, const Y& y) {
    return std::string_view(x.value) == std::string_view(y.value) && same_attribute(x.type, y.type);
}

// FORMATS.md §3 over any two lists of attributes with joins_previous (Rdn, RdnView).
template <typename A, typename B>
bool same_rdn_lists(const A& a, const B& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size();) {
        const std::size_t end = rdn_end(a, i);
        if (rdn_end(b, i) != end) return false;
        if (end == i + 1) {
            if (!same_attribute_value(a[i], b[i])) return false;
        } else {
            // X.501: an RDN is a SET, so its attributes match in any order (each one once).
            std::vector<bool> used(end - i, false);
            for (std::size_t k = i; k < end; ++k) {
                bool found = false;
                for (std::size_t m = i; m < end && !found; ++m) {
                    if (!used[m - i] && same_attribute_value(a[k], b[m])) {
                        used[m - i] = true;
                        found = true;
                    }
                }
                if (!found) return false;
            }
        }
        i = end;
    }
    return true;
}

}  // namespace

bool same_subject(const Subject& a, const Subject& b) {
    return same_rdn_lists(a, b);
}

bool same_subject(const std::vector<RdnView>& a, const Subject& b) {
    return same_rdn_lists(a, b);
}

std::size_t utf8_length(std::string_view text) {
    std::size_t n = 0;
    for (unsigned char c : text) {
        if ((c & 0xC0) != 0x80) ++n;
    }
    return n;
}

std::size_t attribute_upper_bound(std::string_view t) {
    if (t == "CN" || t == "O" || t == "OU") return 64;
    if (t == "L" || t == "ST") return 128;
    return 0;
}

}  // namespace kyso
