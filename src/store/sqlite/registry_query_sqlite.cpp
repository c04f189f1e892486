// kyso store — the SQLite back-end of RegistryQuery: lists (one query for the page, one for the
// total, in one read transaction), details with their ETags, subtree checks.
#include "store/sqlite/registry_query_sqlite.h"

#include <algorithm>
#include <map>
#include <utility>

#include "core/messages.h"
#include "core/values.h"
#include "store/migrations/migration.h"
#include "store/sqlite/guarded.h"
#include "store/sqlite/migrator.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/search_index.h"

namespace kyso::store::sqlite {

namespace {

// A person's organization now: that of the last move an applied event made, else the registered
// one (Store's class comment, migration 0002). `p` is the alias of the people row.
std::string person_org(std::string_view p) {
    const std::string a(p);
    return "coalesce((SELECT m.org_id FROM person_org_versions AS m WHERE m.person_id = " + a +
           ".id ORDER BY m.valid_from DESC LIMIT 1), " + a + ".org_id)";
}

// The parts of one list query: common table expressions, conditions and their parameters.
struct Sql {
    std::vector<std::string> ctes;
    std::string where;
    std::vector<std::string> params;  // bound as text to ?1, ?2, ...

    std::string param(std::string value) {
        params.push_back(std::move(value));
        return "?" + std::to_string(params.size());
    }
    void condition(const std::string& c) { where += " AND " + c; }
    // A CTE with `root` and every organization under it now (current superior_id chain); its
    // name. UNION (not ALL) ends a cycle that bad data might hold.
    std::string tree(const std::string& root) {
        const std::string name = "tree" + std::to_string(ctes.size());
        ctes.push_back(name + "(id) AS (SELECT " + param(root) + " UNION SELECT c.org_id FROM " +
                       "org_current AS c JOIN " + name + " AS t ON c.superior_id = t.id)");
        return name;
    }
    std::string prefix() const {
        if (ctes.empty()) return {};
        std::string out = "WITH RECURSIVE ";
        for (std::size_t i = 0; i < ctes.size(); ++i) out += (i ? ", " : "") + ctes[i];
        return out + " ";
    }
};

bool hex_word(std::string_view w) {
    return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    });
}

// FTS5 query: every word must start a word of the record; a hex word may be a serial without
// its leading zero ("a1b" → "0a1b"). Words hold no '"' (search_words keeps letters and digits).
std::string match_expression(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& w : words) {
        if (!out.empty()) out += " AND ";
        std::string alt;
        if (hex_word(w)) {
            if (auto n = normalize_serial(w)) {
                std::string lower = *n;
                std::transform(lower.begin(), lower.end(), lower.begin(),
                               [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                if (lower != w) alt = lower;
            }
        }
        if (alt.empty()) {
            out += "\"" + w + "\"*";
        } else {
            out += "(\"" + w + "\"* OR \"" + alt + "\"*)";
        }
    }
    return out;
}

// The search and subtree conditions every list shares. `key` is the record's key column,
// `in_tree` turns a tree name into the condition that the record is in it.
template <typename InTree>
void common_conditions(Sql& sql, const ListQuery& q, std::string_view kind, const std::string& key,
                       InTree in_tree) {
    for (const std::string* root : {&q.scope, &q.org_subtree}) {
        if (!root->empty()) sql.condition(in_tree(sql.tree(*root)));
    }
    const auto words = search_words(q.search);
    if (!words.empty()) {
        // The FTS5 match first (by rowid), then the kind: joined the other way round, SQLite
        // would run the match once per record of the kind (seconds at 100,000 records).
        sql.condition(key +
                      " IN (SELECT t.ref FROM search_text AS t WHERE t.rowid IN (SELECT rowid"
                      " FROM search_fts WHERE search_fts MATCH " +
                      sql.param(match_expression(words)) + ") AND t.kind = '" + std::string(kind) +
                      "')");
    }
}

std::string holder_in_tree(std::string_view x, const std::string& tree) {
    const std::string a(x);
    return "((" + a + ".holder_type = 'org' AND " + a + ".holder_id IN (SELECT id FROM " + tree +
           ")) OR (" + a + ".holder_type = 'person' AND EXISTS (SELECT 1 FROM people AS hp WHERE " +
           "hp.id = " + a + ".holder_id AND " + person_org("hp") + " IN (SELECT id FROM " + tree +
           "))))";
}

std::string columns(const TableSpec& spec, std::string_view alias,
                    std::string_view null_column = {}) {
    std::string out;
    for (const auto& c : spec.columns) {
        if (!out.empty()) out += ", ";
        if (c == null_column) {
            out += "NULL";
        } else {
            out += std::string(alias) + "." + std::string(c);
        }
    }
    return out;
}

std::string order_by(const ListQuery& q,
                     const std::map<std::string, std::string, std::less<>>& keys,
                     std::string_view default_key, const std::string& tiebreak) {
    const std::string dir = q.descending ? " DESC" : " ASC";
    const auto it = keys.find(q.sort.empty() ? default_key : std::string_view(q.sort));
    std::string out = it->second + dir;
    if (it->second != tiebreak) out += ", " + tiebreak + dir;
    return out;
}

std::vector<std::string_view> key_names(const std::map<std::string, std::string, std::less<>>& m) {
    std::vector<std::string_view> out;
    for (const auto& [k, v] : m) out.push_back(k);
    return out;
}

// Runs the total and the page of a list in one read transaction.
template <typename T, typename Read>
Result<ListPage<T>> run_list(Connection& db, const ListQuery& q, const Sql& sql,
                             const std::string& select, const std::string& from,
                             const std::string& order, Read read) {
    auto tx = Transaction::begin(db, Transaction::Mode::read);
    if (!tx) return tx.error();
    ListPage<T> page;
    page.page = q.page;
    page.page_size = q.page_size;
    const std::string where = " WHERE 1 = 1" + sql.where;
    auto count = db.prepare(sql.prefix() + "SELECT count(*) " + from + where);
    if (!count) return count.error();
    for (std::size_t i = 0; i < sql.params.size(); ++i)
        count->bind(static_cast<int>(i + 1), sql.params[i]);
    auto has = count->step();
    if (!has) return has.error();
    page.total = *has ? count->int64(0) : 0;
    count->reset();
    const std::int64_t offset = static_cast<std::int64_t>(q.page - 1) * q.page_size;
    auto rows =
        db.prepare(sql.prefix() + select + " " + from + where + " ORDER BY " + order + " LIMIT " +
                   std::to_string(q.page_size) + " OFFSET " + std::to_string(offset));
    if (!rows) return rows.error();
    for (std::size_t i = 0; i < sql.params.size(); ++i)
        rows->bind(static_cast<int>(i + 1), sql.params[i]);
    while (true) {
        auto row = rows->step();
        if (!row) return row.error();
        if (!*row) break;
        auto item = read(*rows);
        if (!item) return item.error();
        page.items.push_back(std::move(*item));
    }
    if (auto st = tx->commit(); !st) return st.error();
    return page;
}

Error not_found(RecordKind kind, const std::string& id) {
    return make_error("store.not_found", Location{std::string(to_string(kind)), 0, {}, id},
                      {to_string(kind), id});
}

}  // namespace

Result<ListPage<Organization>> SqliteRegistryQuery::organizations(const OrganizationQuery& q) {
    static const std::map<std::string, std::string, std::less<>> keys{
        {"id", "o.id"}, {"name", "v.name"}, {"kind", "v.kind"}, {"valid_from", "v.valid_from"}};
    if (auto st = check_list_query(q, key_names(keys)); !st) return st.error();
    return guarded([&]() -> Result<ListPage<Organization>> {
        Sql sql;
        common_conditions(sql, q, "organization", "o.id", [](const std::string& tree) {
            return "o.id IN (SELECT id FROM " + tree + ")";
        });
        if (q.ceased) sql.condition(*q.ceased ? "o.ceased_on IS NOT NULL" : "o.ceased_on IS NULL");
        if (q.kind) sql.condition("v.kind = " + sql.param(std::string(to_string(*q.kind))));
        if (!q.superior_id.empty()) sql.condition("v.superior_id = " + sql.param(q.superior_id));
        const std::string select = "SELECT " + columns(organization_table(), "o") + ", " +
                                   columns(org_version_table(), "v");
        const int first_version = static_cast<int>(organization_table().columns.size());
        return run_list<Organization>(
            db_, q, sql, select, "FROM organizations AS o JOIN org_current AS v ON v.org_id = o.id",
            order_by(q, keys, "id", "o.id"), [&](const Statement& st) -> Result<Organization> {
                auto org = read_organization(st);
                if (!org) return org.error();
                auto v = read_org_version(st, first_version);
                if (!v) return v.error();
                org->versions.push_back(std::move(*v));
                return org;
            });
    });
}

Result<ListPage<Person>> SqliteRegistryQuery::people(const PersonQuery& q) {
    const std::string org = person_org("p");
    const std::map<std::string, std::string, std::less<>> keys{
        {"id", "p.id"}, {"name", "p.full_name"}, {"cccd", "p.cccd"}, {"org_id", org}};
    if (auto st = check_list_query(q, key_names(keys)); !st) return st.error();
    return guarded([&]() -> Result<ListPage<Person>> {
        Sql sql;
        common_conditions(sql, q, "person", "p.id", [&](const std::string& tree) {
            return org + " IN (SELECT id FROM " + tree + ")";
        });
        if (!q.org_id.empty()) sql.condition(org + " = " + sql.param(q.org_id));
        if (q.unassigned) sql.condition(org + " IS NULL");
        const int org_column = static_cast<int>(person_table().columns.size());
        return run_list<Person>(db_, q, sql, "SELECT " + columns(person_table(), "p") + ", " + org,
                                "FROM people AS p", order_by(q, keys, "id", "p.id"),
                                [&](const Statement& st) -> Result<Person> {
                                    auto p = read_person(st);
                                    if (!p) return p.error();
                                    p->org_id = st.string(org_column);
                                    return p;
                                });
    });
}

Result<ListPage<Certificate>> SqliteRegistryQuery::certificates(const CertificateQuery& q) {
    static const std::map<std::string, std::string, std::less<>> keys{
        {"serial", "c.serial"},
        {"not_after", "c.not_after_date"},
        {"status", "c.status"},
        {"holder_id", "c.holder_id"}};
    if (auto st = check_list_query(q, key_names(keys)); !st) return st.error();
    return guarded([&]() -> Result<ListPage<Certificate>> {
        Sql sql;
        common_conditions(sql, q, "certificate", "c.serial",
                          [](const std::string& tree) { return holder_in_tree("c", tree); });
        if (q.status) sql.condition("c.status = " + sql.param(std::string(to_string(*q.status))));
        if (q.holder_type) {
            sql.condition("c.holder_type = " + sql.param(std::string(to_string(*q.holder_type))) +
                          " AND c.holder_id <> ''");
        }
        if (!q.holder_id.empty()) sql.condition("c.holder_id = " + sql.param(q.holder_id));
        if (!q.device_id.empty()) sql.condition("c.device_id = " + sql.param(q.device_id));
        if (q.unlinked) sql.condition("c.holder_id = ''");
        if (q.expiring_before) {
            sql.condition("c.not_after_date < " + sql.param(q.expiring_before->str()));
        }
        return run_list<Certificate>(
            db_, q, sql, "SELECT " + columns(certificate_table(), "c", "der"),
            "FROM certificates AS c", order_by(q, keys, "serial", "c.serial"),
            [](const Statement& st) { return read_certificate(st); });
    });
}

Result<ListPage<Device>> SqliteRegistryQuery::devices(const DeviceQuery& q) {
    static const std::map<std::string, std::string, std::less<>> keys{
        {"id", "d.id"}, {"kind", "d.kind"}, {"serial", "d.serial"}, {"holder_id", "d.holder_id"}};
    if (auto st = check_list_query(q, key_names(keys)); !st) return st.error();
    return guarded([&]() -> Result<ListPage<Device>> {
        Sql sql;
        common_conditions(sql, q, "device", "d.id",
                          [](const std::string& tree) { return holder_in_tree("d", tree); });
        if (q.kind) sql.condition("d.kind = " + sql.param(std::string(to_string(*q.kind))));
        if (q.holder_type) {
            sql.condition("d.holder_type = " + sql.param(std::string(to_string(*q.holder_type))));
        }
        if (!q.holder_id.empty()) sql.condition("d.holder_id = " + sql.param(q.holder_id));
        return run_list<Device>(db_, q, sql, "SELECT " + columns(device_table(), "d"),
                                "FROM devices AS d", order_by(q, keys, "id", "d.id"),
                                [](const Statement& st) { return read_device(st); });
    });
}

Result<std::optional<Organization>> SqliteRegistryQuery::find_organization(const std::string& id) {
    auto st = db_.prepare(select_sql(organization_table()) + key_condition(organization_table()));
    if (!st) return st.error();
    st->bind(1, id);
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return std::optional<Organization>{};
    auto org = read_organization(*st);
    if (!org) return org.error();
    st->reset();
    auto vs =
        db_.prepare(select_sql(org_version_table()) + " WHERE org_id = ?1 ORDER BY valid_from");
    if (!vs) return vs.error();
    vs->bind(1, id);
    while (true) {
        auto next = vs->step();
        if (!next) return next.error();
        if (!*next) break;
        auto v = read_org_version(*vs);
        if (!v) return v.error();
        org->versions.push_back(std::move(*v));
    }
    if (org->versions.empty()) return std::optional<Organization>{};  // reserved, not yet real
    return std::optional<Organization>{std::move(*org)};
}

Result<std::optional<PersonDetail>> SqliteRegistryQuery::find_person(const std::string& id) {
    auto st = db_.prepare(select_sql(person_table()) + key_condition(person_table()));
    if (!st) return st.error();
    st->bind(1, id);
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return std::optional<PersonDetail>{};
    auto p = read_person(*st);
    if (!p) return p.error();
    st->reset();
    PersonDetail d;
    d.person = std::move(*p);
    d.registered_org_id = d.person.org_id;
    auto moves = db_.prepare(
        "SELECT valid_from, org_id, event_id FROM person_org_versions WHERE person_id = ?1"
        " ORDER BY valid_from");
    if (!moves) return moves.error();
    moves->bind(1, id);
    while (true) {
        auto next = moves->step();
        if (!next) return next.error();
        if (!*next) break;
        auto from = Date::parse(moves->text(0));
        if (!from) {
            return make_error("store.corrupt_row", Location{"person_org_versions", 0, {}, id},
                              {"person_org_versions", id, "valid_from"});
        }
        d.moves.push_back(PersonMove{id, *from, moves->string(1), moves->string(2)});
    }
    if (!d.moves.empty()) d.person.org_id = d.moves.back().org_id;
    return std::optional<PersonDetail>{std::move(d)};
}

Result<std::optional<Certificate>> SqliteRegistryQuery::find_certificate(
    const std::string& serial) {
    auto st = db_.prepare(select_sql(certificate_table()) + key_condition(certificate_table()));
    if (!st) return st.error();
    st->bind(1, normalize_serial(serial).value_or(serial));
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return std::optional<Certificate>{};
    auto c = read_certificate(*st);
    if (!c) return c.error();
    st->reset();
    return std::optional<Certificate>{std::move(*c)};
}

Result<std::optional<Device>> SqliteRegistryQuery::find_device(const std::string& id) {
    auto st = db_.prepare(select_sql(device_table()) + key_condition(device_table()));
    if (!st) return st.error();
    st->bind(1, id);
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return std::optional<Device>{};
    auto d = read_device(*st);
    if (!d) return d.error();
    st->reset();
    return std::optional<Device>{std::move(*d)};
}

Result<Versioned<Organization>> SqliteRegistryQuery::organization(const std::string& id) {
    return guarded([&]() -> Result<Versioned<Organization>> {
        auto tx = Transaction::begin(db_, Transaction::Mode::read);
        if (!tx) return tx.error();
        auto org = find_organization(id);
        if (!org) return org.error();
        if (!*org) return not_found(RecordKind::organization, id);
        std::string etag = record_etag(**org);
        return Versioned<Organization>{std::move(**org), std::move(etag)};
    });
}

Result<OrganizationHistory> SqliteRegistryQuery::organization_history(const std::string& id) {
    return guarded([&]() -> Result<OrganizationHistory> {
        auto tx = Transaction::begin(db_, Transaction::Mode::read);
        if (!tx) return tx.error();
        auto org = find_organization(id);
        if (!org) return org.error();
        if (!*org) return not_found(RecordKind::organization, id);
        OrganizationHistory h;
        h.organization = std::move(**org);
        auto ids = [&](const char* sql, const std::string& value,
                       std::vector<std::string>& out) -> Status {
            auto st = db_.prepare(sql);
            if (!st) return st.error();
            st->bind(1, value);
            while (true) {
                auto row = st->step();
                if (!row) return row.error();
                if (!*row) return Ok{};
                out.push_back(st->string(0));
            }
        };
        if (auto st = ids("SELECT id FROM organizations WHERE successor_id = ?1 ORDER BY id", id,
                          h.predecessors);
            !st)
            return st.error();
        if (auto st = ids("SELECT org_id FROM org_current WHERE superior_id = ?1 ORDER BY org_id",
                          id, h.children);
            !st)
            return st.error();
        // What it became: the successor chain, each organization once.
        std::string next = h.organization.successor_id;
        while (!next.empty() && next != id &&
               std::find(h.became.begin(), h.became.end(), next) == h.became.end()) {
            h.became.push_back(next);
            std::vector<std::string> succ;
            if (auto st = ids("SELECT coalesce(successor_id, '') FROM organizations WHERE id = ?1",
                              next, succ);
                !st)
                return st.error();
            next = succ.empty() ? std::string() : succ.front();
        }
        // The events: those that wrote a version and the one that ended it.
        std::vector<std::pair<std::string, std::string>> refs;  // event id, role
        for (const OrgVersion& v : h.organization.versions) {
            if (!v.event_id.empty()) refs.emplace_back(v.event_id, "version");
        }
        if (!h.organization.ceased_by_event.empty())
            refs.emplace_back(h.organization.ceased_by_event, "ceased");
        auto ev = db_.prepare(
            "SELECT e.type, e.effective_date, a.event_id IS NOT NULL FROM events AS e"
            " LEFT JOIN event_applications AS a ON a.event_id = e.id WHERE e.id = ?1");
        if (!ev) return ev.error();
        for (const auto& [event_id, role] : refs) {
            OrgEventRef r;
            r.event_id = event_id;
            r.role = role;
            ev->reset();
            ev->bind(1, event_id);
            auto row = ev->step();
            if (!row) return row.error();
            if (*row) {
                r.type = ev->string(0);
                r.effective_date = Date::parse(ev->text(1)).value_or(Date{});
                r.applied = ev->int64(2) != 0;
                ev->reset();
            }
            h.events.push_back(std::move(r));
        }
        std::stable_sort(h.events.begin(), h.events.end(),
                         [](const OrgEventRef& a, const OrgEventRef& b) {
                             return a.effective_date < b.effective_date;
                         });
        return h;
    });
}

Result<Versioned<PersonDetail>> SqliteRegistryQuery::person(const std::string& id) {
    return guarded([&]() -> Result<Versioned<PersonDetail>> {
        auto tx = Transaction::begin(db_, Transaction::Mode::read);
        if (!tx) return tx.error();
        auto p = find_person(id);
        if (!p) return p.error();
        if (!*p) return not_found(RecordKind::person, id);
        std::string etag = record_etag(**p);
        return Versioned<PersonDetail>{std::move(**p), std::move(etag)};
    });
}

Result<Versioned<Certificate>> SqliteRegistryQuery::certificate(const std::string& serial) {
    return guarded([&]() -> Result<Versioned<Certificate>> {
        auto c = find_certificate(serial);
        if (!c) return c.error();
        if (!*c) return not_found(RecordKind::certificate, serial);
        std::string etag = record_etag(**c);
        return Versioned<Certificate>{std::move(**c), std::move(etag)};
    });
}

Result<Versioned<Device>> SqliteRegistryQuery::device(const std::string& id) {
    return guarded([&]() -> Result<Versioned<Device>> {
        auto d = find_device(id);
        if (!d) return d.error();
        if (!*d) return not_found(RecordKind::device, id);
        std::string etag = record_etag(**d);
        return Versioned<Device>{std::move(**d), std::move(etag)};
    });
}

Result<bool> SqliteRegistryQuery::exists(const char* sql, const std::string& value) {
    auto st = db_.prepare(sql);
    if (!st) return st.error();
    st->bind(1, value);
    auto row = st->step();
    if (!row) return row.error();
    st->reset();
    return *row;
}

Result<bool> SqliteRegistryQuery::subtree_contains(RecordKind kind, const std::string& id,
                                                   const std::string& org_id) {
    Sql sql;
    const std::string tree = sql.tree(org_id);
    std::string query;
    std::string key = id;
    switch (kind) {
        case RecordKind::organization:
            query =
                "SELECT 1 FROM organizations AS o WHERE o.id = ?2 AND o.id IN (SELECT id FROM " +
                tree + ")";
            break;
        case RecordKind::person:
            query = "SELECT 1 FROM people AS p WHERE p.id = ?2 AND " + person_org("p") +
                    " IN (SELECT id FROM " + tree + ")";
            break;
        case RecordKind::certificate:
            key = normalize_serial(id).value_or(id);
            query = "SELECT 1 FROM certificates AS c WHERE c.serial = ?2 AND " +
                    holder_in_tree("c", tree);
            break;
        case RecordKind::device:
            query = "SELECT 1 FROM devices AS d WHERE d.id = ?2 AND " + holder_in_tree("d", tree);
            break;
    }
    auto st = db_.prepare(sql.prefix() + query);
    if (!st) return st.error();
    st->bind(1, org_id).bind(2, key);
    auto row = st->step();
    if (!row) return row.error();
    st->reset();
    return *row;
}

Result<bool> SqliteRegistryQuery::in_subtree(RecordKind kind, const std::string& id,
                                             const std::string& org_id) {
    return guarded([&]() -> Result<bool> {
        auto tx = Transaction::begin(db_, Transaction::Mode::read);
        if (!tx) return tx.error();
        static const std::map<RecordKind, const char*> existence{
            {RecordKind::organization, "SELECT 1 FROM organizations WHERE id = ?1"},
            {RecordKind::person, "SELECT 1 FROM people WHERE id = ?1"},
            {RecordKind::certificate, "SELECT 1 FROM certificates WHERE serial = ?1"},
            {RecordKind::device, "SELECT 1 FROM devices WHERE id = ?1"}};
        const std::string key =
            kind == RecordKind::certificate ? normalize_serial(id).value_or(id) : id;
        auto found = exists(existence.at(kind), key);
        if (!found) return found.error();
        if (!*found) return not_found(kind, id);
        if (org_id.empty()) return true;
        return subtree_contains(kind, id, org_id);
    });
}

Result<std::unique_ptr<RegistryQuery>> open_sqlite_registry_query(const std::string& path) {
    return guarded([&]() -> Result<std::unique_ptr<RegistryQuery>> {
        auto db = Connection::open(path, 10'000);
        if (!db) return db.error();
        if (auto st = migrate(*db, sqlite_migrations()); !st) return st.error();
        if (auto st = refresh_search_index_at_open(*db); !st) return st.error();
        return std::unique_ptr<RegistryQuery>(
            std::make_unique<SqliteRegistryQuery>(std::move(*db)));
    });
}

}  // namespace kyso::store::sqlite
