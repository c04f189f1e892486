// kyso store — the Store interface: the registry and events saved in a database (SQLite or
// PostgreSQL).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/event.h"
#include "core/registry.h"
#include "core/result.h"

namespace kyso::store {

// What one kind of record went through in a write.
struct RowStats {
    std::size_t inserted = 0;
    std::size_t updated = 0;
    std::size_t unchanged = 0;  // identical to the stored row, so not written

    [[nodiscard]] std::size_t total() const { return inserted + updated + unchanged; }
    [[nodiscard]] bool changed() const { return inserted + updated > 0; }
    bool operator==(const RowStats&) const = default;
};

struct ImportStats {
    RowStats organizations;  // an organization is updated when a version or its cessation is
    RowStats org_versions;
    RowStats people;
    RowStats devices;
    RowStats certificates;
    RowStats events;

    [[nodiscard]] bool changed() const;
    bool operator==(const ImportStats&) const = default;
};

// Totals for a summary (`kyso status`).
struct RegistryCounts {
    std::int64_t organizations = 0;
    std::int64_t active_organizations = 0;  // not ceased on the day of the count
    std::int64_t people = 0;
    std::int64_t usb_tokens = 0;
    std::int64_t pki_sims = 0;
    std::int64_t hsms = 0;
    std::int64_t valid_certificates = 0;
    std::int64_t revoked_certificates = 0;
    // Of the certificates above: those with no holder (FORMATS.md §1 unlinked), and of those the
    // CA certificates (x509 is_ca_certificate; a certificate without its file is not counted
    // as one). The holders' certificates are the others.
    std::int64_t unlinked_certificates = 0;
    std::int64_t ca_certificates = 0;
    std::int64_t events = 0;

    [[nodiscard]] std::int64_t devices() const { return usb_tokens + pki_sims + hsms; }
    [[nodiscard]] std::int64_t certificates() const {
        return valid_certificates + revoked_certificates;
    }
    bool operator==(const RegistryCounts&) const = default;
};

// A person's organization from `valid_from` on, as an applied event (`event_id`) changed it.
struct PersonMove {
    std::string person_id;
    Date valid_from;  // the event's effective_date
    std::string org_id;
    std::string event_id;
    bool operator==(const PersonMove&) const = default;
};

// One applied schema migration, as recorded in the database.
struct AppliedMigration {
    int version = 0;
    std::string name;
    std::string applied_at;  // UTC, ISO 8601
    bool operator==(const AppliedMigration&) const = default;
};

// The registry and its events in a database. Every write is one transaction: it happens
// entirely or not at all, and a failure says which record (kind and id) and why. Writes
// upsert by id (organizations, people, devices, events by id; certificates by serial) and
// never delete; a record identical to the stored one is not written. No method throws.
// A Store is one connection: use it from one thread at a time (open one per thread).
//
// Organization history: versions are identified by (organization id, valid_from). Writing an
// organization inserts the versions the database lacks, rewrites a stored version whose date
// matches but whose values differ (a correction), and keeps stored versions the input does not
// mention; where the input has several versions on one date, the last one is the state of that
// day (as Organization::as_of reads it) and the only one kept. So a re-import whose current
// version differs from the stored one adds it as a new version from its own valid_from, and
// later versions written by `kyso events apply` survive a re-import of the original bundle.
// A bundle gives its registered version the fixed date 0001-01-01 (bundle_reader), so editing
// a name in organizations.csv and importing again corrects that version in place: it was
// wrong data, not a change in time, which only events record.
//
// People history, the same way: a person's stored row is the registered state (what the bundle
// said), and each change of organization made by an applied event is a PersonMove, in force
// from its valid_from until the next one. Loading gives the organization of the last move on or
// before the day (the latest move without `as_of`), else the registered one; so a re-import of
// the original bundle leaves the moves in force, as it leaves organization versions.
class Store {
public:
    Store() = default;
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;
    virtual ~Store() = default;

    // Back-end and location for messages and logs, e.g. "sqlite:/srv/kyso/kyso.db",
    // "postgresql://db.example/kyso" (never a password).
    [[nodiscard]] virtual std::string description() const = 0;
    // The newest migration applied to the database (0 for none).
    virtual Result<int> schema_version() = 0;
    virtual Result<std::vector<AppliedMigration>> applied_migrations() = 0;

    // Imports a registry and its events in one transaction. An imported organization without
    // ceased_on leaves a stored cessation as it is (a bundle does not record cessations; they
    // come from applied events). Records missing from the import are kept. The same transaction
    // writes the audit entries (kAuditImport with the counts and `source`, and the status and
    // holder of every certificate inserted or updated) under `actor`.
    virtual Result<ImportStats> import_registry(const Registry& registry,
                                                const std::vector<ReorgEvent>& events,
                                                const std::string& actor,
                                                const std::string& source) = 0;

    // The registry, indexed (reindex() done), in the order of the first import. With `as_of`,
    // it is as it stood on that day: organizations with their versions up to the one in force,
    // a cessation only if on or before it, and those whose first version is later omitted;
    // people in the organization they were in that day (see PersonMove). Devices and
    // certificates have no history and are always the current ones.
    virtual Result<Registry> load_registry(std::optional<Date> as_of) = 0;
    Result<Registry> load_registry() { return load_registry(std::nullopt); }

    // Events by effective_date, ties in file order (FORMATS.md §2).
    virtual Result<std::vector<ReorgEvent>> load_events() = 0;

    // Saves the result of applying events (`kyso events apply`) in one transaction: new
    // organizations, their versions (see the class comment), ceased_on / ceased_by_event /
    // successor_id exactly as given (also when cleared), the people's moves (a move on the day
    // of a stored one replaces it), and `event_ids` recorded as applied on `as_of`. An event
    // already applied is an error (store.event_applied), and so is one that is not stored.
    // Audited under `actor` in the same transaction.
    virtual Status apply_events(const std::vector<Organization>& orgs,
                                const std::vector<PersonMove>& moves,
                                const std::vector<std::string>& event_ids, Date as_of,
                                const std::string& actor) = 0;
    // Ids of the events applied so far, by effective_date, ties in file order.
    virtual Result<std::vector<std::string>> applied_event_ids() = 0;

    // Inserts or updates certificates by serial in one transaction (import of certificate
    // files), audited under `actor` with `source`. A device_id must name a stored device.
    virtual Status upsert_certificates(const std::vector<Certificate>& certificates,
                                       const std::string& actor, const std::string& source) = 0;

    virtual Result<RegistryCounts> counts() = 0;
};

// Audit actions of registry writes (the detail is JSON).
inline constexpr std::string_view kAuditImport = "registry.import";
inline constexpr std::string_view kAuditEventsApply = "events.apply";
inline constexpr std::string_view kAuditCertificateFiles = "registry.certificate_files";

// Opens the store at `location`, created or migrated as needed: a PostgreSQL URI
// ("postgresql://…", "postgres://…") or libpq keyword string ("host=… dbname=…") is PostgreSQL
// (postgres/postgres_store.h); "sqlite:PATH" or anything else is a SQLite file path.
Result<std::unique_ptr<Store>> open_store(const std::string& location);

// The rules every back-end shares (so that "unchanged" means the same everywhere).
// A certificate's stored fields are all equal (Certificate has no operator==).
bool same_certificate(const Certificate& a, const Certificate& b);
// The versions of `org` that are written: sorted by valid_from, the last of equal dates.
std::vector<const OrgVersion*> versions_to_store(const Organization& org);

}  // namespace kyso::store
