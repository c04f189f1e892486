// kyso store — keeps the PostgreSQL search index (migrations 0010, 0012) up to date: one query
// per kind reads the stale records' fields (a record that no longer exists reads as NULLs), the
// text and scope words are made here (ICU, store::search_text; store/search_scope.h) and written
// in batches of arrays; what sits under a record whose place changed is marked stale.
#include "store/postgres/search_index.h"

#include <array>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "store/registry_query.h"
#include "store/search_scope.h"

namespace kyso::store::postgres {

namespace {

// The kinds in the order they are folded: an organization's change of place marks its
// sub-organizations, people, certificates and devices stale, a person's their certificates and
// devices, so each kind is folded after every kind that can mark it.
constexpr std::array<const char*, 4> kKinds{"organization", "person", "certificate", "device"};

struct Folded {
    std::string ref;
    std::optional<std::string> text;       // nullopt: the record is gone
    std::string org;                       // the organization it sits under now ("" when none)
    std::optional<std::string> old_scope;  // its scope words before (nullopt: no row yet)
    std::string scope;
};

// The query reading the stale records of `kind`: the ref, whether the record exists (not
// NULL), the organization it sits under now, its scope words before, then its fields.
std::string stale_sql(std::string_view kind) {
    const std::string old =
        "(SELECT t.scope FROM search_text AS t WHERE t.kind = s.kind"
        " AND t.ref = s.ref)";
    const auto of = [&](const char* table, const char* key, const std::string& org,
                        const char* fields) {
        return std::string("SELECT s.ref, r.") + key + ", " + org + ", " + old + ", " + fields +
               " FROM search_stale AS s LEFT JOIN " + table + " AS r ON r." + key +
               " = s.ref WHERE s.kind = '" + std::string(kind) + "'";
    };
    if (kind == "person")
        return of("people", "id", person_org_sql("r.id"), "r.full_name, r.cccd, r.email, r.phone");
    if (kind == "certificate")
        return of("certificates", "serial", holder_org_sql("r"), "r.subject_text");
    if (kind == "device")
        return of("devices", "id", holder_org_sql("r"), "r.serial, r.phone, r.carrier");
    // An organization: all its versions' names (newest first: the current name first) in one
    // row, as arrays.
    return "SELECT s.ref, (SELECT 1 FROM org_versions AS v WHERE v.org_id = s.ref LIMIT 1),"
           " s.ref, " +
           old +
           ", (SELECT string_agg(v.name || chr(1) || v.agency_code, chr(2)"
           " ORDER BY v.valid_from DESC) FROM org_versions AS v WHERE v.org_id = s.ref)"
           " FROM search_stale AS s WHERE s.kind = 'organization'";
}

// The search text of the current row of stale_sql(kind) (its fields from column 4 on).
std::string fold_row(std::string_view kind, const Statement& row) {
    if (kind == "person") {
        Person p;
        p.id = row.string(0);
        p.full_name = row.string(4);
        p.cccd = row.string(5);
        p.email = row.string(6);
        p.phone = row.string(7);
        return search_text(p);
    }
    if (kind == "certificate") {
        Certificate c;
        c.serial = row.string(0);
        c.subject_text = row.string(4);
        return search_text(c);
    }
    if (kind == "device") {
        Device d;
        d.id = row.string(0);
        d.serial = row.string(4);
        d.phone = row.string(5);
        d.carrier = row.string(6);
        return search_text(d);
    }
    Organization org{row.string(0), {}, {}, {}, {}};
    std::string_view all = row.text(4);
    while (!all.empty()) {
        const auto end = all.find('\x02');
        const std::string_view one = all.substr(0, end);
        const auto sep = one.find('\x01');
        OrgVersion v;
        v.name = std::string(one.substr(0, sep));
        if (sep != std::string_view::npos) v.agency_code = one.substr(sep + 1);
        org.versions.push_back(std::move(v));
        all = end == std::string_view::npos ? std::string_view() : all.substr(end + 1);
    }
    return search_text(org);
}

// Reads the stale records of `kind` not yet in `done` (which they are added to).
Status read_kind(Connection& db, std::string_view kind, std::set<std::string, std::less<>>& done,
                 std::vector<Folded>& out) {
    auto st = db.prepare(stale_sql(kind));
    if (!st) return st.error();
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        Folded f{st->string(0), std::nullopt, {}, std::nullopt, {}};
        if (!done.insert(f.ref).second) continue;
        if (!st->is_null(1)) {
            f.text = indexed_words(fold_row(kind, *st));
            f.org = st->string(2);
        }
        if (!st->is_null(3)) f.old_scope = st->string(3);
        out.push_back(std::move(f));
    }
    st->reset();
    return Ok{};
}

// A PostgreSQL array literal of text values (PostgreSQL docs §8.15.6 "Array Input and Output
// Syntax"): each element double-quoted, with " and \\ escaped by a backslash.
class TextArray {
public:
    void add(std::string_view v) {
        text_ += text_.empty() ? "{\"" : ",\"";
        for (const char c : v) {
            if (c == '"' || c == '\\') text_ += '\\';
            text_ += c;
        }
        text_ += '"';
        ++size_;
    }
    std::size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    void clear() {
        text_.clear();
        size_ = 0;
    }
    // The literal; "{}" when empty.
    std::string text() const { return text_.empty() ? "{}" : text_ + "}"; }

private:
    std::string text_;
    std::size_t size_ = 0;
};

// Rows written or removed per statement: a million records are a few hundred round trips, not
// a million.
constexpr std::size_t kBatch = 5000;

// Deletes from `table` (search_text or search_stale, both keyed by kind and ref) the rows of
// `kind` whose ref is in `refs`: by key, kBatch refs per statement as one array. (A
// `DELETE FROM search_stale` of the whole table read every page it ever had: after an import's
// millions of rows, 13,700 pages, 66 ms in each write at 1M; pg_stat_statements under
// bench/serve.sh.)
template <typename Refs>
Status remove_refs(Connection& db, std::string_view table, std::string_view kind,
                   const Refs& refs) {
    auto remove = db.prepare("DELETE FROM " + std::string(table) +
                             " WHERE kind = $1 AND ref = ANY (CAST($2 AS text[]))");
    if (!remove) return remove.error();
    TextArray batch;
    const auto flush = [&]() -> Status {
        if (batch.empty()) return Ok{};
        remove->reset();
        remove->bind(1, kind).bind(2, batch.text());
        if (auto r = remove->run(); !r) return r;
        batch.clear();
        return Ok{};
    };
    for (const auto& ref : refs) {
        batch.add(ref);
        if (batch.size() == kBatch) {
            if (auto st = flush(); !st) return st;
        }
    }
    return flush();
}

// Writes the folded records of `kind` in batches of kBatch rows, each batch one statement with
// its columns as arrays (unnest), and removes the rows of records that are gone.
Status write_folded(Connection& db, std::string_view kind, const std::vector<Folded>& folded) {
    auto upsert = db.prepare(
        "INSERT INTO search_text (kind, ref, folded, scope, lexemes)"
        " SELECT CAST($1 AS text), r, f, s, l FROM unnest(CAST($2 AS text[]), CAST($3 AS text[]),"
        " CAST($4 AS text[]), CAST($5 AS text[])) AS u (r, f, s, l)"
        " ON CONFLICT (kind, ref) DO UPDATE SET folded = excluded.folded,"
        " scope = excluded.scope, lexemes = excluded.lexemes"
        " WHERE search_text.lexemes <> excluded.lexemes");
    if (!upsert) return upsert.error();
    TextArray refs, texts, scopes, lexemes;
    const auto flush = [&]() -> Status {
        if (refs.empty()) return Ok{};
        upsert->reset();
        upsert->bind(1, kind).bind(2, refs.text()).bind(3, texts.text());
        upsert->bind(4, scopes.text()).bind(5, lexemes.text());
        if (auto r = upsert->run(); !r) return r;
        refs.clear();
        texts.clear();
        scopes.clear();
        lexemes.clear();
        return Ok{};
    };
    std::vector<std::string_view> gone;
    for (const Folded& f : folded) {
        if (!f.text) {
            gone.push_back(f.ref);
            continue;
        }
        refs.add(f.ref);
        texts.add(*f.text);
        scopes.add(f.scope);
        lexemes.add(indexed_lexemes(*f.text, f.scope));
        if (refs.size() == kBatch) {
            if (auto st = flush(); !st) return st;
        }
    }
    if (auto st = flush(); !st) return st;
    return remove_refs(db, "search_text", kind, gone);
}

// Marks stale what sits under the organizations (or people, by kind) in `moved`: for an
// organization its sub-organizations now, the people registered or moved there (a superset:
// each is folded again and keeps its words if they did not change) and what it holds; for a
// person what they hold.
Status mark_under(Connection& db, std::string_view kind, const TextArray& moved) {
    const std::string held = std::string(kind == "organization" ? "org" : "person");
    std::string sql =
        "INSERT INTO search_stale SELECT 'certificate', serial FROM certificates"
        " WHERE holder_type = '" +
        held +
        "' AND holder_id = ANY (CAST($1 AS text[]))"
        " UNION ALL SELECT 'device', id FROM devices"
        " WHERE holder_type = '" +
        held + "' AND holder_id = ANY (CAST($1 AS text[]))";
    if (kind == "organization") {
        sql +=
            " UNION ALL SELECT 'organization', org_id FROM org_current"
            " WHERE superior_id = ANY (CAST($1 AS text[]))"
            " UNION ALL SELECT 'person', id FROM people WHERE org_id = ANY (CAST($1 AS text[]))"
            " UNION ALL SELECT 'person', person_id FROM person_org_versions"
            " WHERE org_id = ANY (CAST($1 AS text[]))";
    }
    auto st = db.prepare(sql + " ON CONFLICT DO NOTHING");
    if (!st) return st.error();
    st->bind(1, moved.text());
    return st->run();
}

}  // namespace

std::string indexed_words(const std::string& folded) {
    std::string out;
    for (const std::string& w : search_words(folded)) {
        if (!out.empty()) out += ' ';
        out += w;
    }
    return out;
}

std::string indexed_lexemes(const std::string& words, const std::string& scope) {
    std::string out = words;
    std::set<std::string, std::less<>> starts;
    std::string_view rest = words;
    while (!rest.empty()) {
        const auto end = rest.find(' ');
        const std::string_view w = rest.substr(0, end);
        // The starts of kSearchPrefixMin..kSearchPrefixMax characters (UTF-8: a start ends
        // before a lead byte, never inside a character).
        std::size_t chars = 0;
        for (std::size_t i = 1; i <= w.size() && chars < kSearchPrefixMax; ++i) {
            if (i < w.size() && (static_cast<unsigned char>(w[i]) & 0xC0) == 0x80) continue;
            if (++chars < kSearchPrefixMin) continue;
            if (starts.insert(std::string(w.substr(0, i))).second) {
                out += ' ';
                out += w.substr(0, i);
                out += '*';
            }
        }
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
    rest = scope;
    while (!rest.empty()) {
        const auto end = rest.find(' ');
        if (!out.empty()) out += ' ';
        out += '@';
        out += rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
    return out;
}

Status refresh_search_index(Connection& db) {
    auto empty = db.table_is_empty("search_stale");
    if (!empty) return empty.error();
    if (*empty) return Ok{};
    auto superior =
        db.prepare("SELECT coalesce(superior_id, '') FROM org_current WHERE org_id = $1");
    if (!superior) return superior.error();
    OrgChains chains([&](const std::string& org) -> Result<std::optional<std::string>> {
        superior->reset();
        superior->bind(1, org);
        auto row = superior->step();
        if (!row) return row.error();
        std::optional<std::string> out;
        if (*row) out = superior->string(0);
        superior->reset();
        return out;
    });
    for (const char* kind : kKinds) {
        // Folding an organization may mark the ones under it: again until none is new.
        std::set<std::string, std::less<>> done;
        while (true) {
            std::vector<Folded> folded;
            if (auto st = read_kind(db, kind, done, folded); !st) return st;
            if (folded.empty()) break;
            TextArray moved;
            for (Folded& f : folded) {
                if (!f.text) continue;
                auto scope = chains.scope(kind, f.org);
                if (!scope) return scope.error();
                f.scope = std::move(*scope);
                if (f.old_scope != f.scope) moved.add(f.ref);
            }
            if (auto st = write_folded(db, kind, folded); !st) return st;
            if (!moved.empty() &&
                (std::string_view(kind) == "organization" || std::string_view(kind) == "person")) {
                if (auto st = mark_under(db, kind, moved); !st) return st;
            }
        }
        // Nothing marks a kind already done (mark_under marks the kinds after its own, and
        // organizations, the first, are read again until none is new).
        if (auto st = remove_refs(db, "search_stale", kind, done); !st) return st;
    }
    return Ok{};
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

}  // namespace kyso::store::postgres
