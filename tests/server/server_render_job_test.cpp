// POST /api/v1/batches/{id}/render: a batch's documents rendered as a background job (the same
// render_batch as GET …/document and `kyso batch render`), with its progress, cancel, result
// (the three files, base64) and an error that never shows the job's temporary folder.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include "jobs/batch_render_job.h"
#include "jobs/job_runner.h"
#include "server_harness.h"
#include "store/job_store.h"

namespace kyso::server::test {

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::string from_base64(const std::string& text) {
    std::string out(text.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    std::size_t pad = 0;
    if (!text.empty() && text.back() == '=') ++pad;
    if (text.size() > 1 && text[text.size() - 2] == '=') ++pad;
    out.resize(n < 0 ? 0 : static_cast<std::size_t>(n) - pad);
    return out;
}

std::string sha256_hex(const std::string& bytes) {
    unsigned char d[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), d);
    std::string out;
    char buf[3];
    for (unsigned char c : d) {
        std::snprintf(buf, sizeof buf, "%02x", c);
        out += buf;
    }
    return out;
}

class RenderJob : public ::testing::Test {
protected:
    void SetUp() override { fx_ = std::make_unique<ServerFixture>(); }
    void TearDown() override { ::unsetenv("KYSO_JOB_PAUSE_MS"); }
    std::unique_ptr<ServerFixture> fx_;

    // A batch of one approved renewal of the fixture's certificate; its id.
    std::int64_t make_batch(const Caller& officer) {
        const Caller head = fx_->sign_in("head");
        Reply r = fx_->call("POST", "/api/v1/requests", &officer,
                            json{{"kind", "renew"}, {"certificate", fx_->serial()}});
        EXPECT_EQ(r.status, 201) << r.raw;
        const std::int64_t id = r.body.value("id", std::int64_t{0});
        fx_->call("POST", "/api/v1/requests/validate", &officer, json{{"ids", {id}}});
        EXPECT_EQ(
            fx_->call("POST", "/api/v1/requests/bulk/approve", &head, json{{"ids", {id}}}).status,
            200);
        Reply made = fx_->call("POST", "/api/v1/batches", &officer, json{{"kind", "renew"}});
        EXPECT_EQ(made.status, 201) << made.raw;
        return made.body["items"][0]["id"].get<std::int64_t>();
    }

    json wait_job(const Caller& who, std::int64_t id) {
        for (int i = 0; i < 3000; ++i) {
            Reply r = fx_->call("GET", "/api/v1/jobs/" + std::to_string(id), &who);
            if (r.status != 200) return r.body;
            const std::string state = r.body["state"];
            if (state != "queued" && state != "running") return r.body;
            std::this_thread::sleep_for(20ms);
        }
        ADD_FAILURE() << "job " << id << " never ended";
        return {};
    }

    int audit_count(const std::string& action) {
        auto wf = fx_->workflow();
        auto entries = wf->audit_entries();
        int n = 0;
        if (entries)
            for (const auto& e : *entries) n += e.action == action ? 1 : 0;
        return n;
    }
};

TEST_F(RenderJob, RendersTheThreeDocumentsWithProgressAndTheFilesInItsResult) {
    const Caller officer = fx_->sign_in("officer");
    const std::int64_t batch = make_batch(officer);
    const std::string path = "/api/v1/batches/" + std::to_string(batch) + "/render";
    json body = {{"signer", "Trần Văn Ký"}, {"signer_title", "Giám đốc"}, {"date", "2026-07-05"}};
    Reply queued = fx_->call("POST", path, &officer, body);
    ASSERT_EQ(queued.status, 202) << queued.raw;
    EXPECT_EQ(queued.body["kind"], "batch.render");
    EXPECT_EQ(queued.header("Location"), "/api/v1/jobs/" + queued.body["id"].dump());
    json done = wait_job(officer, queued.body["id"].get<std::int64_t>());
    if (done["state"] == "failed") {
        // The letter names the values the register lacks ({{key}}); its error shows no folder.
        ASSERT_EQ(done["error"]["code"], "letter.missing_values") << done.dump();
        const std::string msg = done["error"]["message"];
        EXPECT_EQ(msg.find("kyso-"), std::string::npos) << msg;
        EXPECT_EQ(msg.find("/tmp"), std::string::npos) << msg;
        std::size_t at = 0;
        while ((at = msg.find("{{", at)) != std::string::npos) {
            const std::size_t end = msg.find("}}", at);
            body["values"][msg.substr(at + 2, end - at - 2)] = "x";
            at = end;
        }
        queued = fx_->call("POST", path, &officer, body);
        ASSERT_EQ(queued.status, 202) << queued.raw;
        done = wait_job(officer, queued.body["id"].get<std::int64_t>());
    }
    ASSERT_EQ(done["state"], "succeeded") << done.dump();
    EXPECT_EQ(done["done"], done["total"]);
    EXPECT_GT(done["total"].get<int>(), 1);
    const std::string job = "/api/v1/jobs/" + done["id"].dump();
    Reply result = fx_->call("GET", job + "/result", &officer);
    ASSERT_EQ(result.status, 200) << result.raw;
    EXPECT_EQ(result.body["batch_id"], batch);
    EXPECT_EQ(result.body["rows"], 1);
    ASSERT_EQ(result.body["files"].size(), 3u);
    const std::string stem = "batch-" + std::to_string(batch);
    std::vector<std::string> names;
    for (const json& f : result.body["files"]) {
        names.push_back(f["name"]);
        const std::string bytes = from_base64(f["content_base64"]);
        EXPECT_EQ(bytes.size(), f["size"].get<std::size_t>()) << f["name"];
        EXPECT_EQ(sha256_hex(bytes), f["sha256"]) << f["name"];
        if (f["name"] == stem + "-letter.pdf") {
            EXPECT_EQ(bytes.substr(0, 5), "%PDF-");
        } else {
            EXPECT_EQ(bytes.substr(0, 2), "PK") << f["name"];  // DOCX and XLSX are ZIP
        }
    }
    EXPECT_EQ(names, (std::vector<std::string>{stem + "-letter.pdf", stem + "-letter.docx",
                                               stem + "-list.xlsx"}));
    // One audit entry per rendering job that succeeded, naming the job.
    EXPECT_EQ(audit_count("batch.render"), 1);

    // Another user's job is not theirs to read: answered as a job that does not exist.
    const Caller head = fx_->sign_in("head");
    EXPECT_EQ(fx_->call("GET", job + "/result", &head).status, 404);
}

TEST_F(RenderJob, ACancelledRenderingWritesNothing) {
    const Caller officer = fx_->sign_in("officer");
    const std::int64_t batch = make_batch(officer);
    ::setenv("KYSO_JOB_PAUSE_MS", "20000", 1);  // holds the job once its progress is above 0
    Reply queued = fx_->call("POST", "/api/v1/batches/" + std::to_string(batch) + "/render",
                             &officer, json::object());
    ASSERT_EQ(queued.status, 202) << queued.raw;
    const std::string job = "/api/v1/jobs/" + queued.body["id"].dump();
    json seen;
    // The first document can take seconds under the sanitizers on a loaded machine.
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    while (std::chrono::steady_clock::now() < deadline) {
        seen = fx_->call("GET", job, &officer).body;
        if (seen["done"].get<int>() > 0) break;
        std::this_thread::sleep_for(20ms);
    }
    ASSERT_EQ(seen["state"], "running") << seen.dump();
    ASSERT_GT(seen["done"].get<int>(), 0);
    // Only its owner (or an administrator) stops it; to others it does not exist.
    const Caller head = fx_->sign_in("head");
    EXPECT_EQ(fx_->call("POST", job + "/cancel", &head, json::object()).status, 404);
    Reply cancel = fx_->call("POST", job + "/cancel", &officer, json::object());
    ASSERT_EQ(cancel.status, 200) << cancel.raw;
    const json done = wait_job(officer, queued.body["id"].get<std::int64_t>());
    EXPECT_EQ(done["state"], "cancelled") << done.dump();
    EXPECT_EQ(fx_->call("GET", job + "/result", &officer).status, 409);
    EXPECT_EQ(audit_count("batch.render"), 0);
}

// A render job killed after its work but before it was marked succeeded must leave no
// batch.render entry (it is marked failed at restart): the handler only names the entry, and
// JobStore::finish writes it in the transaction that marks the job succeeded.
TEST_F(RenderJob, ItsAuditEntryIsWrittenOnlyWithTheJobsSuccess) {
    const Caller officer = fx_->sign_in("officer");
    const std::int64_t batch = make_batch(officer);
    auto jobs = store::open_job_store(fx_->db());
    ASSERT_TRUE(jobs) << jobs.error().message;
    // A kind the server's runner does not take: this test runs the handler itself.
    const std::string kind = "test.render.direct";
    json params = {{"batch_id", batch}, {"signer", "Trần Văn Ký"}, {"signer_title", "Giám đốc"}};
    const std::atomic<bool> stopping{false};
    const jobs::JobHandler handler =
        jobs::batch_render_handler(KYSO_SOURCE_DIR "/templates/letters");
    for (int attempt = 0; attempt < 2; ++attempt) {
        store::Job j;
        j.kind = kind;
        j.actor = "officer";
        j.params = params.dump();
        auto id = (*jobs)->create(j, {});
        ASSERT_TRUE(id) << id.error().message;
        auto claimed = (*jobs)->claim("test-owner", {kind});
        ASSERT_TRUE(claimed && *claimed);
        jobs::JobContext ctx(**jobs, **claimed, fx_->db(), stopping);
        auto out = handler(ctx);
        if (!out && out.error().code == "letter.missing_values" && attempt == 0) {
            // The values the register lacks ({{key}} in the message), given as the API would.
            const std::string msg = out.error().message;
            for (std::size_t at = msg.find("{{"); at != std::string::npos;
                 at = msg.find("{{", at + 2))
                params["values"][msg.substr(at + 2, msg.find("}}", at) - at - 2)] = "x";
            ASSERT_TRUE((*jobs)->finish(*id, "test-owner", store::JobState::failed, "", "{}"));
            continue;
        }
        ASSERT_TRUE(out) << out.error().message;
        // The documents are made, the job not yet marked: no entry.
        EXPECT_EQ(audit_count("batch.render"), 0);
        ASSERT_TRUE(ctx.success_audit().has_value());
        ASSERT_TRUE((*jobs)->finish(*id, "test-owner", store::JobState::succeeded, *out, "",
                                    ctx.success_audit()));
        EXPECT_EQ(audit_count("batch.render"), 1);
        auto entries = fx_->workflow()->audit_entries();
        ASSERT_TRUE(entries);
        EXPECT_EQ(entries->back().action, "batch.render");
        EXPECT_EQ(entries->back().actor, "officer");
        EXPECT_EQ(entries->back().object, "batch:" + std::to_string(batch));
        return;
    }
    FAIL() << "the render never succeeded";
}

TEST_F(RenderJob, ItsInputErrorsNameTheFieldAndOtherSubtreesAreRefused) {
    const Caller officer = fx_->sign_in("officer");
    const std::int64_t batch = make_batch(officer);
    const std::string path = "/api/v1/batches/" + std::to_string(batch) + "/render";
    Reply date = fx_->call("POST", path, &officer, json{{"date", "2026-13-45"}});
    EXPECT_EQ(date.status, 400);
    EXPECT_EQ(date.field(), "date");
    EXPECT_NE(date.body["error"]["message"].get<std::string>().find("date"), std::string::npos);
    Reply values = fx_->call("POST", path, &officer, json{{"values", "x"}});
    EXPECT_EQ(values.status, 400);
    EXPECT_EQ(values.field(), "values");
    Reply value = fx_->call("POST", path, &officer, json{{"values", {{"k", 1}}}});
    EXPECT_EQ(value.status, 400);
    EXPECT_EQ(value.field(), "values");
    Reply unknown = fx_->call("POST", path, &officer, json{{"formatt", "pdf"}});
    EXPECT_EQ(unknown.status, 400);
    EXPECT_EQ(unknown.code(), "server.field_unknown");
    Reply signer = fx_->call("POST", path, &officer, json{{"signer", 5}});
    EXPECT_EQ(signer.status, 400);
    EXPECT_EQ(signer.field(), "signer");
    Reply none = fx_->call("POST", "/api/v1/batches/999999/render", &officer, json::object());
    EXPECT_EQ(none.status, 404);
    const Caller outsider = fx_->sign_in("outsider");
    const Caller auditor = fx_->sign_in("auditor");
    const std::string before = fx_->snapshot();
    // Another subtree's batch reads as unknown (no probing of ids); the auditor's role is refused.
    EXPECT_EQ(fx_->call("POST", path, &outsider, json::object()).status, 404);
    EXPECT_EQ(fx_->call("POST", path, &auditor, json::object()).status, 403);
    EXPECT_EQ(fx_->call("GET", "/api/v1/jobs", &outsider).body["total"], 0);
    EXPECT_EQ(fx_->snapshot(), before);
}

TEST_F(RenderJob, NoFailedJobShowsItsTemporaryFolder) {
    const Caller admin = fx_->sign_in("admin");
    const std::string tmp = std::filesystem::temp_directory_path().string();
    // A bundle that fails while read from the job's folder (a file missing).
    const std::vector<json> uploads = {
        json::array({{{"name", "people.csv"}, {"content_base64", "aWQK"}}})};
    for (const json& files : uploads) {
        Reply queued = fx_->call("POST", "/api/v1/imports", &admin,
                                 json{{"kind", "bundle"}, {"files", files}});
        ASSERT_EQ(queued.status, 202) << queued.raw;
        const json done = wait_job(admin, queued.body["id"].get<std::int64_t>());
        ASSERT_EQ(done["state"], "failed") << done.dump();
        for (const char* lang : {"message", "message_en"}) {
            const std::string msg = done["error"][lang];
            EXPECT_EQ(msg.find(tmp + "/kyso"), std::string::npos) << msg;
        }
        EXPECT_NE(done["error"]["message_en"].get<std::string>().find("the uploaded files"),
                  std::string::npos)
            << done.dump();
    }
}

TEST(RenderJobError, HidesTheTemporaryFolder) {
    const std::string dir = "/tmp/kyso-check-123";
    Error e;
    e.code = "x";
    e.message = "không ghi được " + dir + "/out/letter.pdf";
    e.message_en = "cannot write " + dir + "/.stage/list.xlsx";
    e.where.file = dir;
    const Error clean = jobs::without_path(e, dir);
    EXPECT_EQ(clean.message, "không ghi được letter.pdf");
    EXPECT_EQ(clean.message_en, "cannot write .stage/list.xlsx");
    EXPECT_EQ(clean.where.file, "");
}

}  // namespace

}  // namespace kyso::server::test
