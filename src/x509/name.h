// kyso x509 — X.509 names: built from a Subject with the FORMATS.md §4 string types, read back.
#pragma once

#include <openssl/x509.h>

#include <string>

#include "core/result.h"
#include "core/subject.h"
#include "x509/handles.h"

namespace kyso::x509 {

// An X509_NAME holding `subject` root first, one RDN per attribute except that an attribute
// with joins_previous goes into the RDN before it (a multi-valued RDN). String types follow
// FORMATS.md §4: C PrintableString, E IA5String, everything else UTF8String (ASCII values
// too), except where X.520/RFC 4519 fix the syntax (SERIALNUMBER PrintableString,
// DC IA5String). Values are written in NFC. Attribute types: the short names
// canonical_attribute knows, dotted OIDs, or any OpenSSL short/long name.
// Errors: x509.unknown_attribute, x509.empty_value, x509.bad_printable, x509.bad_ia5,
// x509.bad_utf8 (field = the attribute).
Result<X509NamePtr> build_name(const Subject& subject);

// The attributes of `name` in stored order (root first); the second and later attributes of
// a multi-valued RDN have joins_previous set.
// Types: C, L, ST, O, OU, CN, E, SERIALNUMBER, UID, DC, STREET, or the dotted OID.
// Values: UTF-8 NFC; bytes that cannot be decoded become U+FFFD. A null name is empty.
Subject subject_of(const X509_NAME* name);

// RFC 4514 text of `name`: format_rfc4514(subject_of(name)).
std::string rfc4514(const X509_NAME* name);

}  // namespace kyso::x509
