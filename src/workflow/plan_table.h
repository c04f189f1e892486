// kyso workflow — the plan as a list for people (`kyso plan --format csv|xlsx`, GET /api/v1/plan
// ?format=csv|xlsx): one row per action, grouped by the organization that will send the request.
#pragma once

#include <string>

#include "core/registry.h"
#include "core/subject.h"
#include "docs/table.h"
#include "reorg/plan.h"
#include "reorg/replay.h"

namespace kyso::workflow {

// A subject as people read it: root first (C=VN, ST=…, O=…, CN=…), the reverse of the RFC 4514
// string, values escaped as RFC 4514 does; a multi-valued RDN's attributes joined by " + ".
std::string subject_reading_order(const Subject& subject);

// Groups: the organization that will send each action's request after the events — the same
// rule as `requests from-plan` (workflow::sending_org: the successor of a ceased body, else its
// superior) — in replay order (registry organizations, then those the events created), titled
// with its name after the events. Columns: the certificate serial, the device's own serial
// number (token serial, SIM ICCID) rather than kyso's device id, subjects in reading order
// (C → CN; the certificate's current subject and the planned one). `replay` is the one `plan`
// was derived from. Headings and values in English when `english`, else Vietnamese.
docs::Table plan_table(const Registry& registry, const reorg::Replay& replay,
                       const reorg::Plan& plan, bool english);

}  // namespace kyso::workflow
