// kyso reorg — replaying reorganization events over a registry (FORMATS.md §2, §3 "Events").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/event.h"
#include "core/registry.h"
#include "core/result.h"

namespace kyso::reorg {

// Why and by which event a certificate stopped being in play.
// Views point into the registry and the events, which outlive the Replay (a million
// certificates make every byte of these structures count).
struct CertEnd {
    std::string_view rule;    // "1.1a", "1.1b", "2.1", "1.2", "2.3"
    std::string_view reason;  // RFC 5280 CRLReason name
    std::string_view event;
};

// The working state of one organization while events are replayed.
struct OrgState {
    std::string id;
    std::string name;
    std::string superior_id;
    std::string province;
    std::string agency_code;
    std::string admin_unit;
    OrgKind kind = OrgKind::unspecified;
    bool active = true;
    std::string ceased_by;   // event that ended it
    std::string successor;   // where it went (keep / new / successor), may be empty
    std::string last_event;  // last event that changed name, superior or province
    std::optional<Date> ceased_on;
    std::vector<OrgVersion> history;     // a version per event that changed it, in order
    std::vector<std::size_t> children;   // indexes of organizations that had it as superior
    std::vector<std::size_t> people;     // people who worked there at some point
    std::vector<std::size_t> org_certs;  // org certificates it held at some point
};

struct PersonState {
    std::string_view org_id;         // empty: unassigned by a dissolve without successor
    bool left = false;               // person_leaves (final)
    std::string_view unassigned_by;  // the dissolve that left the person without organization
    std::string_view last_event;     // last transfer / move
};

struct CertState {
    bool considered = false;      // status valid and not expired on as-of
    bool carried = false;         // carried into a new organization (rule 1.1a)
    std::string_view org_holder;  // organization certificates: the organization it now belongs to
    std::string_view carried_by;
    std::optional<CertEnd> end;
};

// An `issue` owed to a new organization whose sources had no certificate, or made by a `create`
// (rule 1.1a).
struct PendingIssue {
    std::string org_id;
    std::string event;
};

// Everything the plan is derived from: the state after all applied events.
struct Replay {
    Date as_of;
    std::vector<OrgState> orgs;  // registry organizations first, then created ones
    IdIndex org_index;
    std::vector<PersonState> people;         // parallel to Registry::people
    std::vector<CertState> certs;            // parallel to Registry::certificates
    std::vector<PendingIssue> issues;        // in event order
    std::vector<const ReorgEvent*> applied;  // events applied, in order

    const OrgState* org(std::string_view id) const;
};

// Default as-of: the latest effective_date of the events (today's date when there are none).
Date default_as_of(const std::vector<ReorgEvent>& events);

// Replays `events` (any order; sorted here by date, ties in file order) effective on or before
// `as_of`. Input errors of FORMATS.md §3 (unknown ids — parts_from included —, ceased
// organizations, keep/cert_carrier outside sources, duplicate sources, existing new ids, merge
// with both or neither of keep/new) are errors naming the event. `events` must outlive the Replay.
Result<Replay> replay(const Registry& registry, const std::vector<ReorgEvent>& events, Date as_of);

// The input errors `kyso plan` reports for `events` over `registry` (the replay above with every
// event applied, as of the latest effective_date): the one validator of events, run wherever
// events enter the store (`import --bundle`, `events add`, `events import`) so that an invalid
// event is refused there and never reaches a plan. The error names the event (where.id) and its
// member (where.field, as in events.json).
Status validate_events(const Registry& registry, const std::vector<ReorgEvent>& events);

}  // namespace kyso::reorg
