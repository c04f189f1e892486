// kyso store — the PostgreSQL back-end of Store: one database file, migrated when opened.
#include "store/postgres/postgres_store.h"

#include <exception>
#include <new>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_set>
#include <utility>

#include "core/messages.h"
#include "store/audit_key.h"
#include "store/migrations/migration.h"
#include "store/postgres/audit_log.h"
#include "store/postgres/connection.h"
#include "store/postgres/errors.h"
#include "store/postgres/event_applications.h"
#include "store/postgres/migrator.h"
#include "store/postgres/registry_reader.h"
#include "store/postgres/registry_writer.h"
#include "store/postgres/search_index.h"

namespace kyso::store::postgres {

namespace {

class PgStore final : public Store {
public:
    explicit PgStore(Connection db) : db_(std::move(db)) {}

    using Store::load_registry;

    std::string description() const override { return db_.description(); }

    Result<int> schema_version() override {
        return guarded([&]() -> Result<int> {
            auto v = db_.query_int("SELECT coalesce(max(version), 0) FROM schema_migrations");
            if (!v) return v.error();
            return static_cast<int>(*v);
        });
    }

    Result<std::vector<AppliedMigration>> applied_migrations() override {
        return guarded([&] { return postgres::applied_migrations(db_); });
    }

    Result<ImportStats> import_registry(const Registry& registry,
                                        const std::vector<ReorgEvent>& events,
                                        const std::string& actor,
                                        const std::string& source) override {
        return guarded([&]() -> Result<ImportStats> {
            ImportStats stats;
            auto st = in_write_transaction([&](RegistryWriter& w) -> Status {
                using C = RegistryWriter::Cessation;
                if (auto s = w.write_organizations(registry.organizations, C::keep_stored,
                                                   stats.organizations, stats.org_versions);
                    !s) {
                    return s;
                }
                auto reserved = created_and_named(registry, events);
                if (!reserved) return reserved.error();
                if (auto s = w.reserve_organizations(*reserved); !s) return s;
                if (auto s = w.write_people(registry.people, stats.people); !s) return s;
                if (auto s = w.write_devices(registry.devices, stats.devices); !s) return s;
                std::vector<const Certificate*> written;
                if (auto s =
                        w.write_certificates(registry.certificates, stats.certificates, &written);
                    !s) {
                    return s;
                }
                if (auto s = w.write_events(events, stats.events); !s) return s;
                if (!stats.changed()) return Ok{};  // a re-import that changes nothing
                if (auto s = audit_.append(actor, std::string(kAuditImport), source,
                                           import_detail(stats));
                    !s)
                    return s;
                return audit_.certificates(actor, source, written);
            });
            if (!st) return st.error();
            return stats;
        });
    }

    Result<Registry> load_registry(std::optional<Date> as_of) override {
        return guarded([&] { return read_registry(db_, as_of); });
    }

    Result<std::vector<ReorgEvent>> load_events() override {
        return guarded([&] { return read_events(db_); });
    }

    Status apply_events(const std::vector<Organization>& orgs, const std::vector<PersonMove>& moves,
                        const std::vector<std::string>& event_ids, Date as_of,
                        const std::string& actor) override {
        return guarded([&] {
            return in_write_transaction([&](RegistryWriter& w) -> Status {
                if (auto s = record_applied_events(db_, event_ids, as_of); !s) return s;
                RowStats org_stats, version_stats;
                if (auto s = w.write_organizations(orgs, RegistryWriter::Cessation::as_given,
                                                   org_stats, version_stats);
                    !s) {
                    return s;
                }
                // After the organizations: a move may name one the same events created.
                if (auto s = write_person_moves(db_, moves); !s) return s;
                nlohmann::ordered_json detail{{"as_of", as_of.str()},
                                              {"events", event_ids},
                                              {"organizations", orgs.size()},
                                              {"person_moves", moves.size()}};
                return audit_.append(actor, std::string(kAuditEventsApply), "events",
                                     detail.dump());
            });
        });
    }

    Result<std::vector<std::string>> applied_event_ids() override {
        return guarded([&] { return read_applied_event_ids(db_); });
    }

    Status upsert_certificates(const std::vector<Certificate>& certificates,
                               const std::string& actor, const std::string& source) override {
        return guarded([&] {
            return in_write_transaction([&](RegistryWriter& w) -> Status {
                RowStats stats;
                std::vector<const Certificate*> written;
                if (auto s = w.write_certificates(certificates, stats, &written); !s) return s;
                if (written.empty()) return Ok{};
                nlohmann::ordered_json detail{{"inserted", stats.inserted},
                                              {"updated", stats.updated},
                                              {"unchanged", stats.unchanged}};
                if (auto s = audit_.append(actor, std::string(kAuditCertificateFiles), source,
                                           detail.dump());
                    !s)
                    return s;
                return audit_.certificates(actor, source, written);
            });
        });
    }

    Result<RegistryCounts> counts() override {
        return guarded([&] { return read_counts(db_, Date::today()); });
    }

private:
    // Runs `write` in one write transaction; commits only if it succeeded, then appends the
    // audit chain's new head to the head file.
    template <typename Write>
    Status in_write_transaction(Write&& write) {
        // Every write is audited, and a PostgreSQL audit log needs its key file: refused before
        // the work (a million-row import), not at its end.
        if (configured_audit_key_path().empty())
            return make_error("store.pg_audit_key", Location{}, {db_.description()});
        audit_.begin();
        auto tx = Transaction::begin(db_, Transaction::Mode::write);
        if (!tx) return tx.error();
        auto writer = RegistryWriter::prepare(db_);
        if (!writer) return writer.error();
        if (auto st = write(*writer); !st) return st;  // ~Transaction rolls back
        if (auto st = refresh_search_index(db_); !st) return st;
        if (auto st = tx->commit(); !st) return st;
        return audit_.anchor();  // after the commit: the head file may lag, never lead
    }

    // Organizations that the events (the bundle's and the stored ones) create and that the
    // bundle's people name without the bundle registering them.
    // Runs inside the import's write transaction (read_events joins it).
    Result<std::vector<std::string>> created_and_named(const Registry& registry,
                                                       const std::vector<ReorgEvent>& events) {
        auto stored = read_events(db_);
        if (!stored) return stored.error();
        std::unordered_set<std::string_view> created;
        add_created_organization_ids(events, created);
        add_created_organization_ids(*stored, created);
        std::set<std::string> named;
        for (const Person& p : registry.people) {
            if (created.count(p.org_id) != 0 && registry.org(p.org_id) == nullptr)
                named.insert(p.org_id);
        }
        return std::vector<std::string>(named.begin(), named.end());
    }

    static std::string import_detail(const ImportStats& st) {
        auto counts = [](const RowStats& r) {
            return nlohmann::ordered_json{
                {"inserted", r.inserted}, {"updated", r.updated}, {"unchanged", r.unchanged}};
        };
        return nlohmann::ordered_json{{"organizations", counts(st.organizations)},
                                      {"org_versions", counts(st.org_versions)},
                                      {"people", counts(st.people)},
                                      {"devices", counts(st.devices)},
                                      {"certificates", counts(st.certificates)},
                                      {"events", counts(st.events)}}
            .dump();
    }

    Connection db_;
    AuditLog audit_{db_};
};

}  // namespace

Result<std::unique_ptr<Store>> open_postgres_store(const std::string& location) {
    return guarded([&]() -> Result<std::unique_ptr<Store>> {
        auto db = Connection::open(location);
        if (!db) return db.error();
        if (auto st = migrate(*db, postgres_migrations()); !st) return st.error();
        if (auto st = refresh_search_index_at_open(*db); !st) return st.error();
        return std::unique_ptr<Store>(std::make_unique<PgStore>(std::move(*db)));
    });
}

}  // namespace kyso::store::postgres
