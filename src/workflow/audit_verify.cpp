// kyso workflow — `kyso audit verify`: the audit log's hash chain, entry by entry.
#include "workflow/audit_verify.h"

#include <unordered_map>

#include "core/messages.h"

namespace kyso::workflow {

namespace {

// The head file against the chain: the newest head it records beyond the chain's end, and the
// first head whose MAC is not the chain's (one problem each, not one per line).
template <typename Problem>
void check_head_file(const std::vector<store::AuditEntry>& entries, const store::AuditSeal& seal,
                     std::int64_t last, Problem&& problem) {
    if (seal.head_file.empty()) return;  // an in-memory database
    if (!seal.heads) {
        if (last > 0 && last >= seal.keyed_from)
            problem(last, "audit.anchor_missing", {seal.head_file});
        return;
    }
    std::unordered_map<std::int64_t, const std::string*> mac_of;
    mac_of.reserve(entries.size());
    for (const store::AuditEntry& e : entries) mac_of.emplace(e.seq, &e.hash);
    const store::AnchoredHead* ahead = nullptr;
    const store::AnchoredHead* off = nullptr;
    for (const store::AnchoredHead& h : *seal.heads) {
        if (h.seq > last) {
            if (ahead == nullptr || h.seq > ahead->seq) ahead = &h;
            continue;
        }
        const auto it = mac_of.find(h.seq);
        if ((it == mac_of.end() || *it->second != h.mac) && (off == nullptr || h.seq < off->seq))
            off = &h;
    }
    if (ahead != nullptr)
        problem(ahead->seq, "audit.anchor_ahead",
                {std::to_string(ahead->seq), std::to_string(ahead->line), std::to_string(last)});
    if (off != nullptr)
        problem(off->seq, "audit.anchor_off",
                {std::to_string(off->seq), std::to_string(off->line)});
}

}  // namespace

AuditVerdict verify_audit(const std::vector<store::AuditEntry>& entries,
                          const std::pair<std::int64_t, std::string>& recorded_head,
                          const store::AuditSeal& seal, const std::string& expected_head) {
    AuditVerdict v;
    v.entries = entries.size();
    auto problem = [&](std::int64_t seq, std::string_view code,
                       std::initializer_list<std::string_view> args = {}) {
        v.problems.push_back({seq, message(code, args, false)});
    };
    // Entries before keyed_from are checked without the key: a keyed_from raised by hand would
    // pass keyed entries off as unkeyed ones; the key file records where the keyed chain began.
    if (seal.key_keyed_from != 0 && seal.key_keyed_from != seal.keyed_from)
        problem(seal.keyed_from, "audit.keyed_from_raised",
                {std::to_string(seal.keyed_from), std::to_string(seal.key_keyed_from)});
    std::string prev(store::kAuditGenesis);
    std::int64_t expected_seq = 1;
    for (const store::AuditEntry& e : entries) {
        if (e.seq != expected_seq)
            problem(e.seq, "audit.gap", {std::to_string(expected_seq), std::to_string(e.seq)});
        if (e.prev_hash != prev) problem(e.seq, "audit.broken_link");
        if (e.seq < seal.keyed_from) {
            if (store::audit_hash(e) != e.hash) problem(e.seq, "audit.edited");
        } else if (!seal.mac || seal.mac(e) != e.hash) {
            problem(e.seq, "audit.forged");
        }
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
    check_head_file(entries, seal, last, problem);
    return v;
}

}  // namespace kyso::workflow
