// kyso store — appends entries to the keyed audit chain inside the caller's transaction, and
// the chain's head to the head file once the transaction has committed (docs/audit.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/registry.h"
#include "core/result.h"
#include "store/audit_key.h"
#include "store/postgres/connection.h"
#include "store/workflow_store.h"

namespace kyso::store::postgres {

// The audit log of one PostgreSQL connection, as sqlite::AuditLog. The key file is the one
// named by --audit-key or KYSO_AUDIT_KEY (store.pg_audit_key when neither is set) and the head
// file "<key file>.audithead" beside it (docs/audit.md "PostgreSQL"). Appends run under the
// write lock of their transaction (connection.h), so the chain stays one chain whatever the
// number of servers.
// The audit log of one connection (tables audit_log and audit_head, migration 0003; audit_chain,
// migration 0007). Each entry names the previous entry's MAC and is MACed with the key file's
// key (AuditKey::mac); the caller owns the write transaction, so an entry is stored exactly
// when the change it records is. A write transaction calls begin() before and anchor() after
// its commit. Statements are prepared on first use and kept; the AuditLog must not outlive its
// Connection.
class AuditLog {
public:
    explicit AuditLog(Connection& db) : db_(&db) {}

    // Forgets the head of an earlier transaction that did not commit.
    void begin() {
        pending_.reset();
        checked_ = false;
    }
    // Appends one entry: `actor` the signed-in user (or "system:<login>" before any user
    // exists), `action` e.g. "registry.import", `object` e.g. "bundle", `detail` JSON.
    // The first append of a connection loads the key (creating the key file and the head file
    // when the log has no keyed entry yet). Errors: audit.key_missing (keyed entries but no key
    // file: nothing is written), audit.head_file_missing, audit.log_shorter (the head file names
    // an entry the log no longer has), and AuditKey::load's.
    Status append(const std::string& actor, const std::string& action, const std::string& object,
                  const std::string& detail);
    // After the transaction committed: appends the new head to the head file and syncs it.
    // Nothing to do when the transaction wrote no entry. Errors: audit.head_file_write (the
    // change itself is stored; the head file lags, which audit verify accepts).
    Status anchor();

    // What `audit verify` needs besides the entries: where the keyed chain starts, the key and
    // the head file's lines. Errors: audit.key_missing when the log has keyed entries and the
    // key file is missing, and those of AuditKey::load and read_heads.
    Result<AuditSeal> seal();
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
    // The newest entry (`head_entry`: its seq and hash from audit_head), when keyed, must carry
    // the MAC of the loaded key: a wrong key (another database's, a new one) or an entry changed
    // outside kyso is refused before anything is appended on top of it (audit.newest_forged).
    Status check_newest(const std::pair<std::int64_t, std::string>& head_entry);

    Result<Statement*> statement(std::optional<Statement>& slot, std::string_view sql);
    Result<std::int64_t> keyed_from();
    // Loads (or, for a log without keyed entries, creates) the key and checks the head file.
    Status prepare_key(std::int64_t head_seq);

    Connection* db_;
    std::optional<AuditKey> key_;
    std::optional<std::pair<std::int64_t, std::string>> pending_;  // committed by anchor()
    bool checked_ = false;  // prepare_key ran in this transaction
    std::optional<Statement> insert_;
    std::optional<Statement> head_upsert_;
    std::optional<Statement> head_select_;
};

// The holder of a certificate as the audit log writes it: "person:p1", "org:T01", "" unlinked.
std::string audit_holder(const Certificate& c);

}  // namespace kyso::store::postgres
