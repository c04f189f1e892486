// kyso store — the SQLite back-end of RegistryQuery, second half: corrections and removals
// (store/registry_edit_body.inc, shared with PostgreSQL).
#include <algorithm>
#include <utility>

#include "core/messages.h"
#include "core/values.h"
#include "store/record_json.h"
#include "store/sqlite/guarded.h"
#include "store/sqlite/registry_query_sqlite.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/search_index.h"
#include "text/nfc.h"

namespace kyso::store::sqlite {

namespace {
using QueryImpl = SqliteRegistryQuery;
}  // namespace

#include "store/registry_edit_body.inc"

}  // namespace kyso::store::sqlite
