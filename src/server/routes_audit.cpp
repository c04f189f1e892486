// kyso server — the hash-chained audit log: entries with filters and pages, and its
// verification (chain, MACs, head file, and the log replayed against the stored state), as
// `kyso audit verify` does it. For auditors and administrators of global scope: the log is the
// whole database's.
#include "server/fields.h"
#include "server/records.h"
#include "server/routes.h"
#include "store/store.h"
#include "workflow/audit_replay.h"
#include "workflow/audit_verify.h"

namespace kyso::server {

namespace {

using nlohmann::json;

// The log is not split by organization: a user scoped to a subtree does not read it.
std::optional<Response> needs_global(Context& ctx) {
    if (ctx.user().org_id.empty()) return std::nullopt;
    return ctx.fail(403, "access.out_of_scope_org", {ctx.user().username, "*"});
}

Response list(Context& ctx) {
    if (auto refused = needs_global(ctx)) return *refused;
    store::AuditQuery q;
    // Newest first by default: what someone reading the log looks for.
    if (auto ok = read_list_query(ctx, q, true); !ok) return ctx.fail(ok.error());
    q.scope.clear();  // the log is the whole database's (needs_global)
    q.actor = ctx.query_value("actor").value_or("");
    q.action = ctx.query_value("action").value_or("");
    q.object = ctx.query_value("object").value_or("");
    auto page = ctx.stores.workflow->list_audit(q);
    if (!page) return ctx.fail(page.error());
    return Response::json(list_page_body(*page, audit_json));
}

Response verify(Context& ctx) {
    if (auto refused = needs_global(ctx)) return *refused;
    auto& wf = *ctx.stores.workflow;
    auto seal = wf.audit_seal();
    if (!seal) return ctx.fail(seal.error());
    auto entries = wf.audit_entries();
    if (!entries) return ctx.fail(entries.error());
    auto head = wf.audit_head();
    if (!head) return ctx.fail(head.error());
    auto v =
        workflow::verify_audit(*entries, *head, *seal, ctx.query_value("expect_head").value_or(""));
    auto requests = wf.requests({});
    if (!requests) return ctx.fail(requests.error());
    auto reg = ctx.stores.registry->load_registry();
    if (!reg) return ctx.fail(reg.error());
    auto custody = wf.custody("");
    if (!custody) return ctx.fail(custody.error());
    auto users = wf.users();
    if (!users) return ctx.fail(users.error());
    const workflow::StoredState state{&*requests, &reg->certificates, &*custody, &*users};
    for (auto& p : workflow::replay_audit(*entries, state)) v.problems.push_back(std::move(p));
    json problems = json::array();
    for (const auto& p : v.problems) problems.push_back({{"seq", p.seq}, {"what", p.what}});
    return Response::json(
        {{"ok", v.ok()}, {"entries", v.entries}, {"head", v.head}, {"problems", problems}});
}

}  // namespace

void add_audit_routes(RouteTable& t) {
    const std::vector<Role> readers = {Role::auditor, Role::admin};
    Route l;
    l.method = Method::get;
    l.path = "/api/v1/audit";
    l.roles = readers;
    l.tag = "audit";
    l.summary = "Audit entries, newest first, by page; filters by actor, action prefix, object";
    l.params = list_query_params({"seq"});
    l.params.push_back(Param{"actor", "query", str_schema(), false, "who acted"});
    l.params.push_back(Param{"action", "query", str_schema(), false, "action or its prefix"});
    l.params.push_back(Param{"object", "query", str_schema(), false, "e.g. request:12"});
    l.response_schema = page_schema(audit_schema());
    l.handler = list;
    t.add(l);

    Route v;
    v.method = Method::get;
    v.path = "/api/v1/audit/verify";
    v.roles = readers;
    v.tag = "audit";
    v.summary = "Verify the audit log: chain, MACs, head file, replay against the stored state";
    v.params = {Param{"expect_head", "query", str_schema(), false, "a head recorded elsewhere"}};
    v.response_schema = object_schema(
        {{"ok", bool_schema()},
         {"entries", int_schema()},
         {"head", str_schema()},
         {"problems",
          {{"type", "array"},
           {"items",
            object_schema({{"seq", int_schema()}, {"what", str_schema()}}, {"seq", "what"})}}}},
        {"ok", "entries", "head", "problems"});
    v.handler = verify;
    t.add(v);
}

}  // namespace kyso::server
