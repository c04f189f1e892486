// kyso store — the head file: the audit chain's head (seq and MAC), appended next to the
// database after every write that adds entries, so a log deleted or shortened inside the
// database is detected (docs/audit.md "The head file").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace kyso::store {

// "<db_path>.audithead".
std::string audit_head_file_path(const std::string& db_path);

// One line of the head file: "<seq> <mac>\n", seq in decimal, mac as stored in the log.
struct AnchoredHead {
    std::int64_t seq = 0;
    std::string mac;
    std::int64_t line = 0;  // 1-based line number in the file
};

// Creates the head file empty (mode 0600) unless it exists; never follows a symbolic link.
// Errors: audit.head_file_write.
Status create_head_file(const std::string& path);

// Appends "<seq> <mac>\n" with O_APPEND (one write(2), so concurrent writers never interleave
// within a line) and fsyncs the file. Errors: audit.head_file_write.
Status append_head(const std::string& path, std::int64_t seq, const std::string& mac);

// Every line of the file, read line by line; nullopt when the file does not exist.
// Errors: audit.head_file_read (cannot read, a symbolic link), audit.head_file_line (a line
// that is not "<seq> <64 hex digits>"; a torn last line without its newline is ignored: a
// crash during the append).
Result<std::optional<std::vector<AnchoredHead>>> read_heads(const std::string& path);

// The highest seq among the file's last lines (the last 4 KiB: lines are appended in commit
// order, give or take writers finishing at the same moment); nullopt when the file does not
// exist, seq 0 when it is empty. Errors: as read_heads.
Result<std::optional<AnchoredHead>> newest_head(const std::string& path);

}  // namespace kyso::store
