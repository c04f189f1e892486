// kyso store — registry records as JSON objects (API bodies and audit details): field names as
// in FORMATS.md §1, dates as YYYY-MM-DD, absent references as null.
#pragma once

#include <nlohmann/json.hpp>

#include "core/registry.h"
#include "store/registry_query.h"

namespace kyso::store {

using RecordJson = nlohmann::ordered_json;

RecordJson to_json(const OrgVersion& v);
// The organization with its current version's fields at the top and, with `history`, every
// version under "versions".
RecordJson to_json(const Organization& org, bool history = false);
RecordJson to_json(const Person& p);
RecordJson to_json(const PersonDetail& d);
// Without the DER (its size and fingerprint say whether the file is known).
RecordJson to_json(const Certificate& c);
RecordJson to_json(const Device& d);
RecordJson to_json(const OrganizationHistory& h);

}  // namespace kyso::store
