// kyso store — appends entries to the hash-chained audit log inside the caller's transaction.
#include "store/sqlite/audit_log.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/date.h"
#include "store/workflow_store.h"

namespace kyso::store::sqlite {

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

Status AuditLog::append(const std::string& actor, const std::string& action,
                        const std::string& object, const std::string& detail) {
    auto current = head();
    if (!current) return current.error();
    AuditEntry e;
    e.seq = current->first + 1;
    e.at = utc_timestamp();
    e.actor = actor;
    e.action = action;
    e.object = object;
    e.detail = detail;
    e.prev_hash = current->first == 0 ? std::string(kAuditGenesis) : current->second;
    e.hash = audit_hash(e);
    auto ins = statement(insert_,
                         "INSERT INTO audit_log (seq, at, actor, action, object, detail, "
                         "prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
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
                        "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?1, ?2) "
                        "ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash");
    if (!up) return up.error();
    (*up)->bind(1, e.seq).bind(2, e.hash);
    return (*up)->run();
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

}  // namespace kyso::store::sqlite
