// kyso jobs — the batch render job kind (batch_render_job.h).
#include "jobs/batch_render_job.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <thread>
#include <tuple>

#include "checks/check.h"
#include "core/date.h"
#include "core/messages.h"
#include "store/store.h"
#include "store/workflow_store.h"
#include "workflow/batch_render.h"
#include "x509/fingerprint.h"

namespace kyso::jobs {

namespace {

using Json = nlohmann::ordered_json;

std::string sha256_hex(const std::string& bytes) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char c : digest) {
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 15]);
    }
    return out;
}

std::string text(const nlohmann::json& params, const char* name) {
    if (!params.contains(name) || !params[name].is_string()) return {};
    return params[name].get<std::string>();
}

// The options of workflow::render_batch from the job's params; bundle.bad_date for a bad date.
Result<workflow::RenderOptions> options_of(const nlohmann::json& params,
                                           const std::string& templates_dir) {
    workflow::RenderOptions o;
    o.templates_dir = templates_dir;
    if (const std::string d = text(params, "date"); !d.empty()) {
        auto parsed = Date::parse(d);
        if (!parsed) return make_error("bundle.bad_date", Location{{}, 0, "date", {}}, {d});
        o.date = *parsed;
    }
    o.place = text(params, "place");
    o.signer = text(params, "signer");
    o.signer_title = text(params, "signer_title");
    o.signer_authority = text(params, "signer_authority");
    o.receiver_id = text(params, "receiver");
    o.receiver_address = text(params, "receiver_address");
    if (params.contains("values") && params["values"].is_object())
        for (const auto& [k, v] : params["values"].items())
            if (v.is_string()) o.values[k] = v.get<std::string>();
    return o;
}

// KYSO_JOB_PAUSE_MS: waits that long (tests only) at progress done/total, reporting it every
// 200 ms so that a cancel is seen; false once asked to stop.
bool test_pause(JobContext& ctx, std::int64_t done, std::int64_t total) {
    const char* env = std::getenv("KYSO_JOB_PAUSE_MS");
    const long ms = env != nullptr ? std::strtol(env, nullptr, 10) : 0;
    for (long waited = 0; waited < ms; waited += 200) {
        if (!ctx.progress(done, total)) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    return !ctx.stop_requested();
}

Result<std::string> render(JobContext& ctx, const std::string& templates_dir,
                           const std::string& dir) {
    constexpr std::int64_t kSteps = 4;
    ctx.progress(0, kSteps);
    const auto params = nlohmann::json::parse(ctx.job().params, nullptr, false);
    if (!params.is_object() || !params.contains("batch_id") ||
        !params["batch_id"].is_number_integer())
        return make_error("server.field_missing", Location{{}, 0, "batch_id", {}}, {"batch_id"});
    const auto batch_id = params["batch_id"].get<std::int64_t>();
    auto options = options_of(params, templates_dir);
    if (!options) return options.error();
    auto registry = store::open_store(ctx.location());
    if (!registry) return registry.error();
    auto workflow = store::open_workflow_store(ctx.location());
    if (!workflow) return workflow.error();
    if (!ctx.progress(1, kSteps) || !test_pause(ctx, 1, kSteps)) return ctx.job_stopped();

    const std::string out_dir = dir + "/out";
    auto r = workflow::render_batch(**registry, **workflow, batch_id, out_dir, *options);
    if (!r) return r.error();
    if (!ctx.progress(2, kSteps)) return ctx.job_stopped();

    const std::string stem = "batch-" + std::to_string(batch_id);
    Json files = Json::array();
    for (const auto& [path, name, type] :
         {std::tuple{r->letter_pdf, stem + "-letter.pdf", "application/pdf"},
          std::tuple{r->letter_docx, stem + "-letter.docx",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
          std::tuple{r->list_xlsx, stem + "-list.xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}}) {
        std::ifstream in(path, std::ios::binary);
        if (!in) return make_error("job.file_write", Location{}, {name});
        const std::string bytes((std::istreambuf_iterator<char>(in)), {});
        files.push_back(Json{{"name", name},
                             {"content_type", type},
                             {"size", bytes.size()},
                             {"sha256", sha256_hex(bytes)},
                             {"content_base64", x509::base64(bytes)}});
    }
    // The last moment to stop: after it, the result and its audit entry, written together when
    // the job is marked succeeded (one transaction, JobStore::finish).
    if (!ctx.progress(3, kSteps)) return ctx.job_stopped();
    ctx.audit_on_success(store::JobAudit{"batch.render", "batch:" + std::to_string(batch_id),
                                         Json{{"rows", r->rows}, {"job", ctx.job().id}}.dump()});
    ctx.progress(kSteps, kSteps);
    return Json{{"batch_id", batch_id}, {"rows", r->rows}, {"files", files}}.dump();
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    if (from.empty()) return;
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
}

}  // namespace

Error without_path(Error e, const std::string& dir) {
    for (std::string* s : {&e.message, &e.message_en, &e.where.file}) {
        // Deepest first: "<dir>/out/x" → "x", "<dir>/x" → "x", "<dir>" → "".
        replace_all(*s, dir + "/out/", "");
        replace_all(*s, dir + "/", "");
        replace_all(*s, dir, "");
    }
    return e;
}

JobHandler batch_render_handler(std::string templates_dir) {
    return [templates_dir = std::move(templates_dir)](JobContext& ctx) -> Result<std::string> {
        checks::TempDir temp;
        if (temp.path().empty()) return make_error("job.temp_dir", Location{}, {});
        auto out = render(ctx, templates_dir, temp.path());
        if (!out) return without_path(out.error(), temp.path());
        return out;
    };
}

}  // namespace kyso::jobs
