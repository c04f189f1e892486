// kyso store — writes registry records into PostgreSQL: upsert by key, counting what changed.
#pragma once

#include <deque>
#include <vector>

#include "core/event.h"
#include "core/registry.h"
#include "core/result.h"
#include "store/postgres/connection.h"
#include "store/postgres/rows.h"
#include "store/store.h"

namespace kyso::store::postgres {

// Runs inside a write transaction that the caller owns (and rolls back on any error). Each
// record is looked up by its key and compared: equal → counted unchanged, not written;
// different → UPDATE; absent → INSERT. A table that is empty when a write starts takes a fast
// path with no lookups (a first import of a million certificates), where the primary key still
// catches an id given twice. Errors name the table and the record's id.
class RegistryWriter {
public:
    // How an organization without ceased_on treats a stored cessation.
    enum class Cessation {
        keep_stored,  // import: a bundle does not record cessations, so keep what events set
        as_given,     // events apply: the given state is the whole truth
    };

    static Result<RegistryWriter> prepare(Connection& db);

    // Organizations first: people name them. Every organization row exists before any
    // version or successor is written, so those may name organizations later in the list.
    Status write_organizations(const std::vector<Organization>& orgs, Cessation cessation,
                               RowStats& org_stats, RowStats& version_stats);
    // Rows with only an id, no version, for organizations that events create but that are not
    // stored yet (`ids`, each skipped when present): people registered after `events apply`
    // name them, and an export of such a database imports elsewhere before its events are
    // applied. Reading ignores an organization without a version until its event writes one.
    Status reserve_organizations(const std::vector<std::string>& ids);
    Status write_people(const std::vector<Person>& people, RowStats& stats);
    Status write_devices(const std::vector<Device>& devices, RowStats& stats);
    // After devices: device_id names one. With `written`, each certificate inserted or updated
    // is appended to it (for the audit log).
    Status write_certificates(const std::vector<Certificate>& certificates, RowStats& stats,
                              std::vector<const Certificate*>* written = nullptr);
    Status write_events(const std::vector<ReorgEvent>& events, RowStats& stats);

private:
    // The statements of one table.
    struct Table {
        const TableSpec* spec = nullptr;
        Statement find;  // by key
        Statement insert;
        Statement update;
    };

    explicit RegistryWriter(Connection& db) : db_(&db) {}
    static Status prepare_table(Connection& db, const TableSpec& spec, Table& table);

    // The generic upsert loop of people, devices, certificates and events.
    template <typename Record, typename Traits>
    Status upsert(const std::vector<Record>& records, Table& table, RowStats& stats,
                  std::vector<const Record*>* written = nullptr);

    Status check_event_state(const Organization& org, const std::vector<OrgVersion>& stored,
                             bool& echo);
    Status write_versions(const Organization& org, const std::vector<OrgVersion>& stored,
                          RowStats& version_stats, bool& changed);

    Connection* db_;
    Table orgs_;
    Table versions_;
    Statement versions_of_org_;  // all stored versions of one organization
    Statement insert_org_id_;    // an organization row with only its id
    Statement reserve_org_id_;   // the same, unless the row exists
    Table people_;
    Table devices_;
    Table certificates_;
    std::deque<Certificate> kept_certificates_;  // rows written as kept (upsert), for the audit
    Table events_;
};

}  // namespace kyso::store::postgres
