// kyso core — certificate subjects as RDN lists, RFC 4514 format and parse, comparison.
#include "core/subject.h"

#include <algorithm>
#include <array>
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

std::string format_rfc4514(const Subject& subject) {
    std::string out;
    for (auto it = subject.rbegin(); it != subject.rend(); ++it) {
        if (!out.empty()) out += ',';
        out += it->type;
        out += '=';
        append_rfc4514_value(out, it->value);
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
        out.push_back(Rdn{canonical_attribute(v.type), std::string(v.value)});
    return out;
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
        if (i < t.size() && t[i] == '#') return fail("hex-encoded (#) values are not supported");
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
        std::string_view value;
        if (escaped) {
            scratch.append(t.data() + run, i - run);
            value = std::string_view(scratch).substr(scratch_start);
        } else {
            value = t.substr(vstart, i - vstart);
        }
        out.push_back(RdnView{type, value});
        if (i >= t.size()) break;
        ++i;
        if (i >= t.size()) return fail("trailing separator");
    }
    std::reverse(out.begin(), out.end());
    return true;
}

bool same_attribute(std::string_view a, std::string_view b) {
    if (a == b) return true;
    return canonical_attribute(a) == canonical_attribute(b);
}

bool same_subject(const Subject& a, const Subject& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].value != b[i].value) return false;
        if (a[i].type != b[i].type &&
            canonical_attribute(a[i].type) != canonical_attribute(b[i].type)) {
            return false;
        }
    }
    return true;
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
