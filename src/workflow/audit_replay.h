// kyso workflow — `kyso audit verify`, second half: the audit log replayed against the stored
// state, so a record changed behind kyso's back (e.g. a request set to completed directly in the
// database) is named.
#pragma once

#include <vector>

#include "core/registry.h"
#include "core/request.h"
#include "store/workflow_store.h"
#include "workflow/audit_verify.h"

namespace kyso::workflow {

// What the database holds now, to compare with the log.
struct StoredState {
    const std::vector<Request>* requests = nullptr;
    const std::vector<Certificate>* certificates = nullptr;
    const std::vector<store::CustodyRecord>* custody = nullptr;
    const std::vector<User>* users = nullptr;
};

// Replays `entries` (in seq order) and compares the result with `state`:
// - each request's state and result serial: "request.create" starts it (detail.state, default
//   draft), each "request.<state>" moves it (detail.to, detail.result_serial);
// - each certificate's status and holder: "registry.certificates" entries (detail.certificates:
//   serial -> [status, holder or null for unchanged]; serials compared as integers), and
//   "registry.remove" on "certificate:<serial>" (removed: no longer expected);
// - each device's custody steps, in order: "custody.<step>" entries on "device:<id>";
// - each user: a "user.add" entry on "user:<name>", then "user.role" (detail.role),
//   "user.scope" (detail.org_id), "user.disable" and "user.enable": role, scope and disabled.
// Returns one problem per record that disagrees (Vietnamese text naming the record; seq is the
// last entry about it, 0 when none), in the order requests, certificates, custody, users.
std::vector<AuditProblem> replay_audit(const std::vector<store::AuditEntry>& entries,
                                       const StoredState& state);

}  // namespace kyso::workflow
