// kyso x509 — X.509 names: built from a Subject with the FORMATS.md §4 string types, read back.
#include "x509/name.h"

#include <openssl/objects.h>

#include <algorithm>
#include <climits>
#include <string_view>

#include "core/messages.h"
#include "text/nfc.h"
#include "x509/openssl_error.h"

namespace kyso::x509 {

namespace {

struct Attribute {
    int nid;
    std::string_view name;  // as canonical_attribute spells it
    int string_type;        // the ASN.1 type build_name writes
};

// FORMATS.md §4 for C, L, O, OU, CN, E; X.520 (serialNumber) and RFC 4519 (dc) fix the others.
constexpr Attribute kAttributes[] = {
    {NID_countryName, "C", V_ASN1_PRINTABLESTRING},
    {NID_localityName, "L", V_ASN1_UTF8STRING},
    {NID_stateOrProvinceName, "ST", V_ASN1_UTF8STRING},
    {NID_organizationName, "O", V_ASN1_UTF8STRING},
    {NID_organizationalUnitName, "OU", V_ASN1_UTF8STRING},
    {NID_commonName, "CN", V_ASN1_UTF8STRING},
    {NID_pkcs9_emailAddress, "E", V_ASN1_IA5STRING},
    {NID_serialNumber, "SERIALNUMBER", V_ASN1_PRINTABLESTRING},
    {NID_userId, "UID", V_ASN1_UTF8STRING},
    {NID_domainComponent, "DC", V_ASN1_IA5STRING},
    {NID_streetAddress, "STREET", V_ASN1_UTF8STRING},
};

const Attribute* by_nid(int nid) {
    for (const auto& a : kAttributes) {
        if (a.nid == nid) return &a;
    }
    return nullptr;
}

const Attribute* by_name(std::string_view name) {
    for (const auto& a : kAttributes) {
        if (a.name == name) return &a;
    }
    return nullptr;
}

// X.680 §41.4: PrintableString is A-Z a-z 0-9 space ' ( ) + , - . / : = ?
bool printable(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               std::string_view(" '()+,-./:=?").find(c) != std::string_view::npos;
    });
}

bool ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

std::string attribute_name(const ASN1_OBJECT* object) {
    if (const Attribute* a = by_nid(OBJ_obj2nid(object))) return std::string(a->name);
    char small[96];
    const int n = OBJ_obj2txt(small, sizeof small, object, 1);
    if (n <= 0) {
        clear_openssl_errors();
        return "UNKNOWN";
    }
    if (static_cast<std::size_t>(n) < sizeof small) return canonical_attribute(small);
    std::string big(static_cast<std::size_t>(n) + 1, '\0');
    OBJ_obj2txt(big.data(), n + 1, object, 1);
    big.resize(static_cast<std::size_t>(n));
    return canonical_attribute(big);
}

std::string value_of(const ASN1_STRING* s) {
    const auto* data = reinterpret_cast<const char*>(ASN1_STRING_get0_data(s));
    const std::string_view raw(data, static_cast<std::size_t>(std::max(ASN1_STRING_length(s), 0)));
    std::string out;
    switch (ASN1_STRING_type(s)) {
        case V_ASN1_UTF8STRING:
            out = raw;  // normalize_nfc below replaces invalid sequences with U+FFFD
            break;
        case V_ASN1_PRINTABLESTRING:
        case V_ASN1_IA5STRING:
        case V_ASN1_NUMERICSTRING:
        case V_ASN1_VISIBLESTRING:
            if (ascii(raw)) {
                out = raw;
                break;
            }
            [[fallthrough]];
        default: {
            // BMPString, UniversalString, T61String (read as Latin-1), ...
            unsigned char* utf8 = nullptr;
            const int n = ASN1_STRING_to_UTF8(&utf8, s);
            const OpenSslBytes owned(utf8);
            if (n >= 0 && utf8 != nullptr) {
                out.assign(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(n));
            } else {
                clear_openssl_errors();
                out = raw;
            }
        }
    }
    text::normalize_nfc(out);
    return out;
}

Location at_field(const std::string& field) {
    Location where;
    where.field = field;
    return where;
}

Error value_error(std::string_view code, const std::string& type, const std::string& value) {
    return make_error(code, at_field(type), {type, value});
}

}  // namespace

Result<X509NamePtr> build_name(const Subject& subject) {
    X509NamePtr name(X509_NAME_new());
    if (!name) return make_error("x509.internal", {}, {take_openssl_error("X509_NAME_new")});
    for (std::size_t index = 0; index < subject.size(); ++index) {
        const Rdn& rdn = subject[index];
        const std::string type = canonical_attribute(rdn.type);
        const Attribute* known = by_name(type);
        Asn1ObjectPtr owned;
        const ASN1_OBJECT* object = nullptr;
        if (known != nullptr) {
            object = OBJ_nid2obj(known->nid);
        } else {
            owned.reset(OBJ_txt2obj(rdn.type.c_str(), 0));
            if (!owned) {
                clear_openssl_errors();
                return make_error("x509.unknown_attribute", at_field(rdn.type), {rdn.type});
            }
            object = owned.get();
            known = by_nid(OBJ_obj2nid(object));  // e.g. "countryName" is C
        }
        const int string_type = known != nullptr ? known->string_type : V_ASN1_UTF8STRING;
        const std::string shown = known != nullptr ? std::string(known->name) : type;

        if (rdn.value.empty()) return value_error("x509.empty_value", shown, rdn.value);
        if (rdn.value.size() > INT_MAX / 2) return value_error("x509.value_too_long", shown, "");
        std::string value;
        switch (string_type) {
            case V_ASN1_PRINTABLESTRING:
                if (!printable(rdn.value)) {
                    return value_error("x509.bad_printable", shown, rdn.value);
                }
                value = rdn.value;
                break;
            case V_ASN1_IA5STRING:
                if (!ascii(rdn.value)) return value_error("x509.bad_ia5", shown, rdn.value);
                value = rdn.value;
                break;
            default:
                if (!text::valid_utf8(rdn.value)) {
                    return value_error("x509.bad_utf8", shown, text::to_nfc(rdn.value));
                }
                value = text::to_nfc(rdn.value);
        }
        // An explicit type (no MBSTRING_FLAG) stores the bytes as they are with exactly that
        // tag; the MBSTRING_* path would pick PrintableString for ASCII values. `set` -1 adds
        // the attribute to the RDN of the one before it (a multi-valued RDN), 0 starts an RDN.
        const int set = index > 0 && rdn.joins_previous ? -1 : 0;
        if (X509_NAME_add_entry_by_OBJ(name.get(), object, string_type,
                                       reinterpret_cast<const unsigned char*>(value.data()),
                                       static_cast<int>(value.size()), -1, set) != 1) {
            return make_error("x509.internal", at_field(shown),
                              {take_openssl_error("X509_NAME_add_entry")});
        }
    }
    return name;
}

Subject subject_of(const X509_NAME* name) {
    Subject out;
    if (name == nullptr) return out;
    const int count = X509_NAME_entry_count(name);
    out.reserve(static_cast<std::size_t>(std::max(count, 0)));
    int previous_set = -1;
    for (int i = 0; i < count; ++i) {
        const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
        if (entry == nullptr) continue;
        // Entries of one multi-valued RDN share their set number.
        const int set = X509_NAME_ENTRY_set(entry);
        out.push_back(Rdn{attribute_name(X509_NAME_ENTRY_get_object(entry)),
                          value_of(X509_NAME_ENTRY_get_data(entry)),
                          !out.empty() && set == previous_set});
        previous_set = set;
    }
    return out;
}

std::string rfc4514(const X509_NAME* name) {
    return format_rfc4514(subject_of(name));
}

}  // namespace kyso::x509
