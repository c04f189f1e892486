// kyso store — the secret key of the audit chain, kept in a file outside the database, and the
// HMAC of an audit entry (docs/audit.md "The key").
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "store/workflow_store.h"

namespace kyso::store {

inline constexpr std::size_t kAuditKeyBytes = 32;

// Overrides the key file of every database this process opens (`kyso --audit-key FILE`);
// an empty path removes the override.
void set_audit_key_file(std::string path);

// The key file of the database at `db_path`: the override set above, else the environment
// variable KYSO_AUDIT_KEY, else "<db_path>.auditkey" next to the database.
std::string audit_key_path(const std::string& db_path);

// The key file named by the override or KYSO_AUDIT_KEY; "" when neither is set (a PostgreSQL
// database has no file to keep its key next to: it needs one of them).
std::string configured_audit_key_path();

// A database kept only in memory (":memory:" or ""): it has no key file and no head file.
bool is_memory_database(const std::string& db_path);

// 32 secret bytes. The key file holds them as 64 hexadecimal digits (lower or upper case) and a
// newline, then "keyed_from N" and a newline: the first seq of the keyed chain when the key was
// made, so raising audit_chain.keyed_from in the database (to pass keyed entries off as unkeyed
// ones) is found. A file of only the 64 digits (no keyed_from) is read as well.
class AuditKey {
public:
    // Reads the key file at `path`; nullopt when it does not exist. The file must be a regular
    // file, not a symbolic link, readable by neither group nor others (mode 0400 or 0600).
    // Errors: audit.key_symlink, audit.key_mode, audit.key_format, audit.key_read.
    static Result<std::optional<AuditKey>> load(const std::string& path);
    // Creates the key file at `path` with 32 bytes from RAND_bytes: written to a temporary file
    // opened with O_CREAT|O_EXCL|O_NOFOLLOW and mode 0400, synced, then linked to `path`, so no
    // reader ever sees half a key and an existing file is never replaced (then that file is
    // loaded instead). Errors: audit.key_create and those of load.
    // `keyed_from` (> 0) is written to the file; 0 writes none.
    static Result<AuditKey> create(const std::string& path, std::int64_t keyed_from = 0);
    // A key held in memory only (for an in-memory database).
    static Result<AuditKey> ephemeral();

    // HMAC-SHA-256 (OpenSSL EVP_MAC "HMAC"), as 64 lowercase hex digits, over the entry's
    // previous MAC, seq, time, actor, action, object and detail, each length-prefixed
    // (audit_mac_input). Empty only if OpenSSL fails.
    [[nodiscard]] std::string mac(const AuditEntry& entry) const;
    // The keyed_from line of the key file; 0 when it has none.
    [[nodiscard]] std::int64_t keyed_from() const { return keyed_from_; }

private:
    AuditKey() = default;
    // Fetches HMAC-SHA-256 and keys a context once; each mac() works on a copy of it.
    Status prepare();

    std::array<unsigned char, kAuditKeyBytes> bytes_{};
    std::int64_t keyed_from_ = 0;
    std::shared_ptr<void> keyed_;  // EVP_MAC_CTX, initialized with bytes_
};

// The bytes an entry's MAC covers: "kyso-audit-hmac-v1\n" then, for each of prev_hash, seq,
// at, actor, action, object, detail, its length in bytes (decimal), ':', the bytes and '\n'.
std::string audit_mac_input(const AuditEntry& entry);

}  // namespace kyso::store
