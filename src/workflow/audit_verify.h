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
// previous entry's hash (inserted or reordered entries), that each hash is the hash of its
// entry's fields (an edited entry), and that the recorded head is the last entry (entries
// deleted from the end). With `expected_head`, the chain must also end in that hash.
AuditVerdict verify_audit(const std::vector<store::AuditEntry>& entries,
                          const std::pair<std::int64_t, std::string>& recorded_head,
                          const std::string& expected_head = {});

}  // namespace kyso::workflow
