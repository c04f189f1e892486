// kyso workflow — device custody: every returned key device goes holder → managing organization
// → DoST → national CA, each hand-over recorded with date, people and its record (biên bản).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/request.h"
#include "core/result.h"
#include "store/store.h"
#include "store/workflow_store.h"

namespace kyso::workflow {

struct Handover {
    std::vector<std::string> devices;  // handed over together (one record)
    store::CustodyStep step = store::CustodyStep::to_organization;
    std::string handed_by, handed_by_title;
    std::string received_by, received_by_title;
    Date on = Date::today();
    std::string document;     // the record's number, if any
    std::string dost_org_id;  // to_dost / to_ca: the DoST in the registry (its name on the record)
};

// Checks the hand-over `h` as `actor` would record it, and completes it. Who: to_organization a
// unit officer or head; to_dost a DoST operator; to_ca a DoST or national CA operator (access.role
// otherwise). Every device's managing organization must be in the actor's scope; the DoST too
// (parties.h): at to_dost `h.dost_org_id` must name a DoST (access.party_not_dost) in the actor's
// scope; at to_ca it is the DoST each device was handed to at to_dost — filled in when empty,
// access.dost_mismatch when another one is named. Steps go in order (custody.order), never
// dated before the previous one (custody.date).
Status check_handover(store::Store& registry, store::WorkflowStore& workflow, const User& actor,
                      Handover& h);

// Records the hand-over of each device in one step, after check_handover; nothing is recorded
// when it refuses. Returns the custody record ids.
Result<std::vector<std::int64_t>> record_handover(store::Store& registry,
                                                  store::WorkflowStore& workflow, const User& actor,
                                                  const Handover& handover);

// The whole hand-over as `kyso custody handover` does it: check_handover (a refusal writes
// nothing — no custody row, no audit entry, no file), then, when `out_dir` is given, the
// hand-over record (biên bản bàn giao: bien-ban.docx and bien-ban.pdf from
// templates_dir/bien-ban-ban-giao.txt, numbered `handover.document` — custody.document_needed
// when it is empty) staged beside `out_dir`, then the custody rows in one transaction, and only
// then the record put in place. Any failure leaves the database and `out_dir` as they were.
Result<std::vector<std::int64_t>> handover(store::Store& registry, store::WorkflowStore& workflow,
                                           const User& actor, const Handover& handover,
                                           const std::string& templates_dir,
                                           const std::string& out_dir);

struct OverdueDevice {
    std::string device_id;
    std::string holder;        // "person:p1" / "org:o1"
    std::string managing_org;  // of its hand-over request
    std::string revoked_on;    // the latest revocation of its certificates
    std::int64_t days = 0;     // since then
    std::string last_step;     // "" when the holder has not handed it over yet
};

// Devices whose hand-over was requested and whose certificates were revoked at least `days`
// days before `today`, but which have not reached the national CA.
Result<std::vector<OverdueDevice>> overdue_devices(store::Store& registry,
                                                   store::WorkflowStore& workflow, int days,
                                                   Date today = Date::today());

}  // namespace kyso::workflow
