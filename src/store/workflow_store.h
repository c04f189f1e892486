// kyso store — the WorkflowStore interface: users, requests and their transitions, batches,
// device custody and the hash-chained audit log (SQLite or PostgreSQL).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/registry.h"
#include "core/request.h"
#include "core/result.h"
#include "store/audit_anchor.h"
#include "store/workflow_query.h"

namespace kyso::store {

struct Transition {
    std::int64_t request_id = 0;
    RequestState from = RequestState::draft;
    RequestState to = RequestState::draft;
    std::string actor;
    std::string at;
    std::string comment;
};

struct Batch {
    std::int64_t id = 0;
    std::string org_id;  // the issuing organization (the DoST's for a provincial batch)
    RequestKind kind = RequestKind::change_info;
    std::string form;   // template name: mau-01, mau-02, mau-04, mau-05, mau-06
    std::string level;  // "organization" or "province"
    std::int64_t parent_id = 0;
    std::string number;
    std::string symbol;
    std::string created_by;
    std::string created_at;
};

enum class CustodyStep { to_organization, to_dost, to_ca };
std::string_view to_string(CustodyStep s);
std::optional<CustodyStep> parse_custody_step(std::string_view s);

struct CustodyRecord {
    std::int64_t id = 0;
    std::string device_id;
    std::int64_t request_id = 0;  // 0: none
    CustodyStep step = CustodyStep::to_organization;
    std::string from_party, to_party;
    std::string handed_by, received_by;
    std::string handed_on;  // YYYY-MM-DD
    std::string document;
    std::string recorded_by, recorded_at;
    std::string dost_org_id;  // to_dost: the DoST it went to; to_ca: the DoST that handed it on
};

struct AuditEntry {
    std::int64_t seq = 0;
    std::string at, actor, action, object, detail, prev_hash, hash;
};

// One change of a user account by an admin; exactly one field is set. Audited as user.role,
// user.scope ("" = everything), user.disable / user.enable, user.password_reset.
struct UserChange {
    std::optional<Role> role;
    std::optional<std::string> org_id;
    std::optional<bool> disabled;
    std::optional<std::string> password_hash;  // never written to the audit log
};

// What `audit verify` checks the entries against besides themselves (docs/audit.md).
struct AuditSeal {
    std::int64_t keyed_from = 1;      // entries from this seq on carry a MAC (migration 0007)
    std::int64_t key_keyed_from = 0;  // the key file's record of it; 0: none recorded
    // The MAC of an entry under the key file's key; empty when there is no key file and no
    // keyed entry yet (an upgraded database before its first write).
    std::function<std::string(const AuditEntry&)> mac;
    std::optional<std::vector<AnchoredHead>> heads;  // the head file's lines; nullopt: no file
    std::string head_file;                           // its path ("" for an in-memory database)
};

struct RequestFilter {
    std::optional<RequestState> state;
    std::optional<RequestKind> kind;
    std::string managing_org_id;  // empty: any
    std::int64_t batch_id = 0;    // 0: any
};

// What completing a request does to the registry, in the same transaction.
struct Completion {
    std::optional<Certificate> new_certificate;  // issue, renew, change_info: the new one
    std::string revoked_on;                      // revoke: YYYY-MM-DD
};

// One transition of WorkflowStore::transition_each (as WorkflowStore::transition's arguments).
struct TransitionStep {
    Request after;
    std::string comment;
    std::optional<Completion> completion;
};

// Every write is one transaction together with its audit entries: it happens entirely or not
// at all. Writes that change a request check its state first (another user may have moved it:
// store.request_moved). No method throws.
class WorkflowStore {
public:
    WorkflowStore() = default;
    WorkflowStore(const WorkflowStore&) = delete;
    WorkflowStore& operator=(const WorkflowStore&) = delete;
    virtual ~WorkflowStore() = default;

    virtual Result<User> add_user(const User& user, const std::string& password_hash,
                                  const std::string& actor) = 0;
    // The first user of the database: in one write transaction (BEGIN IMMEDIATE), inserted only
    // when no user exists yet (store.users_exist otherwise), so two at once cannot both be the
    // first administrator.
    virtual Result<User> add_first_user(const User& user, const std::string& password_hash,
                                        const std::string& actor) = 0;
    // Applies `change` to the user `username` (store.user_unknown when there is none) with its
    // audit entry, in one write transaction. Refused with store.last_admin when no enabled admin
    // would be left. Disabling the user or setting its password also deletes all its sessions
    // (AccountStore, migration 0008) in that transaction.
    virtual Status update_user(const std::string& username, const UserChange& change,
                               const std::string& actor) = 0;
    // The user and their stored password hash.
    virtual Result<std::optional<std::pair<User, std::string>>> find_user(
        const std::string& username) = 0;
    virtual Result<std::vector<User>> users() = 0;
    // One page of users (workflow_query.h UserQuery); store.invalid_query for a bad page, size
    // or sort.
    virtual Result<ListPage<User>> list_users(const UserQuery& q) = 0;

    // Inserts the requests in one transaction; a request whose plan_key is already stored is
    // skipped (from-plan is idempotent). Returns the ids of those created.
    virtual Result<std::vector<std::int64_t>> add_requests(const std::vector<Request>& requests,
                                                           const std::string& actor) = 0;
    virtual Result<std::optional<Request>> request(std::int64_t id) = 0;
    virtual Result<std::vector<Request>> requests(const RequestFilter& filter) = 0;
    // One page of requests (RequestQuery), filtered and scoped in SQL.
    virtual Result<ListPage<Request>> list_requests(const RequestQuery& q) = 0;
    virtual Result<std::vector<Transition>> transitions(std::int64_t request_id) = 0;
    // Moves `after.id` from `from` to after.state, saving reject_reason, result_serial and
    // completed_at from `after`, with the transition row and an audit entry; with a completion,
    // updates the registry too (new certificate linked to the one it replaces; revocation).
    virtual Status transition(const Request& after, RequestState from, const std::string& actor,
                              const std::string& comment,
                              const std::optional<Completion>& completion = std::nullopt) = 0;

    // The same for many requests in one transaction (a batch submitted or forwarded at once);
    // all or none move.
    virtual Status transition_all(const std::vector<Request>& after, RequestState from,
                                  const std::string& actor, const std::string& comment) = 0;
    // Many transitions, each with its comment and completion, in one transaction (a CA results
    // file): all or none. The error of the first that fails carries its position in
    // Error::where.row (1 for the first). Stops with work.interrupted when asked
    // (core/interrupt.h).
    virtual Status transition_each(const std::vector<TransitionStep>& steps, RequestState from,
                                   const std::string& actor) = 0;

    // Creates a batch holding `request_ids` (which must be in no batch); returns its id.
    virtual Result<std::int64_t> create_batch(const Batch& batch,
                                              const std::vector<std::int64_t>& request_ids,
                                              const std::string& actor) = 0;
    // A provincial batch over organization batches (each must have no parent yet).
    virtual Result<std::int64_t> combine_batches(const Batch& batch,
                                                 const std::vector<std::int64_t>& batch_ids,
                                                 const std::string& actor) = 0;
    virtual Result<std::optional<Batch>> batch(std::int64_t id) = 0;
    virtual Result<std::vector<Batch>> child_batches(std::int64_t parent_id) = 0;
    // Every batch, organization and provincial ones, by id (`kyso batch list`).
    virtual Result<std::vector<Batch>> batches() = 0;
    // One page of batches (BatchQuery).
    virtual Result<ListPage<Batch>> list_batches(const BatchQuery& q) = 0;

    // The records of one hand-over (several devices), in one transaction: all or none.
    // Returns their ids in order.
    virtual Result<std::vector<std::int64_t>> add_custody(const std::vector<CustodyRecord>& records,
                                                          const std::string& actor) = 0;
    // All records, by device then date then id ("" = every device).
    virtual Result<std::vector<CustodyRecord>> custody(const std::string& device_id) = 0;
    // One page of custody records (CustodyQuery).
    virtual Result<ListPage<CustodyRecord>> list_custody(const CustodyQuery& q) = 0;

    // Whether organization `org_id` is `root` or under it now (accounts::within_scope in SQL,
    // workflow_query.h org_within_sql); an empty root is everything, an unknown organization
    // is in no subtree but its own.
    virtual Result<bool> org_within(const std::string& org_id, const std::string& root) = 0;

    // An audit entry for an action that changes nothing stored (e.g. rendering a batch).
    virtual Status append_audit(const std::string& actor, const std::string& action,
                                const std::string& object, const std::string& detail) = 0;
    virtual Result<std::vector<AuditEntry>> audit_entries() = 0;
    // One page of audit entries (AuditQuery).
    virtual Result<ListPage<AuditEntry>> list_audit(const AuditQuery& q) = 0;
    // The newest entry's seq and hash as recorded with it (0, "" when empty).
    virtual Result<std::pair<std::int64_t, std::string>> audit_head() = 0;
    // The key and the head file; read it before audit_entries, so that every head in the file
    // is of an entry already committed. Errors: audit.key_missing and the key's.
    virtual Result<AuditSeal> audit_seal() = 0;
};

// Opens the workflow store at `location`, chosen as open_store chooses (store.h).
Result<std::unique_ptr<WorkflowStore>> open_workflow_store(const std::string& location);

// The hash of an audit entry written before migration 0007 (seq < keyed_from): SHA-256 (hex)
// over its seq, time, actor, action, object, detail and the previous entry's hash, each field
// length-prefixed so no two entries hash alike. Later entries carry an HMAC (AuditKey::mac).
std::string audit_hash(const AuditEntry& entry);
inline constexpr std::string_view kAuditGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";

}  // namespace kyso::store
