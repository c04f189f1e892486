// kyso store — a stored form of a parsed Subject that reads back exactly and fast.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/subject.h"

namespace kyso::store {

// Each RDN as "<bytes of type>:<type><bytes of value>:<value>", root first, e.g.
// "1:C2:VN2:CN3:Lan"; an attribute that joins the RDN before it (a multi-valued RDN) has "+"
// before its type ("3:+UID"). Length prefixes make any byte safe in a value (no escaping), and
// decoding is a scan: a million certificates load without parsing RFC 4514 again. The parsed
// subject is stored beside subject_text because it is NFC-normalized, which the store cannot redo.
std::string encode_subject(const Subject& subject);
// The same, appended to `out` (a buffer reused from row to row).
void encode_subject(const Subject& subject, std::string& out);
// nullopt when `text` is not such an encoding.
std::optional<Subject> decode_subject(std::string_view text);

}  // namespace kyso::store
