// kyso workflow — `kyso audit verify`: the audit log's hash chain, entry by entry.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/workflow_store.h"

namespace kyso::workflow {

struct AuditProblem {
    std::int64_t seq = 0;
    std::string what;  // Vietnamese
};

struct AuditVerdict {
    std::size_t entries = 0;
    std::string head;  // hash of the last entry: record it elsewhere to detect a rewritten log
    std::vector<AuditProblem> problems;
    bool ok() const { return problems.empty(); }
};

// Checks that seq runs 1, 2, 3, ... without gap (a deleted entry), that each entry names the
// previous entry's hash (inserted or reordered entries), that each entry from
// seal.keyed_from on carries the HMAC of its fields under the key (audit.forged: edited, or
// the chain recomputed without the key) and each earlier one the SHA-256 of its fields
// (audit.edited), and that the recorded head is the last entry (entries deleted from the end).
// Against the head file (docs/audit.md): every head it records must be an entry of the chain
// with the same MAC (audit.anchor_off: the log was rewritten) at or before the chain's end
// (audit.anchor_ahead: the log was deleted or shortened); the chain may run ahead of the file
// (a crash between the commit and the append). With `expected_head`, the chain must also end
// in that hash.
AuditVerdict verify_audit(const std::vector<store::AuditEntry>& entries,
                          const std::pair<std::int64_t, std::string>& recorded_head,
                          const store::AuditSeal& seal, const std::string& expected_head = {});

}  // namespace kyso::workflow
