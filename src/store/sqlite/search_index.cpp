// kyso store — keeps the SQLite search index (migrations 0010, 0012) up to date: folds the text
// and the scope words of the records that triggers marked stale, and marks stale what sits under
// a record whose place changed.
#include "store/sqlite/search_index.h"

#include <array>
#include <set>
#include <string>
#include <vector>

#include "store/registry_query.h"
#include "store/search_scope.h"

namespace kyso::store::sqlite {

namespace {

// From this many stale records on (and at least a quarter of those indexed), a bulk refresh.
constexpr std::int64_t kBulkRefresh = 2000;

// The kinds in the order they are folded: an organization's change of place marks its
// sub-organizations, people, certificates and devices stale, a person's their certificates and
// devices, so each kind is folded after every kind that can mark it.
constexpr std::array<const char*, 4> kKinds{"organization", "person", "certificate", "device"};

// One stale record folded: its text and scope words, or nothing when it no longer exists.
struct Folded {
    std::string text;
    std::string org;  // the organization it sits under now ("" when none)
};

// Folds stale records, writes their search_text rows and marks what their change of place
// reaches.
class Indexer {
public:
    Indexer() = default;
    Indexer(const Indexer&) = delete;  // chains_ reads through this object's statements
    Indexer& operator=(const Indexer&) = delete;

    Status prepare(Connection& db) {
        Indexer& ix = *this;
        const std::pair<std::optional<Statement>*, std::string> sql[] = {
            {&ix.org_,
             "SELECT name, agency_code FROM org_versions WHERE org_id = ?1"
             " ORDER BY valid_from DESC"},
            {&ix.person_, "SELECT full_name, cccd, email, phone, " + person_org_sql("?1") +
                              " FROM people WHERE id = ?1"},
            {&ix.cert_, "SELECT c.subject_text, " + holder_org_sql("c") +
                            " FROM certificates AS c WHERE c.serial = ?1"},
            {&ix.device_, "SELECT d.serial, d.phone, d.carrier, " + holder_org_sql("d") +
                              " FROM devices AS d WHERE d.id = ?1"},
            {&ix.superior_, "SELECT coalesce(superior_id, '') FROM org_current WHERE org_id = ?1"},
            {&ix.old_scope_, "SELECT scope FROM search_text WHERE kind = ?1 AND ref = ?2"},
            {&ix.upsert_,
             "INSERT INTO search_text (kind, ref, folded, scope) VALUES (?1, ?2, ?3, ?4)"
             " ON CONFLICT (kind, ref) DO UPDATE SET folded = excluded.folded,"
             " scope = excluded.scope"
             " WHERE folded <> excluded.folded OR scope <> excluded.scope"},
            {&ix.remove_, "DELETE FROM search_text WHERE kind = ?1 AND ref = ?2"},
            // What sits under an organization now: its sub-organizations, the people registered
            // or moved there (a superset: each is folded again and keeps its words if they did
            // not change), and what the organization itself holds.
            {&ix.under_org_,
             "INSERT OR IGNORE INTO search_stale"
             " SELECT 'organization', org_id FROM org_current WHERE superior_id = ?1"
             " UNION ALL SELECT 'person', id FROM people WHERE org_id = ?1"
             " UNION ALL SELECT 'person', person_id FROM person_org_versions WHERE org_id = ?1"
             " UNION ALL SELECT 'certificate', serial FROM certificates"
             " WHERE holder_type = 'org' AND holder_id = ?1"
             " UNION ALL SELECT 'device', id FROM devices"
             " WHERE holder_type = 'org' AND holder_id = ?1"},
            {&ix.held_by_person_,
             "INSERT OR IGNORE INTO search_stale"
             " SELECT 'certificate', serial FROM certificates"
             " WHERE holder_type = 'person' AND holder_id = ?1"
             " UNION ALL SELECT 'device', id FROM devices"
             " WHERE holder_type = 'person' AND holder_id = ?1"}};
        for (const auto& [slot, text] : sql) {
            auto st = db.prepare(text);
            if (!st) return st.error();
            slot->emplace(std::move(*st));
        }
        return Ok{};
    }

    // Folds the record `ref` of `kind` again: writes (or deletes) its row and, when an
    // organization or person changed place (or is new), marks what sits under it stale.
    Status refresh(const std::string& kind, const std::string& ref) {
        auto folded = fold(kind, ref);
        if (!folded) return folded.error();
        if (!*folded) {
            Statement& st = *remove_;
            st.reset();
            st.bind(1, kind).bind(2, ref);
            return st.run();
        }
        auto scope = chains_.scope(kind, (*folded)->org);
        if (!scope) return scope.error();
        auto before = old_scope(kind, ref);
        if (!before) return before.error();
        Statement& st = *upsert_;
        st.reset();
        st.bind(1, kind).bind(2, ref).bind(3, (*folded)->text).bind(4, *scope);
        if (auto r = st.run(); !r) return r;
        if (*before == *scope || kind == "certificate" || kind == "device") return Ok{};
        Statement& mark = kind == "organization" ? *under_org_ : *held_by_person_;
        mark.reset();
        mark.bind(1, ref);
        return mark.run();
    }

private:
    // The first column of the first row of `st` (its parameters bound), nullopt for no row.
    static Result<std::optional<std::string>> first_text(Statement& st) {
        auto row = st.step();
        if (!row) return row.error();
        std::optional<std::string> out;
        if (*row) out = st.string(0);
        st.reset();
        return out;
    }

    // The row's scope words before this refresh; nullopt when the record had no row.
    Result<std::optional<std::string>> old_scope(const std::string& kind, const std::string& ref) {
        old_scope_->reset();
        old_scope_->bind(1, kind).bind(2, ref);
        return first_text(*old_scope_);
    }

    Result<std::optional<Folded>> fold(const std::string& kind, const std::string& ref) {
        if (kind == "organization") {
            Organization org{ref, {}, {}, {}, {}};
            Statement& st = *org_;
            st.reset();
            st.bind(1, ref);
            while (true) {
                auto row = st.step();
                if (!row) return row.error();
                if (!*row) break;
                OrgVersion v;
                v.name = st.string(0);
                v.agency_code = st.string(1);
                org.versions.push_back(std::move(v));  // newest first: current name first
            }
            st.reset();
            if (org.versions.empty()) return std::optional<Folded>{};
            return std::optional<Folded>{Folded{search_text(org), ref}};
        }
        Statement* st = kind == "person"        ? &*person_
                        : kind == "certificate" ? &*cert_
                        : kind == "device"      ? &*device_
                                                : nullptr;
        if (st == nullptr) return std::optional<Folded>{};
        st->reset();
        st->bind(1, ref);
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) return std::optional<Folded>{};
        Folded out;
        if (kind == "person") {
            Person p;
            p.id = ref;
            p.full_name = st->string(0);
            p.cccd = st->string(1);
            p.email = st->string(2);
            p.phone = st->string(3);
            out = {search_text(p), st->string(4)};
        } else if (kind == "certificate") {
            Certificate c;
            c.serial = ref;
            c.subject_text = st->string(0);
            out = {search_text(c), st->string(1)};
        } else {
            Device d;
            d.id = ref;
            d.serial = st->string(0);
            d.phone = st->string(1);
            d.carrier = st->string(2);
            out = {search_text(d), st->string(3)};
        }
        st->reset();
        return std::optional<Folded>{std::move(out)};
    }

    OrgChains chains_{[this](const std::string& org) {
        superior_->reset();
        superior_->bind(1, org);
        return first_text(*superior_);
    }};
    std::optional<Statement> org_, person_, cert_, device_, superior_, old_scope_, upsert_, remove_,
        under_org_, held_by_person_;
};

// The stale records of `kind` not yet in `done`, which they are added to.
Result<std::vector<std::string>> next_stale(Statement& st, const char* kind,
                                            std::set<std::string, std::less<>>& done) {
    std::vector<std::string> out;
    st.reset();
    st.bind(1, std::string_view(kind));
    while (true) {
        auto row = st.step();
        if (!row) return row.error();
        if (!*row) break;
        std::string ref = st.string(0);
        if (done.insert(ref).second) out.push_back(std::move(ref));
    }
    st.reset();
    return out;
}

}  // namespace

Status refresh_search_index(Connection& db) {
    auto empty = db.table_is_empty("search_stale");
    if (!empty) return empty.error();
    if (*empty) return Ok{};
    // Many stale records (a first import, an upgrade): search_text is written without the
    // row-by-row index triggers and the index rebuilt once at the end.
    // (search_text is counted only then: counting a million rows takes longer than a write.)
    auto count = db.query_int("SELECT count(*) FROM search_stale");
    if (!count) return count.error();
    bool bulk = false;
    if (*count >= kBulkRefresh) {
        auto indexed = db.query_int("SELECT count(*) FROM search_text");
        if (!indexed) return indexed.error();
        bulk = *count * 4 >= *indexed;
    }
    if (bulk) {
        if (auto st = db.exec("UPDATE search_mode SET bulk = 1"); !st) return st;
    }
    Indexer indexer;
    if (auto st = indexer.prepare(db); !st) return st;
    auto stale = db.prepare("SELECT ref FROM search_stale WHERE kind = ?1");
    if (!stale) return stale.error();
    for (const char* kind : kKinds) {
        // Folding an organization may mark the ones under it: again until none is new.
        std::set<std::string, std::less<>> done;
        while (true) {
            auto refs = next_stale(*stale, kind, done);
            if (!refs) return refs.error();
            if (refs->empty()) break;
            for (const std::string& ref : *refs) {
                if (auto st = indexer.refresh(kind, ref); !st) return st;
            }
        }
    }
    if (bulk) {
        if (auto st = db.exec("UPDATE search_mode SET bulk = 0"); !st) return st;
        if (auto st = db.exec("INSERT INTO search_fts (search_fts) VALUES ('rebuild')"); !st)
            return st;
    }
    return db.exec("DELETE FROM search_stale");
}

Status refresh_search_index_at_open(Connection& db) {
    auto none = db.table_is_empty("search_stale");
    if (!none) return none.error();
    if (*none) return Ok{};
    auto tx = Transaction::begin(db, Transaction::Mode::write);
    if (!tx) return tx.error();
    if (auto st = refresh_search_index(db); !st) return st;
    return tx->commit();
}

}  // namespace kyso::store::sqlite
