// kyso store — how each registry record maps to a PostgreSQL row: columns, binders, readers.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/registry.h"
#include "core/result.h"
#include "store/postgres/connection.h"

namespace kyso::store::postgres {

// A table's columns in one fixed order, key columns first. Binders fill parameters $1..$N in
// that order and readers read result columns first..first+N-1 in it, so one binder serves
// INSERT, UPDATE and the key lookup alike.
struct TableSpec {
    std::string_view table;
    std::size_t key_columns;
    std::vector<std::string_view> columns;
};

const TableSpec& organization_table();  // id, ceased_on, ceased_by_event, successor_id
const TableSpec& org_version_table();   // org_id, valid_from, name, ...
const TableSpec& person_table();
const TableSpec& device_table();
const TableSpec& certificate_table();
const TableSpec& event_table();

// "SELECT c1, c2 FROM t", "INSERT INTO t (c1, c2) VALUES ($1, $2)",
// "UPDATE t SET c2 = $2 WHERE c1 = $1", and " WHERE c1 = $1" (the key, for lookups).
std::string select_sql(const TableSpec& spec);
std::string insert_sql(const TableSpec& spec);
std::string update_sql(const TableSpec& spec);
std::string key_condition(const TableSpec& spec);

// An event as stored: the ordering columns and its JSON (bundle::event_to_json).
struct EventRow {
    std::string id;
    std::string type;
    std::string effective_date;
    std::int64_t file_order = 0;
    std::string body;
    bool operator==(const EventRow&) const = default;
};
EventRow to_event_row(const ReorgEvent& event);

// Binders do not copy the record's strings (Statement::bind_unowned): the record must stay
// alive and unchanged until the statement has run. Computed values go to the statement's
// scratch buffers. The organization row only (no versions) / one version of `org_id`.
void bind_organization(Statement& st, const Organization& org);
void bind_org_version(Statement& st, std::string_view org_id, const OrgVersion& version);
void bind_person(Statement& st, const Person& person);
void bind_device(Statement& st, const Device& device);
void bind_certificate(Statement& st, const Certificate& cert);
void bind_event(Statement& st, const EventRow& event);

// Readers fail (store.corrupt_row) on values the schema allows but kyso cannot read back.
Result<Organization> read_organization(const Statement& st, int first = 0);  // no versions
Result<OrgVersion> read_org_version(const Statement& st, int first = 0);     // from org_id
Result<Person> read_person(const Statement& st, int first = 0);
Result<Device> read_device(const Statement& st, int first = 0);
Result<Certificate> read_certificate(const Statement& st, int first = 0);
EventRow read_event_row(const Statement& st, int first = 0);

}  // namespace kyso::store::postgres
