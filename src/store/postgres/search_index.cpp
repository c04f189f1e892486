// kyso store — keeps the PostgreSQL search index (migration 0010) up to date: one query per
// kind reads the stale records' fields (a record that no longer exists reads as NULLs), the
// text is folded here (ICU, store::search_text) and written in batches of arrays.
#include "store/postgres/search_index.h"

#include <optional>
#include <string>
#include <vector>

#include "store/registry_query.h"

namespace kyso::store::postgres {

namespace {

struct Folded {
    std::string kind;
    std::string ref;
    std::optional<std::string> text;  // nullopt: the record is gone
};

// Reads the stale records of one kind: `sql` returns the ref, whether the record exists, then
// its fields; `fold` turns the current row into the record's search text.
template <typename Fold>
Status read_kind(Connection& db, const char* kind, const std::string& sql, Fold fold,
                 std::vector<Folded>& out) {
    auto st = db.prepare(sql);
    if (!st) return st.error();
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        Folded f{kind, st->string(0), std::nullopt};
        if (!st->is_null(1)) f.text = indexed_words(fold(*st));
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

// Writes `folded` (then empties it) in batches of kBatch rows, each batch one statement with its
// columns as arrays (unnest): a million records are a few hundred round trips, not a million.
Status write_folded(Connection& db, std::vector<Folded>& folded) {
    auto upsert = db.prepare(
        "INSERT INTO search_text (kind, ref, folded)"
        " SELECT * FROM unnest(CAST($1 AS text[]), CAST($2 AS text[]), CAST($3 AS text[]))"
        " ON CONFLICT (kind, ref) DO UPDATE SET folded = excluded.folded"
        " WHERE search_text.folded <> excluded.folded");
    if (!upsert) return upsert.error();
    auto remove = db.prepare(
        "DELETE FROM search_text WHERE (kind, ref) IN"
        " (SELECT * FROM unnest(CAST($1 AS text[]), CAST($2 AS text[])))");
    if (!remove) return remove.error();
    constexpr std::size_t kBatch = 5000;
    for (const bool written : {true, false}) {
        Statement& write = written ? *upsert : *remove;
        TextArray kinds, refs, texts;
        const auto flush = [&]() -> Status {
            if (kinds.empty()) return Ok{};
            write.reset();
            write.bind(1, kinds.text()).bind(2, refs.text());
            if (written) write.bind(3, texts.text());
            if (auto r = write.run(); !r) return r;
            kinds.clear();
            refs.clear();
            texts.clear();
            return Ok{};
        };
        for (const Folded& f : folded) {
            if (f.text.has_value() != written) continue;
            kinds.add(f.kind);
            refs.add(f.ref);
            if (written) texts.add(*f.text);
            if (kinds.size() == kBatch) {
                if (auto st = flush(); !st) return st;
            }
        }
        if (auto st = flush(); !st) return st;
    }
    folded.clear();
    return Ok{};
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

Status refresh_search_index(Connection& db) {
    auto empty = db.table_is_empty("search_stale");
    if (!empty) return empty.error();
    if (*empty) return Ok{};
    std::vector<Folded> folded;
    const auto stale = [](const char* kind, const char* table, const char* key,
                          const char* fields) {
        return std::string("SELECT s.ref, r.") + key + ", " + fields +
               " FROM search_stale AS s LEFT JOIN " + table + " AS r ON r." + key +
               " = s.ref WHERE s.kind = '" + kind + "'";
    };
    if (auto st = read_kind(
            db, "person", stale("person", "people", "id", "r.full_name, r.cccd, r.email, r.phone"),
            [](const Statement& row) {
                Person p;
                p.id = row.string(0);
                p.full_name = row.string(2);
                p.cccd = row.string(3);
                p.email = row.string(4);
                p.phone = row.string(5);
                return search_text(p);
            },
            folded);
        !st)
        return st;
    if (auto st = write_folded(db, folded); !st) return st;
    if (auto st = read_kind(
            db, "certificate", stale("certificate", "certificates", "serial", "r.subject_text"),
            [](const Statement& row) {
                Certificate c;
                c.serial = row.string(0);
                c.subject_text = row.string(2);
                return search_text(c);
            },
            folded);
        !st)
        return st;
    if (auto st = write_folded(db, folded); !st) return st;
    if (auto st = read_kind(
            db, "device", stale("device", "devices", "id", "r.serial, r.phone, r.carrier"),
            [](const Statement& row) {
                Device d;
                d.id = row.string(0);
                d.serial = row.string(2);
                d.phone = row.string(3);
                d.carrier = row.string(4);
                return search_text(d);
            },
            folded);
        !st)
        return st;
    if (auto st = write_folded(db, folded); !st) return st;
    // An organization: all its versions' names (newest first: the current name first) in one
    // row, as arrays.
    if (auto st = read_kind(
            db, "organization",
            "SELECT s.ref, (SELECT 1 FROM org_versions AS v WHERE v.org_id = s.ref LIMIT 1),"
            " (SELECT string_agg(v.name || chr(1) || v.agency_code, chr(2)"
            " ORDER BY v.valid_from DESC) FROM org_versions AS v WHERE v.org_id = s.ref)"
            " FROM search_stale AS s WHERE s.kind = 'organization'",
            [](const Statement& row) {
                Organization org{row.string(0), {}, {}, {}, {}};
                std::string_view all = row.text(2);
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
            },
            folded);
        !st)
        return st;
    if (auto st = write_folded(db, folded); !st) return st;
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

}  // namespace kyso::store::postgres
