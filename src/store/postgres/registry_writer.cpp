// kyso store — writes registry records into PostgreSQL: upsert by key, counting what changed.
#include "store/postgres/registry_writer.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <utility>

#include "core/interrupt.h"
#include "core/messages.h"
#include "store/identity.h"
#include "store/postgres/errors.h"

namespace kyso::store::postgres {

namespace {

// The one foreign key of a row that can fail (field, value); empty field: none.
using Reference = std::pair<std::string_view, std::string_view>;

Error duplicate_error(std::string_view table, std::string_view id) {
    return make_error("store.duplicate_id", Location{std::string(table), 0, {}, std::string(id)},
                      {table, id});
}

// Turns a failed INSERT/UPDATE into an error naming the record and, for a foreign key, the
// reference that names nothing (each table has at most one that the writer can violate).
Error write_error(const Statement& st, std::string_view table, std::string_view id, Reference ref) {
    const std::string& code = st.last_error();
    if (code == kForeignKeyViolation && !ref.first.empty()) {
        return make_error("store.foreign_key",
                          Location{std::string(table), 0, std::string(ref.first), std::string(id)},
                          {table, id, ref.first, ref.second});
    }
    if (code == kUniqueViolation) {
        return duplicate_error(table, id);
    }
    return make_error("store.write", Location{std::string(table), 0, {}, std::string(id)},
                      {table, id, st.last_message()});
}

struct PersonTraits {
    static std::string_view id(const Person& p) { return p.id; }
    static void bind(Statement& st, const Person& p) { bind_person(st, p); }
    static Result<Person> read(const Statement& st) { return read_person(st); }
    static bool same(const Person& a, const Person& b) { return a == b; }
    static Reference reference(const Person& p) { return {"org_id", p.org_id}; }
    // The identity rule (store/identity.h): a different person is never written over a stored one.
    static std::optional<Error> conflict(const Person& stored, const Person& p) {
        if (!different_person(stored, p)) return std::nullopt;
        return make_error(
            "store.person_conflict", Location{"people", 0, "full_name", p.id},
            {p.id, stored.full_name, stored.date_of_birth, p.full_name, p.date_of_birth});
    }
    static std::optional<Person> keep_stored(const Person&, const Person&) { return {}; }
};

struct DeviceTraits {
    static std::string_view id(const Device& d) { return d.id; }
    static void bind(Statement& st, const Device& d) { bind_device(st, d); }
    static Result<Device> read(const Statement& st) { return read_device(st); }
    static bool same(const Device& a, const Device& b) { return a == b; }
    static Reference reference(const Device&) { return {}; }
    static std::optional<Error> conflict(const Device& stored, const Device& d) {
        if (!stored.holder.id.empty() && !(stored.holder == d.holder)) {
            return make_error(
                "store.device_moved", Location{"devices", 0, "holder_id", d.id},
                {d.id, std::string(to_string(stored.holder.type)) + " " + stored.holder.id,
                 std::string(to_string(d.holder.type)) + " " + d.holder.id});
        }
        if (!different_device(stored, d)) return std::nullopt;
        return make_error("store.device_conflict", Location{"devices", 0, "serial", d.id},
                          {d.id, stored.serial, d.serial});
    }
    static std::optional<Device> keep_stored(const Device&, const Device&) { return {}; }
};

struct CertificateTraits {
    static std::string_view id(const Certificate& c) { return c.serial; }
    static void bind(Statement& st, const Certificate& c) { bind_certificate(st, c); }
    static Result<Certificate> read(const Statement& st) { return read_certificate(st); }
    static bool same(const Certificate& a, const Certificate& b) { return same_certificate(a, b); }
    static Reference reference(const Certificate& c) { return {"device_id", c.device_id}; }
    // A certificate is issued to one subject: an import never gives it to another holder (an
    // unlinked row keeps the stored holder, keep_stored). Issue 10: nothing moves in silence.
    static std::optional<Error> conflict(const Certificate& stored, const Certificate& c) {
        if (stored.holder.id.empty() || c.holder.id.empty() || stored.holder == c.holder)
            return std::nullopt;
        return make_error(
            "store.certificate_moved", Location{"certificates", 0, "holder_id", c.serial},
            {c.serial, std::string(to_string(stored.holder.type)) + " " + stored.holder.id,
             std::string(to_string(c.holder.type)) + " " + c.holder.id});
    }
    // A row that brings no certificate file (a bundle without `pem`, an intake) keeps the stored
    // file and what was read from it (DER, issuer, fingerprints) and the certificate it
    // replaced: a bundle has no columns for them, so their absence is not a change.
    static std::optional<Certificate> keep_stored(const Certificate& stored,
                                                  const Certificate& in) {
        const bool keep_file = in.der.empty() && !stored.der.empty();
        const bool keep_replaced = in.replaces_serial.empty() && !stored.replaces_serial.empty();
        // An unlinked row says the holder is not known to its writer, not that the certificate
        // has none: a linked certificate stays linked.
        const bool keep_holder = in.holder.id.empty() && !stored.holder.id.empty();
        if (!keep_file && !keep_replaced && !keep_holder) return {};
        Certificate out = in;
        if (keep_holder) {
            out.holder = stored.holder;
            if (out.device_id.empty()) out.device_id = stored.device_id;
        }
        if (keep_file) {
            out.der = stored.der;
            out.issuer_text = stored.issuer_text;
            out.sha256_cert = stored.sha256_cert;
            out.sha256_key = stored.sha256_key;
            if (out.pem.empty()) out.pem = stored.pem;
            // The file's exact validity wins over a date-only row naming the same days.
            if (out.not_before.substr(0, 10) == stored.not_before.substr(0, 10) &&
                out.not_after.substr(0, 10) == stored.not_after.substr(0, 10)) {
                out.not_before = stored.not_before;
                out.not_after = stored.not_after;
                out.not_after_date = stored.not_after_date;
            }
        }
        if (keep_replaced) out.replaces_serial = stored.replaces_serial;
        return out;
    }
};

struct EventTraits {
    static std::string_view id(const EventRow& e) { return e.id; }
    static void bind(Statement& st, const EventRow& e) { bind_event(st, e); }
    static Result<EventRow> read(const Statement& st) { return read_event_row(st); }
    static bool same(const EventRow& a, const EventRow& b) { return a == b; }
    static Reference reference(const EventRow&) { return {}; }
    static std::optional<Error> conflict(const EventRow&, const EventRow&) { return {}; }
    static std::optional<EventRow> keep_stored(const EventRow&, const EventRow&) { return {}; }
};

bool same_cessation(const Organization& a, const Organization& b) {
    return a.ceased_on == b.ceased_on && a.ceased_by_event == b.ceased_by_event &&
           a.successor_id == b.successor_id;
}

}  // namespace

Status RegistryWriter::prepare_table(Connection& db, const TableSpec& spec, Table& table) {
    table.spec = &spec;
    auto find = db.prepare(select_sql(spec) + key_condition(spec));
    if (!find) return find.error();
    auto insert = db.prepare(insert_sql(spec));
    if (!insert) return insert.error();
    auto update = db.prepare(update_sql(spec));
    if (!update) return update.error();
    table.find = std::move(*find);
    table.insert = std::move(*insert);
    table.update = std::move(*update);
    return Ok{};
}

Result<RegistryWriter> RegistryWriter::prepare(Connection& db) {
    RegistryWriter w(db);
    const std::pair<const TableSpec*, Table*> tables[] = {{&organization_table(), &w.orgs_},
                                                          {&org_version_table(), &w.versions_},
                                                          {&person_table(), &w.people_},
                                                          {&device_table(), &w.devices_},
                                                          {&certificate_table(), &w.certificates_},
                                                          {&event_table(), &w.events_}};
    for (const auto& [spec, table] : tables) {
        if (auto st = prepare_table(db, *spec, *table); !st) return st.error();
    }
    auto versions =
        db.prepare(select_sql(org_version_table()) + " WHERE org_id = $1 ORDER BY valid_from");
    if (!versions) return versions.error();
    w.versions_of_org_ = std::move(*versions);
    auto reserve =
        db.prepare("INSERT INTO organizations (id) VALUES ($1) ON CONFLICT (id) DO NOTHING");
    if (!reserve) return reserve.error();
    w.reserve_org_id_ = std::move(*reserve);
    auto insert_id = db.prepare("INSERT INTO organizations (id) VALUES ($1)");
    if (!insert_id) return insert_id.error();
    w.insert_org_id_ = std::move(*insert_id);
    return w;
}

template <typename Record, typename Traits>
Status RegistryWriter::upsert(const std::vector<Record>& records, Table& table, RowStats& stats,
                              std::vector<const Record*>* written) {
    const std::string_view name = table.spec->table;
    auto empty = db_->table_is_empty(name);
    if (!empty) return empty.error();
    const bool fast = *empty;
    std::unordered_set<std::string_view> seen;
    if (!fast) seen.reserve(records.size());
    std::size_t count = 0;
    for (const Record& record : records) {
        // A cancelled job: the caller's transaction rolls back (core/interrupt.h).
        if (++count % kInterruptChunk == 0 && interrupted()) return interrupted_error();
        const std::string_view id = Traits::id(record);
        Statement* write = &table.insert;
        const Record* row_to_write = &record;
        std::optional<Record> kept;  // the record with what the stored row knows and it lacks
        if (!fast) {
            // Without this, a repeated id would silently update the row inserted just before.
            if (!seen.insert(id).second) return duplicate_error(name, id);
            table.find.reset();
            table.find.bind(1, id);
            auto row = table.find.step();
            if (!row) return row.error();
            if (*row) {
                auto current = Traits::read(table.find);
                table.find.reset();
                if (!current) return current.error();
                kept = Traits::keep_stored(*current, record);
                if (kept) row_to_write = &*kept;
                if (Traits::same(*current, *row_to_write)) {
                    ++stats.unchanged;
                    continue;
                }
                if (auto e = Traits::conflict(*current, record)) return std::move(*e);
                write = &table.update;
            }
        }
        write->reset();
        Traits::bind(*write, *row_to_write);
        if (!write->run()) return write_error(*write, name, id, Traits::reference(record));
        ++(write == &table.insert ? stats.inserted : stats.updated);
        if (written != nullptr) {
            if constexpr (std::is_same_v<Record, Certificate>) {
                // The audit names what was stored, which may be the kept version of the row.
                if (kept) {
                    kept_certificates_.push_back(std::move(*kept));
                    written->push_back(&kept_certificates_.back());
                    continue;
                }
            }
            written->push_back(&record);
        }
    }
    return Ok{};
}

Status RegistryWriter::write_versions(const Organization& org,
                                      const std::vector<OrgVersion>& stored,
                                      RowStats& version_stats, bool& changed) {
    for (const OrgVersion* v : versions_to_store(org)) {
        const OrgVersion* same_day = nullptr;
        for (const auto& s : stored) {
            if (s.valid_from == v->valid_from) same_day = &s;
        }
        if (same_day != nullptr && *same_day == *v) {
            ++version_stats.unchanged;
            continue;
        }
        Statement& write = same_day != nullptr ? versions_.update : versions_.insert;
        write.reset();
        bind_org_version(write, org.id, *v);
        if (!write.run()) {
            return write_error(write, "org_versions", org.id, {"superior_id", v->superior_id});
        }
        ++(same_day != nullptr ? version_stats.updated : version_stats.inserted);
        changed = true;
    }
    return Ok{};
}

// An imported organization whose stored history was written by events (`kyso events apply`):
// a bundle row equal to the version in force now only repeats it (an export of the current
// state, or an intake matched against the database) and must not become the registered state,
// which would make the plan replay the events over their own result ("new id already exists",
// a rename applied twice). A different row for an organization that an event created is refused:
// such an organization changes only through events.
Status RegistryWriter::check_event_state(const Organization& org,
                                         const std::vector<OrgVersion>& stored, bool& echo) {
    const auto by_date = [](const OrgVersion& a, const OrgVersion& b) {
        return a.valid_from < b.valid_from;
    };
    const OrgVersion& first = *std::min_element(stored.begin(), stored.end(), by_date);
    const OrgVersion& now = *std::max_element(stored.begin(), stored.end(), by_date);
    OrgVersion in_force = now;
    in_force.valid_from = org.current().valid_from;
    in_force.event_id = org.current().event_id;
    if (now.event_id.empty() && first.event_id.empty()) return Ok{};  // no event wrote it
    if (org.versions.size() == 1 && in_force == org.current()) {
        echo = true;
        return Ok{};
    }
    if (!first.event_id.empty()) {
        return make_error("store.event_created_org", Location{"organizations", 0, {}, org.id},
                          {org.id, first.event_id});
    }
    return Ok{};
}

Status RegistryWriter::write_organizations(const std::vector<Organization>& orgs,
                                           Cessation cessation, RowStats& org_stats,
                                           RowStats& version_stats) {
    auto empty = db_->table_is_empty("organizations");
    if (!empty) return empty.error();
    struct Stored {
        std::optional<Organization> row;  // absent: new
        std::vector<OrgVersion> versions;
    };
    std::vector<Stored> stored(orgs.size());
    std::unordered_set<std::string_view> seen;
    seen.reserve(orgs.size());

    // Pass 1: every organization row exists, so versions and successors may name any of them.
    for (std::size_t i = 0; i < orgs.size(); ++i) {
        const Organization& org = orgs[i];
        if (org.versions.empty()) {
            return make_error("store.no_versions", Location{"organizations", 0, {}, org.id},
                              {org.id});
        }
        if (!seen.insert(org.id).second) return duplicate_error("organizations", org.id);
        if (!*empty) {
            orgs_.find.reset();
            orgs_.find.bind(1, org.id);
            auto row = orgs_.find.step();
            if (!row) return row.error();
            if (*row) {
                auto current = read_organization(orgs_.find);
                orgs_.find.reset();
                if (!current) return current.error();
                stored[i].row = std::move(*current);
                versions_of_org_.reset();
                versions_of_org_.bind(1, org.id);
                while (true) {
                    auto next = versions_of_org_.step();
                    if (!next) return next.error();
                    if (!*next) break;
                    auto v = read_org_version(versions_of_org_);
                    if (!v) return v.error();
                    stored[i].versions.push_back(std::move(*v));
                }
                continue;
            }
        }
        insert_org_id_.reset();
        insert_org_id_.bind(1, org.id);
        if (!insert_org_id_.run()) return write_error(insert_org_id_, "organizations", org.id, {});
    }

    // Pass 2: versions and cessation.
    for (std::size_t i = 0; i < orgs.size(); ++i) {
        const Organization& org = orgs[i];
        bool changed = false;
        bool echo = false;  // the import repeats the state in force: nothing to write
        if (cessation == Cessation::keep_stored && !stored[i].versions.empty()) {
            auto st = check_event_state(org, stored[i].versions, echo);
            if (!st) return st;
        }
        if (echo) {
            version_stats.unchanged += org.versions.size();
        } else if (auto st = write_versions(org, stored[i].versions, version_stats, changed); !st) {
            return st;
        }
        // A new row starts without cessation, as inserted in pass 1.
        const Organization baseline = stored[i].row.value_or(Organization{org.id, {}, {}, {}, {}});
        const bool keep = cessation == Cessation::keep_stored && !org.ceased_on;
        if (!keep && !same_cessation(baseline, org)) {
            orgs_.update.reset();
            bind_organization(orgs_.update, org);
            if (!orgs_.update.run()) {
                return write_error(orgs_.update, "organizations", org.id,
                                   {"successor_id", org.successor_id});
            }
            changed = true;
        }
        if (!stored[i].row) {
            ++org_stats.inserted;
        } else if (changed) {
            ++org_stats.updated;
        } else {
            ++org_stats.unchanged;
        }
    }
    return Ok{};
}

Status RegistryWriter::reserve_organizations(const std::vector<std::string>& ids) {
    for (const std::string& id : ids) {
        reserve_org_id_.reset();
        reserve_org_id_.bind(1, id);
        if (!reserve_org_id_.run()) return write_error(reserve_org_id_, "organizations", id, {});
    }
    return Ok{};
}

Status RegistryWriter::write_people(const std::vector<Person>& people, RowStats& stats) {
    return upsert<Person, PersonTraits>(people, people_, stats);
}

Status RegistryWriter::write_devices(const std::vector<Device>& devices, RowStats& stats) {
    return upsert<Device, DeviceTraits>(devices, devices_, stats);
}

Status RegistryWriter::write_certificates(const std::vector<Certificate>& certificates,
                                          RowStats& stats,
                                          std::vector<const Certificate*>* written) {
    kept_certificates_.clear();
    return upsert<Certificate, CertificateTraits>(certificates, certificates_, stats, written);
}

Status RegistryWriter::write_events(const std::vector<ReorgEvent>& events, RowStats& stats) {
    std::vector<EventRow> rows;
    rows.reserve(events.size());
    for (const auto& e : events) rows.push_back(to_event_row(e));
    return upsert<EventRow, EventTraits>(rows, events_, stats);
}

}  // namespace kyso::store::postgres
