// kyso workflow — `kyso audit verify`: the audit log's hash chain, entry by entry.
#include "workflow/audit_verify.h"

#include "core/messages.h"

namespace kyso::workflow {

AuditVerdict verify_audit(const std::vector<store::AuditEntry>& entries,
                          const std::pair<std::int64_t, std::string>& recorded_head,
                          const std::string& expected_head) {
    AuditVerdict v;
    v.entries = entries.size();
    auto problem = [&](std::int64_t seq, std::string_view code,
                       std::initializer_list<std::string_view> args = {}) {
        v.problems.push_back({seq, message(code, args, false)});
    };
    std::string prev(store::kAuditGenesis);
    std::int64_t expected_seq = 1;
    for (const store::AuditEntry& e : entries) {
        if (e.seq != expected_seq)
            problem(e.seq, "audit.gap", {std::to_string(expected_seq), std::to_string(e.seq)});
        if (e.prev_hash != prev) problem(e.seq, "audit.broken_link");
        if (store::audit_hash(e) != e.hash) problem(e.seq, "audit.edited");
        prev = e.hash;
        expected_seq = e.seq + 1;
    }
    v.head = entries.empty() ? std::string() : entries.back().hash;
    const std::int64_t last = entries.empty() ? 0 : entries.back().seq;
    if (recorded_head.first != last || recorded_head.second != v.head)
        problem(last, "audit.head_mismatch",
                {std::to_string(recorded_head.first), std::to_string(last)});
    if (!expected_head.empty() && expected_head != v.head)
        problem(last, "audit.expected_head", {expected_head});
    return v;
}

}  // namespace kyso::workflow
