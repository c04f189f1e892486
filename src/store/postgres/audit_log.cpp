// kyso store — appends entries to the keyed audit chain inside the caller's transaction, and
// the chain's head to the head file once the transaction has committed (docs/audit.md).
#include "store/postgres/audit_log.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/date.h"
#include "core/messages.h"
#include "store/audit_anchor.h"
#include "store/audit_key.h"
#include "store/workflow_store.h"

namespace kyso::store::postgres {

Result<Statement*> AuditLog::statement(std::optional<Statement>& slot, std::string_view sql) {
    if (!slot) {
        auto st = db_->prepare(sql);
        if (!st) return st.error();
        slot.emplace(std::move(*st));
    }
    slot->reset();
    return &*slot;
}

Result<std::pair<std::int64_t, std::string>> AuditLog::head() {
    auto st = statement(head_select_, "SELECT seq, hash FROM audit_head WHERE id = 1");
    if (!st) return st.error();
    auto row = (*st)->step();
    if (!row) return row.error();
    std::pair<std::int64_t, std::string> out{0, ""};
    if (*row) out = {(*st)->int64(0), (*st)->string(1)};
    (*st)->reset();
    return out;
}

Result<std::int64_t> AuditLog::keyed_from() {
    // One row, written by migration 0007 and guarded by triggers; a missing row reads as 0
    // (every entry keyed), which a stripped table cannot turn into less checking.
    auto v = db_->query_int("SELECT keyed_from FROM audit_chain WHERE id = 1");
    if (!v) return v.error();
    return *v;
}

Status AuditLog::prepare_key(std::int64_t head_seq) {
    const std::string& db_path = db_->description();
    const std::string key_file = configured_audit_key_path();
    if (key_file.empty()) return make_error("store.pg_audit_key", Location{}, {db_path});
    auto from = keyed_from();
    if (!from) return from.error();
    const bool keyed_entries = head_seq >= *from && head_seq > 0;
    // The head file first: a log shorter than its anchored head is refused before anything
    // else, a new key included.
    const std::string head_file = audit_head_file_path(key_file);
    auto newest = newest_head(head_file);
    if (!newest) return newest.error();
    if (*newest && (*newest)->seq > head_seq)
        return make_error("audit.log_shorter", Location{head_file, 0, {}, {}},
                          {head_file, std::to_string((*newest)->seq), std::to_string(head_seq)});
    if (!key_) {
        auto loaded = AuditKey::load(key_file);
        if (!loaded) return loaded.error();
        if (*loaded) {
            key_ = std::move(**loaded);
        } else {
            // Never a new key for a log that has keyed entries: they could not be verified.
            if (keyed_entries)
                return make_error("audit.key_missing", Location{key_file, 0, {}, {}},
                                  {key_file, db_path});
            auto created = AuditKey::create(key_file, *from);
            if (!created) return created.error();
            key_ = std::move(*created);
        }
    }
    if (key_->keyed_from() != 0 && key_->keyed_from() != *from)
        return make_error("audit.keyed_from_changed", Location{db_path, 0, {}, {}},
                          {std::to_string(*from), std::to_string(key_->keyed_from())});
    if (!*newest) {
        if (keyed_entries)
            return make_error("audit.head_file_missing", Location{head_file, 0, {}, {}},
                              {head_file});
        return create_head_file(head_file);
    }
    return Ok{};
}

Status AuditLog::anchor() {
    if (!pending_) return Ok{};
    const auto [seq, mac] = *pending_;
    pending_.reset();
    return append_head(audit_head_file_path(configured_audit_key_path()), seq, mac);
}

Result<AuditSeal> AuditLog::seal() {
    AuditSeal out;
    const std::string& db_path = db_->description();
    auto from = keyed_from();
    if (!from) return from.error();
    out.keyed_from = *from;
    const std::string key_file = configured_audit_key_path();
    if (key_file.empty()) {
        auto current = head();
        if (!current) return current.error();
        if (current->first > 0 && current->first >= out.keyed_from)
            return make_error("store.pg_audit_key", Location{}, {db_path});
        return out;  // nothing keyed to verify: no key, no head file
    }
    out.head_file = audit_head_file_path(key_file);
    auto heads = read_heads(out.head_file);
    if (!heads) return heads.error();
    out.heads = std::move(*heads);
    auto current = head();
    if (!current) return current.error();
    auto loaded = AuditKey::load(key_file);
    if (!loaded) return loaded.error();
    if (!*loaded) {
        if ((current->first > 0 && current->first >= out.keyed_from) ||
            (out.heads && !out.heads->empty()))
            return make_error("audit.key_missing", Location{key_file, 0, {}, {}},
                              {key_file, db_path});
        return out;
    }
    out.key_keyed_from = (*loaded)->keyed_from();
    out.mac = [key = std::move(**loaded)](const AuditEntry& e) { return key.mac(e); };
    return out;
}

Status AuditLog::check_newest(const std::pair<std::int64_t, std::string>& head_entry) {
    if (head_entry.first == 0) return Ok{};
    auto from = keyed_from();
    if (!from) return from.error();
    if (head_entry.first < *from) return Ok{};  // an unkeyed entry: verify checks its hash
    auto st = db_->prepare(
        "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit_log "
        "WHERE seq = $1");
    if (!st) return st.error();
    st->bind(1, head_entry.first);
    auto row = st->step();
    if (!row) return row.error();
    AuditEntry e;
    if (*row) {
        e = {st->int64(0),  st->string(1), st->string(2), st->string(3),
             st->string(4), st->string(5), st->string(6), st->string(7)};
    }
    if (!*row || e.hash != head_entry.second || key_->mac(e) != e.hash)
        return make_error("audit.newest_forged", Location{db_->description(), 0, {}, {}},
                          {std::to_string(head_entry.first), configured_audit_key_path()});
    return Ok{};
}

Status AuditLog::append(const std::string& actor, const std::string& action,
                        const std::string& object, const std::string& detail) {
    auto current = head();
    if (!current) return current.error();
    if (!checked_) {  // once per transaction: later entries follow its first
        if (auto s = prepare_key(current->first); !s) return s;
        if (auto s = check_newest(*current); !s) return s;
        checked_ = true;
    }
    AuditEntry e;
    e.seq = current->first + 1;
    e.at = utc_timestamp();
    e.actor = actor;
    e.action = action;
    e.object = object;
    e.detail = detail;
    e.prev_hash = current->first == 0 ? std::string(kAuditGenesis) : current->second;
    e.hash = key_->mac(e);
    if (e.hash.empty()) return make_error("store.pg", Location{}, {"", "HMAC-SHA-256 failed"});
    auto ins = statement(insert_,
                         "INSERT INTO audit_log (seq, at, actor, action, object, detail, "
                         "prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
    if (!ins) return ins.error();
    (*ins)
        ->bind(1, e.seq)
        .bind(2, e.at)
        .bind(3, e.actor)
        .bind(4, e.action)
        .bind(5, e.object)
        .bind(6, e.detail)
        .bind(7, e.prev_hash)
        .bind(8, e.hash);
    if (auto r = (*ins)->run(); !r) return r;
    auto up = statement(head_upsert_,
                        "INSERT INTO audit_head (id, seq, hash) VALUES (1, $1, $2) "
                        "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash");
    if (!up) return up.error();
    (*up)->bind(1, e.seq).bind(2, e.hash);
    if (auto r = (*up)->run(); !r) return r;
    pending_ = {e.seq, e.hash};
    return Ok{};
}

std::string audit_holder(const Certificate& c) {
    if (c.holder.id.empty()) return {};
    return std::string(to_string(c.holder.type)) + ":" + c.holder.id;
}

Status AuditLog::certificates(const std::string& actor, const std::string& source,
                              const std::vector<const Certificate*>& written) {
    // Written by hand rather than through a JSON object: an ordered object looks up each key it
    // inserts, which made an import of 60,000 certificates a third slower.
    const auto quoted = [](const std::string& text) { return nlohmann::json(text).dump(); };
    for (std::size_t from = 0; from < written.size(); from += kCertificatesPerEntry) {
        const std::size_t to = std::min(written.size(), from + kCertificatesPerEntry);
        std::string detail = "{\"source\":" + quoted(source) + ",\"certificates\":{";
        for (std::size_t i = from; i < to; ++i) {
            const Certificate& c = *written[i];
            if (i > from) detail += ',';
            detail += quoted(c.serial);
            detail += ":[\"";
            detail += to_string(c.status);
            detail += "\",";
            detail += quoted(audit_holder(c));
            detail += ']';
        }
        detail += "}}";
        if (auto s = append(actor, "registry.certificates", "certificates", detail); !s) return s;
    }
    return Ok{};
}

}  // namespace kyso::store::postgres
