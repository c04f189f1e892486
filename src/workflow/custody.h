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

// Records the hand-over of each device in one step, in order (a step cannot be skipped or
// repeated, nor dated before the previous one). Who: to_organization a unit officer or head of
// the device's managing organization; to_dost a DoST operator; to_ca a DoST or national CA
// operator, each within scope. Returns the custody record ids.
Result<std::vector<std::int64_t>> record_handover(store::Store& registry,
                                                  store::WorkflowStore& workflow, const User& actor,
                                                  const Handover& handover);

// The hand-over record (biên bản bàn giao) of `handover`, as DOCX and PDF in `out_dir`, from
// templates_dir/bien-ban-ban-giao.txt.
Status render_handover(store::Store& registry, store::WorkflowStore& workflow,
                       const Handover& handover, const std::string& templates_dir,
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
