// kyso store — keeps the SQLite search index (migration 0010) up to date: folds the text of the
// records that triggers marked stale.
#include "store/sqlite/search_index.h"

#include <string>
#include <vector>

#include "store/registry_query.h"

namespace kyso::store::sqlite {

namespace {

// From this many stale records on (and at least a quarter of those indexed), a bulk refresh.
constexpr std::int64_t kBulkRefresh = 2000;

struct Stale {
    std::string kind;
    std::string ref;
};

// The folded text of one stale record, or nullopt when it no longer exists.
class Folder {
public:
    static Result<Folder> prepare(Connection& db) {
        Folder f;
        const std::pair<std::optional<Statement>*, const char*> sql[] = {
            {&f.org_,
             "SELECT name, agency_code FROM org_versions WHERE org_id = ?1"
             " ORDER BY valid_from DESC"},
            {&f.person_, "SELECT full_name, cccd, email, phone FROM people WHERE id = ?1"},
            {&f.cert_, "SELECT subject_text FROM certificates WHERE serial = ?1"},
            {&f.device_, "SELECT serial, phone, carrier FROM devices WHERE id = ?1"}};
        for (const auto& [slot, text] : sql) {
            auto st = db.prepare(text);
            if (!st) return st.error();
            slot->emplace(std::move(*st));
        }
        return f;
    }

    Result<std::optional<std::string>> fold(const Stale& s) {
        if (s.kind == "organization") {
            Organization org{s.ref, {}, {}, {}, {}};
            Statement& st = *org_;
            st.reset();
            st.bind(1, s.ref);
            while (true) {
                auto row = st.step();
                if (!row) return row.error();
                if (!*row) break;
                OrgVersion v;
                v.name = st.string(0);
                v.agency_code = st.string(1);
                org.versions.push_back(std::move(v));  // newest first: current name first
            }
            if (org.versions.empty()) return std::optional<std::string>{};
            return std::optional<std::string>{search_text(org)};
        }
        Statement* st = s.kind == "person"        ? &*person_
                        : s.kind == "certificate" ? &*cert_
                        : s.kind == "device"      ? &*device_
                                                  : nullptr;
        if (st == nullptr) return std::optional<std::string>{};
        st->reset();
        st->bind(1, s.ref);
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) return std::optional<std::string>{};
        std::string text;
        if (s.kind == "person") {
            Person p;
            p.id = s.ref;
            p.full_name = st->string(0);
            p.cccd = st->string(1);
            p.email = st->string(2);
            p.phone = st->string(3);
            text = search_text(p);
        } else if (s.kind == "certificate") {
            Certificate c;
            c.serial = s.ref;
            c.subject_text = st->string(0);
            text = search_text(c);
        } else {
            Device d;
            d.id = s.ref;
            d.serial = st->string(0);
            d.phone = st->string(1);
            d.carrier = st->string(2);
            text = search_text(d);
        }
        st->reset();
        return std::optional<std::string>{std::move(text)};
    }

private:
    std::optional<Statement> org_, person_, cert_, device_;
};

}  // namespace

Status refresh_search_index(Connection& db) {
    auto empty = db.table_is_empty("search_stale");
    if (!empty) return empty.error();
    if (*empty) return Ok{};
    std::vector<Stale> stale;
    {
        auto st = db.prepare("SELECT kind, ref FROM search_stale");
        if (!st) return st.error();
        while (true) {
            auto row = st->step();
            if (!row) return row.error();
            if (!*row) break;
            stale.push_back({st->string(0), st->string(1)});
        }
    }
    // Many stale records (a first import, an upgrade): search_text is written without the
    // row-by-row index triggers and the index rebuilt once at the end.
    auto indexed = db.query_int("SELECT count(*) FROM search_text");
    if (!indexed) return indexed.error();
    const auto count = static_cast<std::int64_t>(stale.size());
    const bool bulk = count >= kBulkRefresh && count * 4 >= *indexed;
    if (bulk) {
        if (auto st = db.exec("UPDATE search_mode SET bulk = 1"); !st) return st;
    }
    auto folder = Folder::prepare(db);
    if (!folder) return folder.error();
    auto upsert = db.prepare(
        "INSERT INTO search_text (kind, ref, folded) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (kind, ref) DO UPDATE SET folded = excluded.folded"
        " WHERE folded <> excluded.folded");
    if (!upsert) return upsert.error();
    auto remove = db.prepare("DELETE FROM search_text WHERE kind = ?1 AND ref = ?2");
    if (!remove) return remove.error();
    for (const Stale& s : stale) {
        auto text = folder->fold(s);
        if (!text) return text.error();
        Statement& write = *text ? *upsert : *remove;
        write.reset();
        write.bind(1, s.kind).bind(2, s.ref);
        if (*text) write.bind(3, **text);
        if (auto r = write.run(); !r) return r;
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
