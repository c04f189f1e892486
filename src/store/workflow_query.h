// kyso store — the lists of the workflow (requests, batches, custody records, audit entries,
// users) as database queries: filters, the organization subtree, sorting and one page, each run
// in SQL with indexes (migration 0011), never by loading every row (issue 13 "Lists"). The
// query shapes follow registry_query.h (ListQuery, ListPage, kMaxPageSize); WorkflowStore
// implements them on each back-end with the SQL built here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/registry.h"
#include "core/request.h"
#include "core/result.h"
#include "store/registry_query.h"

namespace kyso::store {

enum class CustodyStep;

// `scope` and `org_subtree` (ListQuery) bound the organization each record belongs to; `search`
// is not used by these lists (store.invalid_query when given).

// Requests by their managing organization. Sort keys: id (default), created_at, state, kind,
// managing_org_id.
struct RequestQuery : ListQuery {
    std::optional<RequestState> state;
    std::optional<RequestKind> kind;
    std::string managing_org_id;  // exactly this organization ("" = any)
    std::int64_t batch_id = 0;    // 0: any
};

// Batches by their issuing organization. Sort keys: id (default), created_at, org_id.
struct BatchQuery : ListQuery {
    std::string level;  // "organization" or "province" ("" = any)
    std::string org_id;
};

// Custody records by the managing organization of the request they belong to (a record of no
// request is in no subtree). Sort keys: device (default: device, date, id), handed_on, id.
struct CustodyQuery : ListQuery {
    std::string device_id;
    std::optional<CustodyStep> step;
};

// Audit entries: the log is the whole database's, so `scope` and `org_subtree` must be empty
// (store.invalid_query). `action` matches as a prefix ("request." finds every request action).
// Sort key: seq (the only one; descending for newest first).
struct AuditQuery : ListQuery {
    std::string actor;
    std::string action;
    std::string object;
};

// Users by the organization of their scope; a user of global scope (no organization) is in no
// subtree. Sort keys: id (default), username, role.
struct UserQuery : ListQuery {
    std::optional<Role> role;
};

// --- The SQL of the lists, shared by the back-ends (store internals) ---

enum class Dialect { sqlite, postgres };
using SqlValue = std::variant<std::string, std::int64_t>;

// A list as two statements over the same parameters: `page` selects `columns` of one page in
// order, `count` the number of records over all pages.
struct ListSql {
    std::string page;
    std::string count;
    std::vector<SqlValue> params;  // ?1.. (SQLite) or $1.. (PostgreSQL), in order
};

// Each validates the query (check_list_query with its sort keys; store.invalid_query) and
// builds the statements; `columns` is the back-end's select list of the table.
Result<ListSql> request_list_sql(const RequestQuery& q, Dialect d, std::string_view columns);
Result<ListSql> batch_list_sql(const BatchQuery& q, Dialect d, std::string_view columns);
Result<ListSql> custody_list_sql(const CustodyQuery& q, Dialect d, std::string_view columns);
Result<ListSql> audit_list_sql(const AuditQuery& q, Dialect d, std::string_view columns);
Result<ListSql> user_list_sql(const UserQuery& q, Dialect d, std::string_view columns);

// One row, 1 or 0: whether organization ?1 is ?2 or under it in the current superior chain
// (the superior_id of each organization's newest version); an unknown organization or a cycle
// ends the walk (accounts::within_scope, in SQL: a few index lookups, not the registry).
std::string org_within_sql(Dialect d);

}  // namespace kyso::store
