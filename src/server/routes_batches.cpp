// kyso server — batches: list and one (in the user's subtree), create from approved requests,
// submit to the DoST, combine into the provincial batch, and the documents of a batch (PDF,
// DOCX letter or XLSX list) rendered by workflow::render_batch into a private temporary folder
// — no name from the client ever becomes a path. The rules are workflow::RequestDesk's.
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "core/date.h"
#include "core/messages.h"
#include "jobs/batch_render_job.h"
#include "server/fields.h"
#include "server/records.h"
#include "server/routes.h"
#include "server/scope.h"
#include "workflow/batch_render.h"
#include "workflow/request_desk.h"

namespace kyso::server {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::vector<std::string> kSortKeys = {"id", "created_at", "org_id"};

Response list(Context& ctx) {
    store::BatchQuery q;
    if (auto ok = read_list_query(ctx, q); !ok) return ctx.fail(ok.error());
    if (auto l = ctx.query_value("level")) {
        if (*l != "organization" && *l != "province")
            return ctx.fail(400, "server.query_value", {"level", *l, "organization, province"},
                            "level");
        q.level = *l;
    }
    if (auto o = ctx.query_value("org")) q.org_id = *o;
    auto page = ctx.stores.workflow->list_batches(q);
    if (!page) return ctx.fail(page.error());
    return Response::json(list_page_body(*page, batch_json));
}

// The batch `id` in the user's subtree; `refusal` set otherwise. One outside the subtree is
// answered as one that does not exist (404 batch.unknown), so ids cannot be probed.
std::optional<store::Batch> visible_batch(Context& ctx, Response& refusal) {
    auto id = ctx.path_id("id");
    if (!id) {
        refusal = ctx.fail(id.error());
        return std::nullopt;
    }
    auto b = ctx.stores.workflow->batch(*id);
    if (!b) {
        refusal = ctx.fail(b.error());
        return std::nullopt;
    }
    if (!*b) {
        refusal = ctx.fail(404, "batch.unknown", {std::to_string(*id)}, "id");
        return std::nullopt;
    }
    ScopeCheck scope(ctx);
    auto sees = scope.sees((*b)->org_id);
    if (!sees) {
        refusal = ctx.fail(sees.error());
        return std::nullopt;
    }
    if (!*sees) {
        refusal = ctx.fail(404, "batch.unknown", {std::to_string(*id)}, "id");
        return std::nullopt;
    }
    return **b;
}

Response get_one(Context& ctx) {
    Response refusal;
    auto b = visible_batch(ctx, refusal);
    if (!b) return refusal;
    json body = batch_json(*b);
    store::RequestFilter f;
    f.batch_id = b->id;
    auto rs = ctx.stores.workflow->requests(f);
    if (!rs) return ctx.fail(rs.error());
    body["requests"] = json::array();
    for (const Request& r : *rs) body["requests"].push_back(r.id);
    return Response::json(body);
}

Response create(Context& ctx) {
    if (auto ok = only_fields(ctx.body, {"org_id", "kind", "number", "symbol"}); !ok)
        return ctx.fail(ok.error());
    auto kind = string_field(ctx.body, "kind", true, 32);
    if (!kind) return ctx.fail(kind.error());
    const auto k = parse_request_kind(*kind);
    if (!k)
        return ctx.fail(
            400, "server.field_value",
            {"kind", *kind, "issue, renew, change_info, revoke, device_restore, device_handover"},
            "kind");
    auto org = string_field(ctx.body, "org_id", false, 200);
    if (!org) return ctx.fail(org.error());
    auto number = string_field(ctx.body, "number", false, 50);
    if (!number) return ctx.fail(number.error());
    auto symbol = string_field(ctx.body, "symbol", false, 100);
    if (!symbol) return ctx.fail(symbol.error());
    workflow::RequestDesk desk(*ctx.stores.registry, *ctx.stores.workflow);
    auto ids = desk.create_batches(ctx.user(), *org, *k, *number, *symbol);
    if (!ids)
        return ctx.fail(
            ids.error(), 0,
            ids.error().code == "batch.number_taken" || ids.error().code == "batch.number_several"
                ? "number"
                : "org_id");
    json items = json::array();
    for (const auto id : *ids) {
        auto b = ctx.stores.workflow->batch(id);
        if (b && *b) items.push_back(batch_json(**b));
    }
    return Response::json({{"items", items}}, 201);
}

Response submit(Context& ctx) {
    Response refusal;
    auto b = visible_batch(ctx, refusal);
    if (!b) return refusal;
    workflow::RequestDesk desk(*ctx.stores.registry, *ctx.stores.workflow);
    auto sent = desk.submit_batch(ctx.user(), b->id);
    if (!sent) return ctx.fail(sent.error());
    return Response::json({{"batches", *sent}});
}

Response combine(Context& ctx) {
    if (auto ok = only_fields(ctx.body, {"form", "issuer_org", "number", "symbol"}); !ok)
        return ctx.fail(ok.error());
    auto form = string_field(ctx.body, "form", true, 64);
    if (!form) return ctx.fail(form.error());
    auto issuer = string_field(ctx.body, "issuer_org", true, 200);
    if (!issuer) return ctx.fail(issuer.error());
    auto number = string_field(ctx.body, "number", false, 50);
    if (!number) return ctx.fail(number.error());
    auto symbol = string_field(ctx.body, "symbol", false, 100);
    if (!symbol) return ctx.fail(symbol.error());
    workflow::RequestDesk desk(*ctx.stores.registry, *ctx.stores.workflow);
    auto id = desk.combine_batches(ctx.user(), *form, *issuer, *number, *symbol);
    if (!id)
        return ctx.fail(id.error(), 0,
                        id.error().code.rfind("access.party", 0) == 0 ? "issuer_org" : "");
    auto b = ctx.stores.workflow->batch(*id);
    if (!b || !*b) return ctx.fail(500, "server.internal", {ctx.request_id});
    return Response::json(batch_json(**b), 201);
}

// A private folder under the system's temporary folder, removed with this object.
class TempDir {
public:
    TempDir() {
        std::random_device rd;
        path_ = fs::temp_directory_path() /
                ("kyso-render-" + std::to_string(rd()) + std::to_string(rd()));
        fs::create_directory(path_);
        fs::permissions(path_, fs::perms::owner_all, fs::perm_options::replace);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

Response document(Context& ctx) {
    Response refusal;
    auto b = visible_batch(ctx, refusal);
    if (!b) return refusal;
    const std::string format = ctx.query_value("format").value_or("pdf");
    if (format != "pdf" && format != "docx" && format != "xlsx")
        return ctx.fail(400, "server.query_value", {"format", format, "pdf, docx, xlsx"}, "format");
    workflow::RenderOptions o;
    o.templates_dir = ctx.templates_dir;
    if (auto d = ctx.query_value("date")) {
        auto parsed = Date::parse(*d);
        if (!parsed) return ctx.fail(400, "check.date_format", {*d}, "date");
        o.date = *parsed;
    }
    o.place = ctx.query_value("place").value_or("");
    o.signer = ctx.query_value("signer").value_or("");
    o.signer_title = ctx.query_value("signer_title").value_or("");
    o.signer_authority = ctx.query_value("signer_authority").value_or("");
    o.receiver_id = ctx.query_value("receiver").value_or("");
    o.receiver_address = ctx.query_value("receiver_address").value_or("");
    // Values the register lacks, as `batch render --value KEY=VALUE` gives them.
    for (const std::string& kv : ctx.query_values("value")) {
        const auto eq = kv.find('=');
        if (eq == std::string::npos || eq == 0)
            return ctx.fail(400, "cli.value_syntax", {kv}, "value");
        o.values[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    workflow::RequestDesk desk(*ctx.stores.registry, *ctx.stores.workflow);
    if (auto ok = desk.may_render(ctx.user(), b->id, o.receiver_id); !ok)
        return ctx.fail(ok.error(), 0,
                        ok.error().code == "batch.unknown_receiver" ? "receiver" : "");
    TempDir tmp;
    const fs::path out = tmp.path() / "out";
    auto r =
        workflow::render_batch(*ctx.stores.registry, *ctx.stores.workflow, b->id, out.string(), o);
    if (!r) return ctx.fail(jobs::without_path(r.error(), tmp.path().string()));
    const std::string& file = format == "pdf"    ? r->letter_pdf
                              : format == "docx" ? r->letter_docx
                                                 : r->list_xlsx;
    std::ifstream in(file, std::ios::binary);
    if (!in) return ctx.fail(500, "server.internal", {ctx.request_id});
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (auto st = ctx.stores.workflow->append_audit(
            ctx.user().username, "batch.render", "batch:" + std::to_string(b->id),
            json{{"rows", r->rows}, {"format", format}}.dump());
        !st)
        return ctx.fail(st.error());
    Response res;
    res.bytes = bytes.str();
    res.content_type =
        format == "pdf" ? "application/pdf"
        : format == "docx"
            ? "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    res.headers["Content-Disposition"] = "attachment; filename=\"batch-" + std::to_string(b->id) +
                                         (format == "xlsx" ? "-list." : "-letter.") + format + "\"";
    return res;
}

}  // namespace

void add_batches_routes(RouteTable& t) {
    const json id_schema = {{"type", "integer"}, {"minimum", 1}};
    const std::vector<Role> readers = {Role::unit_officer, Role::unit_head, Role::dost_operator,
                                       Role::ca_operator, Role::auditor};
    Route l;
    l.method = Method::get;
    l.path = "/api/v1/batches";
    l.roles = readers;
    l.tag = "batches";
    l.summary = "Batches of organizations in the user's subtree, by page";
    l.params = list_query_params(kSortKeys);
    l.params.push_back(Param{"level", "query", enum_schema({"organization", "province"}), false,
                             "organization batches or provincial ones"});
    l.params.push_back(Param{"org", "query", str_schema(), false, "issuing organization id"});
    l.response_schema = page_schema(batch_schema());
    l.handler = list;
    t.add(l);

    Route g;
    g.method = Method::get;
    g.path = "/api/v1/batches/{id}";
    g.roles = readers;
    g.tag = "batches";
    g.summary = "One batch with the ids of its requests";
    g.params = {Param{"id", "path", id_schema, true, "batch id"}};
    g.response_schema = batch_schema();
    g.handler = get_one;
    t.add(g);

    Route c;
    c.method = Method::post;
    c.path = "/api/v1/batches";
    c.roles = {Role::unit_officer, Role::unit_head};
    c.changes_state = true;
    c.tag = "batches";
    c.summary = "Batches of the approved requests of one kind (one per organization and form)";
    c.request_schema =
        object_schema({{"org_id", str_schema()},
                       {"kind", enum_schema({"issue", "renew", "change_info", "revoke",
                                             "device_restore", "device_handover"})},
                       {"number", str_schema()},
                       {"symbol", str_schema()}},
                      {"kind"});
    c.response_schema =
        object_schema({{"items", {{"type", "array"}, {"items", batch_schema()}}}}, {"items"});
    c.success_status = 201;
    c.example_body = {{"kind", "renew"}};
    c.handler = create;
    t.add(c);

    Route s;
    s.method = Method::post;
    s.path = "/api/v1/batches/{id}/submit";
    s.roles = {Role::unit_officer, Role::unit_head};
    s.changes_state = true;
    s.tag = "batches";
    s.summary = "Send the batch to the DoST (its approved requests become submitted)";
    s.params = {Param{"id", "path", id_schema, true, "batch id"}};
    s.response_schema =
        object_schema({{"batches", {{"type", "array"}, {"items", int_schema()}}}}, {"batches"});
    s.handler = submit;
    t.add(s);

    Route co;
    co.method = Method::post;
    co.path = "/api/v1/batches/combine";
    co.roles = {Role::dost_operator};
    co.changes_state = true;
    co.tag = "batches";
    co.summary = "Combine the submitted batches of one form into the provincial batch";
    co.request_schema = object_schema({{"form", str_schema()},
                                       {"issuer_org", str_schema()},
                                       {"number", str_schema()},
                                       {"symbol", str_schema()}},
                                      {"form", "issuer_org"});
    co.response_schema = batch_schema();
    co.success_status = 201;
    co.example_body = {{"form", "mau-05"}, {"issuer_org", "x"}};
    co.handler = combine;
    t.add(co);

    Route d;
    d.method = Method::get;
    d.path = "/api/v1/batches/{id}/document";
    d.roles = readers;
    d.tag = "batches";
    d.summary = "The batch's letter (PDF or DOCX) or list (XLSX), rendered now";
    d.params = {
        Param{"id", "path", id_schema, true, "batch id"},
        Param{"format", "query", enum_schema({"pdf", "docx", "xlsx"}), false, "default pdf"},
        Param{
            "date", "query", {{"type", "string"}, {"format", "date"}}, false, "the letter's date"},
        Param{"place", "query", str_schema(), false, "địa danh"},
        Param{"signer", "query", str_schema(), false, "người ký"},
        Param{"signer_title", "query", str_schema(), false, "chức vụ"},
        Param{"signer_authority", "query", str_schema(), false, "thẩm quyền"},
        Param{"receiver", "query", str_schema(), false, "person receiving devices"},
        Param{"receiver_address", "query", str_schema(), false, "địa chỉ tiếp nhận"},
        Param{"value",
              "query",
              {{"type", "array"}, {"items", str_schema()}},
              false,
              "KEY=VALUE, repeatable: a value the register lacks (as batch render --value), e.g. "
              "value=nhan_dia_chi%3D12%20L%C3%AA... (the = encoded; docs/api.md, Documents)"}};
    d.response_media =
        "application/pdf,application/"
        "vnd.openxmlformats-officedocument.wordprocessingml.document,application/"
        "vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    d.handler = document;
    t.add(d);
}

}  // namespace kyso::server
