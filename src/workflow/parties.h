// kyso workflow — every organization an action names (issue 11: "scope is checked on every party
// an action names, not only on the request"): the managing organization of a request, the
// issuer of a combined letter, the DoST of a hand-over, the receiver of a letter. Each must exist,
// lie within the actor's scope (access.h within_scope) and be of the right kind. The CLI and the
// coming HTTP server both go through these checks.
#pragma once

#include <string_view>

#include "core/registry.h"
#include "core/request.h"
#include "core/result.h"

namespace kyso::workflow {

// True when `org` is a provincial Department of Science and Technology (Sở Khoa học và Công
// nghệ, DOMAIN.md "DoST"): not ceased, and its current name, folded for matching (lower case,
// no marks: text::fold_for_matching), begins with "so khoa hoc va cong nghe". The registry has
// no kind of its own for a DoST (FORMATS.md §1 `kind` is `department`), so the name decides.
bool is_dost(const Organization& org);

// What an action names an organization as; decides the kind it must have and the wording.
enum class Party {
    managing,  // managing organization of a request (any kind)
    holder,    // the organization a request's holder belongs to (any kind)
    batch,     // organization of a batch (any kind)
    issuer,    // issuer of a provincial letter: a DoST
    dost,      // DoST of a device hand-over: a DoST
    receiver,  // organization of the person receiving devices (any kind)
};

// `org_id` named as `party` by `actor`: it must exist (request.unknown_org), lie within the
// actor's scope (access.party_out_of_scope, naming the party, the organization and the actor's
// scope) and, for issuer and dost, be a DoST (access.party_not_dost).
Status check_party(const Registry& registry, const User& actor, std::string_view org_id,
                   Party party);

// The organization that carries on the work of `org_id` (DOMAIN.md: the successor of a body that
// merged away or was renamed, else its superior): `org_id` itself while it has not ceased, else
// its successor_id, else its superior, followed until one has not ceased. Empty when the chain
// ends without a live organization (or `org_id` is unknown).
std::string continuing_org(const Registry& registry, std::string_view org_id);

// A new request or batch must not name as its managing or issuing organization one that has
// ceased: request.ceased_org naming the organization, its ceasing date and the one that carries
// on its work (request.ceased_org_none when there is none). Ok for a live organization.
Status check_not_ceased(const Registry& registry, std::string_view org_id);

}  // namespace kyso::workflow
