// kyso store — reads the registry, the events and the counts back from PostgreSQL.
#include "store/postgres/registry_reader.h"

#include <optional>
#include <string>
#include <utility>

#include "bundle/events_json.h"
#include "core/messages.h"
#include "store/postgres/event_applications.h"
#include "store/postgres/rows.h"
#include "x509/certificate.h"

namespace kyso::store::postgres {

namespace {

// Reads every row of `sql` with `read` into `out`; `reserve` rows are expected.
template <typename T, typename Read>
Status read_all(Connection& db, const std::string& sql, std::int64_t reserve, std::vector<T>& out,
                Read read) {
    auto stmt = db.prepare(sql);
    if (!stmt) return stmt.error();
    out.reserve(static_cast<std::size_t>(reserve));
    while (true) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return Ok{};
        auto record = read(*stmt);
        if (!record) return record.error();
        out.push_back(std::move(*record));
    }
}

// Organizations with their versions in one ordered join: the rows of one organization are
// consecutive (ord: import order, then valid_from by the primary key of org_versions).
Status read_organizations(Connection& db, const std::optional<Date>& as_of,
                          std::vector<Organization>& out) {
    const TableSpec& orgs = organization_table();
    const TableSpec& versions = org_version_table();
    std::string sql = "SELECT ";
    for (const auto& c : orgs.columns) sql += "o." + std::string(c) + ", ";
    for (std::size_t i = 0; i < versions.columns.size(); ++i) {
        sql += (i ? ", v." : "v.") + std::string(versions.columns[i]);
    }
    sql += " FROM organizations o JOIN org_versions v ON v.org_id = o.id";
    // Versions that start after as_of did not exist yet; an organization left without any
    // version did not exist yet either, and the join drops it.
    if (as_of) sql += " WHERE v.valid_from <= $1";
    sql += " ORDER BY o.ord, v.valid_from";
    auto stmt = db.prepare(sql);
    if (!stmt) return stmt.error();
    if (as_of) stmt->bind(1, as_of->str());
    const int first_version = static_cast<int>(orgs.columns.size());
    while (true) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) break;
        if (out.empty() || out.back().id != stmt->text(0)) {
            auto org = read_organization(*stmt);
            if (!org) return org.error();
            // A cessation after as_of had not happened yet on that day.
            if (as_of && org->ceased_on && *as_of < *org->ceased_on) {
                org->ceased_on.reset();
                org->ceased_by_event.clear();
                org->successor_id.clear();
            }
            out.push_back(std::move(*org));
        }
        auto version = read_org_version(*stmt, first_version);
        if (!version) return version.error();
        out.back().versions.push_back(std::move(*version));
    }
    return Ok{};
}

Status read_table_counts(Connection& db, RegistryCounts& c, const Date& today) {
    auto stmt = db.prepare(
        "SELECT count(*), count(*) FILTER (WHERE ceased_on IS NULL OR ceased_on > $1) "
        "FROM organizations o WHERE EXISTS (SELECT 1 FROM org_versions v WHERE v.org_id = o.id)");
    if (!stmt) return stmt.error();
    stmt->bind(1, today.str());
    auto row = stmt->step();
    if (!row) return row.error();
    c.organizations = stmt->int64(0);
    c.active_organizations = stmt->int64(1);
    stmt->reset();

    auto people = db.query_int("SELECT count(*) FROM people");
    if (!people) return people.error();
    c.people = *people;
    auto events = db.query_int("SELECT count(*) FROM events");
    if (!events) return events.error();
    c.events = *events;
    return Ok{};
}

// Rows of "SELECT key, count(*) ... GROUP BY key", each handed to `add(key, n)`.
template <typename Add>
Status read_groups(Connection& db, std::string_view sql, Add add) {
    auto stmt = db.prepare(sql);
    if (!stmt) return stmt.error();
    while (true) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return Ok{};
        add(stmt->text(0), stmt->int64(1));
    }
}

}  // namespace

Result<Registry> read_registry(Connection& db, std::optional<Date> as_of) {
    auto tx = Transaction::begin(db, Transaction::Mode::read);
    if (!tx) return tx.error();
    Registry reg;
    if (auto st = read_organizations(db, as_of, reg.organizations); !st) return st.error();

    // Counted first so that a million rows are read without reallocating.
    auto people = db.query_int("SELECT count(*) FROM people");
    auto devices = db.query_int("SELECT count(*) FROM devices");
    auto certificates = db.query_int("SELECT count(*) FROM certificates");
    for (const auto* n : {&people, &devices, &certificates}) {
        if (!*n) return n->error();
    }
    auto read_table = [&](const TableSpec& spec, std::int64_t n, auto& out, auto read) {
        return read_all(db, select_sql(spec) + " ORDER BY ord", n, out,
                        [&](const Statement& st) { return read(st, 0); });
    };
    if (auto st = read_table(person_table(), *people, reg.people, read_person); !st) {
        return st.error();
    }
    if (auto st = read_table(device_table(), *devices, reg.devices, read_device); !st) {
        return st.error();
    }
    if (auto st =
            read_table(certificate_table(), *certificates, reg.certificates, read_certificate);
        !st) {
        return st.error();
    }
    reg.reindex();
    // People's organizations as changed by applied events (person_org_versions).
    if (auto st = apply_person_moves(db, as_of, reg); !st) return st.error();
    if (auto st = tx->commit(); !st) return st.error();
    return reg;
}

Result<std::vector<ReorgEvent>> read_events(Connection& db) {
    // Its own read transaction, or the caller's (an import reads the stored events while it
    // writes).
    std::optional<Transaction> tx;
    if (!db.in_transaction()) {
        auto begun = Transaction::begin(db, Transaction::Mode::read);
        if (!begun) return begun.error();
        tx.emplace(std::move(*begun));
    }
    std::vector<EventRow> rows;
    auto n = db.query_int("SELECT count(*) FROM events");
    if (!n) return n.error();
    const std::string sql = select_sql(event_table()) + " ORDER BY effective_date, file_order, id";
    auto st = read_all(db, sql, *n, rows,
                       [](const Statement& s) { return Result<EventRow>(read_event_row(s)); });
    if (!st) return st.error();
    if (tx) {
        if (auto done = tx->commit(); !done) return done.error();
    }

    // One parse of all bodies as an events.json document, by the codec that wrote them.
    std::string doc = "{\"events\": [";
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i > 0) doc += ',';
        doc += rows[i].body;
    }
    doc += "]}";
    // The store wrote these bodies: no size or list limit (an outside events.json has them).
    auto events = bundle::parse_events_json(doc, "events", SIZE_MAX, SIZE_MAX);
    if (!events) {
        const Error& e = events.error();
        return make_error("store.corrupt_row", Location{"events", 0, {}, e.where.id},
                          {"events", e.where.id, e.message_en});
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
        (*events)[i].file_order = static_cast<std::size_t>(rows[i].file_order);
    }
    return std::move(*events);
}

Result<RegistryCounts> read_counts(Connection& db, const Date& today) {
    auto tx = Transaction::begin(db, Transaction::Mode::read);
    if (!tx) return tx.error();
    RegistryCounts c;
    if (auto st = read_table_counts(db, c, today); !st) return st.error();
    auto devices = read_groups(db, "SELECT kind, count(*) FROM devices GROUP BY kind",
                               [&](std::string_view kind, std::int64_t n) {
                                   const auto k = parse_device_kind(kind);
                                   if (k == DeviceKind::usb_token) c.usb_tokens = n;
                                   if (k == DeviceKind::pki_sim) c.pki_sims = n;
                                   if (k == DeviceKind::hsm) c.hsms = n;
                               });
    if (!devices) return devices.error();
    auto certs = read_groups(db, "SELECT status, count(*) FROM certificates GROUP BY status",
                             [&](std::string_view status, std::int64_t n) {
                                 const auto s = parse_cert_status(status);
                                 if (s == CertStatus::valid) c.valid_certificates = n;
                                 if (s == CertStatus::revoked) c.revoked_certificates = n;
                             });
    if (!certs) return certs.error();
    auto unlinked = db.query_int("SELECT count(*) FROM certificates WHERE holder_id = ''");
    if (!unlinked) return unlinked.error();
    c.unlinked_certificates = *unlinked;
    // Few certificates have no holder: each one's file is read to tell a CA's from the others.
    auto ders = db.prepare("SELECT der FROM certificates WHERE holder_id = '' AND der IS NOT NULL");
    if (!ders) return ders.error();
    while (true) {
        auto row = ders->step();
        if (!row) return row.error();
        if (!*row) break;
        if (x509::is_ca_certificate(ders->blob(0))) ++c.ca_certificates;
    }
    if (auto st = tx->commit(); !st) return st.error();
    return c;
}

}  // namespace kyso::store::postgres
