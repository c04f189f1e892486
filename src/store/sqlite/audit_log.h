// kyso store — appends entries to the hash-chained audit log inside the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/registry.h"
#include "core/result.h"
#include "store/sqlite/connection.h"

namespace kyso::store::sqlite {

// The audit log of one connection (tables audit_log and audit_head, migration 0003). Each entry
// names the previous entry's hash (store::audit_hash); the caller owns the write transaction, so
// an entry is stored exactly when the change it records is. Statements are prepared on first
// use and kept; the AuditLog must not outlive its Connection.
class AuditLog {
public:
    explicit AuditLog(Connection& db) : db_(&db) {}

    // Appends one entry: `actor` the signed-in user (or "system:<login>" before any user
    // exists), `action` e.g. "registry.import", `object` e.g. "bundle", `detail` JSON.
    Status append(const std::string& actor, const std::string& action, const std::string& object,
                  const std::string& detail);
    // The newest entry's seq and hash as recorded in audit_head (0, "" when empty).
    Result<std::pair<std::int64_t, std::string>> head();

    // Entries "registry.certificates" stating each certificate's status and holder after a
    // write, in chunks of kCertificatesPerEntry: detail {"source": ..., "certificates":
    // {"<serial>": ["valid"|"revoked", "person:<id>"|"org:<id>"|""]}}. `audit verify` replays
    // them against the stored certificates (workflow/audit_replay.h).
    Status certificates(const std::string& actor, const std::string& source,
                        const std::vector<const Certificate*>& written);
    static constexpr std::size_t kCertificatesPerEntry = 2000;

private:
    Result<Statement*> statement(std::optional<Statement>& slot, std::string_view sql);

    Connection* db_;
    std::optional<Statement> insert_;
    std::optional<Statement> head_upsert_;
    std::optional<Statement> head_select_;
};

// The holder of a certificate as the audit log writes it: "person:p1", "org:T01", "" unlinked.
std::string audit_holder(const Certificate& c);

}  // namespace kyso::store::sqlite
