// kyso store — the PostgreSQL back-end of RegistryQuery, second half: corrections and removals
// (store/registry_edit_body.inc, shared with SQLite).
#include <algorithm>
#include <utility>

#include "core/messages.h"
#include "core/values.h"
#include "store/postgres/errors.h"
#include "store/postgres/registry_query_postgres.h"
#include "store/postgres/rows.h"
#include "store/postgres/search_index.h"
#include "store/record_json.h"
#include "text/nfc.h"

namespace kyso::store::postgres {

namespace {
using QueryImpl = PgRegistryQuery;
}  // namespace

#include "store/registry_edit_body.inc"

}  // namespace kyso::store::postgres
