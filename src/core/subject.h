// kyso core — certificate subjects as RDN lists, RFC 4514 format and parse, comparison.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kyso {

// One attribute of a distinguished name, e.g. {"CN", "Nguyễn Văn A"}. Most RDNs hold one
// attribute; a multi-valued RDN (RFC 4514 `CN=A+E=a@x`, X.501 a SET of attributes) is its first
// attribute followed by the others, each with `joins_previous` set. The flag on the first
// attribute of a subject means nothing and is ignored.
struct Rdn {
    std::string type;
    std::string value;
    bool joins_previous = false;  // in the same RDN as the attribute before it (RFC 4514 '+')
    bool operator==(const Rdn&) const = default;
};

// A subject, root first (C first), as FORMATS.md §3 lists it.
using Subject = std::vector<Rdn>;

// Canonical short name: case-insensitive; emailAddress and 1.2.840.113549.1.9.1 are "E";
// the OIDs of C, L, ST, O, OU, CN, SERIALNUMBER map to their short names. Others: upper-cased.
std::string canonical_attribute(std::string_view type);

// RFC 4514 string: RDNs in reverse order (leaf first), the attributes of a multi-valued RDN
// in their order joined by '+', escaping `, + " \ < > ;`, a leading `#` or space and a
// trailing space; non-ASCII stays UTF-8.
std::string format_rfc4514(const Subject& subject);
std::string escape_rfc4514_value(std::string_view value);
void append_rfc4514_value(std::string& out, std::string_view value);

// Parses an RFC 4514 string into a root-first Subject: RDNs reversed, the attributes of a
// multi-valued RDN (`+`) kept in their written order with joins_previous set on all but the
// first. Hex pairs (`\C3\A1`) are decoded as UTF-8 bytes. Values are not normalized.
Result<Subject> parse_rfc4514(std::string_view text);

// One attribute as views: `type` as written, `value` unescaped (into the caller's scratch
// buffer when it had escapes, else a view of the text).
struct RdnView {
    std::string_view type;
    std::string_view value;
    bool joins_previous = false;  // as Rdn::joins_previous
};

// The same grammar as parse_rfc4514 without allocating per attribute: `out` (root first) views
// `text` and `scratch`, which must outlive it. False when the text is not valid RFC 4514.
struct SubjectSyntaxError {
    std::string_view why;
    std::size_t position = 0;  // 1-based byte
};
bool parse_rfc4514_views(std::string_view text, std::vector<RdnView>& out, std::string& scratch,
                         SubjectSyntaxError* error = nullptr);
// Attribute names equal after canonical_attribute (no allocation for the usual short names).
bool same_attribute(std::string_view a, std::string_view b);

// FORMATS.md §3: the same RDNs in the same order, each the same set of attributes (order
// within a multi-valued RDN does not matter); attribute names case-insensitive
// (emailAddress/OID = E), values exactly (callers normalize to NFC first).
bool same_subject(const Subject& a, const Subject& b);
// The same comparison of parsed views with a Subject; views' values are compared as they are.
bool same_subject(const std::vector<RdnView>& a, const Subject& b);

// Number of Unicode code points in UTF-8 text (invalid bytes count one each).
std::size_t utf8_length(std::string_view text);

// FORMATS.md §4: X.520 upper bound of an attribute (CN, O, OU: 64; L: 128; ST: 128), 0 = none.
std::size_t attribute_upper_bound(std::string_view canonical_type);

}  // namespace kyso
