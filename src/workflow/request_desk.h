// kyso workflow — the request desk: requests from a plan, validation, approvals,
// batches, each step checked against the actor's role and scope and recorded (audit log).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/request.h"
#include "core/result.h"
#include "store/store.h"
#include "store/workflow_store.h"

namespace kyso::workflow {

struct FromPlanReport {
    std::size_t planned = 0;       // requests the plan gives in the actor's scope
    std::size_t created = 0;       // new ones (the others were already there)
    std::size_t reviews = 0;       // review actions: no request, someone must decide
    std::size_t unplaced = 0;      // no stored organization can send them
    std::size_t out_of_scope = 0;  // under organizations outside the actor's scope
};

struct ValidationReport {
    std::vector<std::int64_t> validated;
    // Requests left in draft: id and why (an error-level finding on its records, or refused).
    std::vector<std::pair<std::int64_t, std::string>> blocked;
};

class RequestDesk {
public:
    RequestDesk(store::Store& registry, store::WorkflowStore& workflow)
        : registry_(registry), workflow_(workflow) {}

    // DOMAIN.md: unit officers, unit heads and DoST operators prepare requests.
    Result<FromPlanReport> from_plan(const User& actor);

    // One request made by hand (renew a certificate, restore a device, revoke on a holder's
    // leaving, ...): `r.kind` and either `r.certificate` (its holder and device follow) or
    // `r.holder_type`/`r.holder_id` (issue) or `r.device_id` (device restore / hand-over);
    // `r.revocation_reason` (RFC 5280) for a revocation. The managing organization is the
    // holder's unless given; it must be in the actor's scope. The new subject of an issue or a
    // change of information is computed from the registry (FORMATS.md §4). Returns its id.
    Result<std::int64_t> add_request(const User& actor, Request r);

    // Validates the drafts `ids` (all drafts in scope when empty): a request whose holder, its
    // organizations, certificate or device has an error-level finding (FORMATS.md §5) stays a
    // draft and is listed with the finding.
    Result<ValidationReport> validate(const User& actor, const std::vector<std::int64_t>& ids);

    // One step (approve, submit, forward, reject) of one request, as access.h allows.
    Result<Request> move(const User& actor, std::int64_t id, RequestState to,
                         const std::string& comment);

    // The same for many requests: all are checked first, then all move (one transaction per
    // state they come from); one refusal moves none.
    Result<std::vector<Request>> move_all(const User& actor, const std::vector<std::int64_t>& ids,
                                          RequestState to, const std::string& comment);

    // The approved requests of `org_id` (every organization in the actor's scope when empty) of
    // one kind, not yet in a batch, become batches: one per organization and form (issue
    // splits into Mẫu 01 for people and Mẫu 02 for organizations). Returns the batch ids (none
    // when nothing is waiting). `org_id`, when given, must be in the actor's scope
    // (access.party_out_of_scope) and not have ceased (request.ceased_org, naming the one that
    // carries on its work). A request whose managing organization has ceased goes into the
    // letter of the organization carrying on its work (parties.h continuing_org).
    // Numbers (số) are unique per issuer and year: an empty `number` takes the issuer's next
    // free number of the year; a given one must make one letter only (batch.number_several)
    // and be free for its issuer this year (batch.number_taken).
    Result<std::vector<std::int64_t>> create_batches(const User& actor, const std::string& org_id,
                                                     RequestKind kind, const std::string& number,
                                                     const std::string& symbol);
    // The organization sends its batch to DoST: every request approved → submitted (batch 0:
    // every batch in the actor's scope). Returns the ids of the batches sent;
    // request.nothing_to_submit when batch 0 finds none.
    Result<std::vector<std::int64_t>> submit_batch(const User& actor, std::int64_t batch_id);
    // DoST combines the submitted organization batches of one form in its scope into one
    // provincial batch issued by `issuer_org` and forwards their requests to the national CA.
    // The issuer must be a DoST in the operator's scope (parties.h: access.party_not_dost,
    // access.party_out_of_scope).
    Result<std::int64_t> combine_batches(const User& actor, const std::string& form,
                                         const std::string& issuer_org, const std::string& number,
                                         const std::string& symbol);

    // Whether `actor` may render batch `batch_id`'s letter naming `receiver_id` (a person, may
    // be empty) as the one receiving devices: the batch's organization and the receiver's must
    // be in the actor's scope (parties.h). batch.unknown / batch.unknown_receiver otherwise.
    Status may_render(const User& actor, std::int64_t batch_id, const std::string& receiver_id);

    // The template a batch of `kind` uses (templates/letters/<form>.txt).
    static std::string form_of(RequestKind kind, const std::string& holder_type);

private:
    Result<Registry> current_registry();

    store::Store& registry_;
    store::WorkflowStore& workflow_;
};

}  // namespace kyso::workflow
