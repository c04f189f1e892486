// Background jobs and scope as a new user of `kyso serve` met them: cancel stops a running import
// (nothing written), a finished job is not cancelled (409), a certificate-files import that read
// no file fails, a CA results file is all or nothing, /metrics counts the jobs, and ids outside
// the caller's reach (another user's job, another subtree's request, certificate, organization
// or device) are answered exactly like ids that do not exist.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "server_harness.h"
#include "x509/fingerprint.h"

namespace kyso::server::test {

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

using x509::base64;

class Jobs : public ::testing::Test {
protected:
    void SetUp() override { fx_ = std::make_unique<ServerFixture>(); }
    void TearDown() override { ::unsetenv("KYSO_JOB_PAUSE_MS"); }

    // The job's JSON once it left queued/running.
    json wait_job(const Caller& who, std::int64_t id) {
        const std::string path = "/api/v1/jobs/" + std::to_string(id);
        const auto deadline = std::chrono::steady_clock::now() + 120s;
        while (std::chrono::steady_clock::now() < deadline) {
            Reply r = fx_->call("GET", path, &who);
            if (r.status != 200) return r.body;
            const std::string state = r.body["state"];
            if (state != "queued" && state != "running") return r.body;
            std::this_thread::sleep_for(20ms);
        }
        ADD_FAILURE() << path << " never ended";
        return {};
    }

    std::int64_t queued_id(const Reply& r) {
        EXPECT_EQ(r.status, 202) << r.raw;
        return r.body.value("id", std::int64_t{0});
    }

    int audit_count(const std::string& action) {
        auto entries = fx_->workflow()->audit_entries();
        int n = 0;
        if (entries)
            for (const auto& e : *entries) n += e.action == action ? 1 : 0;
        return n;
    }

    // A forwarded renewal of the fixture's certificate; its id.
    std::int64_t forwarded_request() {
        const Caller officer = fx_->sign_in("officer");
        const Caller head = fx_->sign_in("head");
        const Caller dost = fx_->sign_in("dost");
        Reply r = fx_->call("POST", "/api/v1/requests", &officer,
                            json{{"kind", "renew"}, {"certificate", fx_->serial()}});
        EXPECT_EQ(r.status, 201) << r.raw;
        const std::int64_t id = r.body.value("id", std::int64_t{0});
        const std::string path = "/api/v1/requests/" + std::to_string(id);
        EXPECT_EQ(
            fx_->call("POST", "/api/v1/requests/validate", &officer, json{{"ids", {id}}}).status,
            200);
        EXPECT_EQ(fx_->call("POST", path + "/approve", &head, json::object()).status, 200);
        EXPECT_EQ(
            fx_->call("POST", "/api/v1/requests/bulk/submit", &officer, json{{"ids", {id}}}).status,
            200);
        Reply fwd = fx_->call("POST", path + "/forward", &dost, json::object());
        EXPECT_EQ(fwd.status, 200) << fwd.raw;
        return id;
    }

    std::string request_state(std::int64_t id) {
        auto r = fx_->workflow()->request(id);
        return r && *r ? std::string(to_string((*r)->state)) : std::string("?");
    }

    std::unique_ptr<ServerFixture> fx_;
};

TEST_F(Jobs, CancellingAFinishedJobIs409NamingItsState) {
    const Caller admin = fx_->sign_in("admin");
    const std::int64_t id = queued_id(fx_->call("POST", "/api/v1/check", &admin, json::object()));
    const json done = wait_job(admin, id);
    ASSERT_EQ(done["state"], "succeeded") << done.dump();
    Reply cancel =
        fx_->call("POST", "/api/v1/jobs/" + std::to_string(id) + "/cancel", &admin, json::object());
    EXPECT_EQ(cancel.status, 409) << cancel.raw;
    EXPECT_EQ(cancel.code(), "job.finished");
    const std::string msg = cancel.body["error"]["message"];
    EXPECT_NE(msg.find("succeeded"), std::string::npos) << msg;
    EXPECT_NE(msg.find(std::to_string(id)), std::string::npos) << msg;
    // It stays as it ended, with its result.
    EXPECT_EQ(wait_job(admin, id)["state"], "succeeded");
    EXPECT_EQ(fx_->call("GET", "/api/v1/jobs/" + std::to_string(id) + "/result", &admin).status,
              200);
}

TEST_F(Jobs, AnotherUsersJobIsAnsweredLikeAJobThatDoesNotExist) {
    const Caller dost = fx_->sign_in("dost");
    const Caller officer = fx_->sign_in("officer");
    // A job of the DoST operator (an import that fails at once).
    const json bad =
        json::array({{{"name", "people.csv"}, {"content_base64", base64("no,bundle\n")}}});
    const std::int64_t id = queued_id(
        fx_->call("POST", "/api/v1/imports", &dost, json{{"kind", "bundle"}, {"files", bad}}));
    wait_job(dost, id);
    const std::string theirs = "/api/v1/jobs/" + std::to_string(id);
    const std::string none = "/api/v1/jobs/987654";
    for (const char* tail : {"", "/result"}) {
        Reply a = fx_->call("GET", theirs + tail, &officer);
        Reply b = fx_->call("GET", none + tail, &officer);
        EXPECT_EQ(a.status, 404) << tail << " " << a.raw;
        EXPECT_EQ(a.status, b.status) << tail;
        EXPECT_EQ(a.code(), b.code()) << tail;
        EXPECT_EQ(a.field(), b.field()) << tail;
    }
    Reply a = fx_->call("POST", theirs + "/cancel", &officer, json::object());
    Reply b = fx_->call("POST", none + "/cancel", &officer, json::object());
    EXPECT_EQ(a.status, 404) << a.raw;
    EXPECT_EQ(a.code(), b.code());
    // The administrator sees every job.
    const Caller admin = fx_->sign_in("admin");
    EXPECT_EQ(fx_->call("GET", theirs, &admin).status, 200);
}

TEST_F(Jobs, CancelStopsARunningImportAndNothingIsWritten) {
    const Caller admin = fx_->sign_in("admin");
    // Enough people for several chunks of rows; the job waits at its first check.
    std::string people = "id,full_name,cccd,date_of_birth,email,phone,org_id,position\n";
    for (int i = 0; i < 1200; ++i) {
        char cccd[16];
        std::snprintf(cccd, sizeof cccd, "0012%08d", i);
        people += "qhuy" + std::to_string(i) + ",Lê Văn Hủy " + std::to_string(i) + "," + cccd +
                  ",1990-01-01,,,QHUY,Chuyên viên\n";
    }
    json files = json::array();
    for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
             {"organizations.csv",
              "id,name,superior_id,province,agency_code,kind\n"
              "QHUY,Trung tâm Thử Huỷ,,Tỉnh Sông Lam,,public_unit\n"},
             {"people.csv", people},
             {"devices.csv", "id,kind,serial,phone,holder_type,holder_id\n"},
             {"certificates.csv",
              "serial,holder_type,holder_id,device_id,subject,not_before,not_after,status,pem\n"}})
        files.push_back({{"name", name}, {"content_base64", base64(text)}});
    const int imports_before = audit_count("registry.import");
    ::setenv("KYSO_JOB_PAUSE_MS", "60000", 1);
    const std::int64_t id = queued_id(
        fx_->call("POST", "/api/v1/imports", &admin, json{{"kind", "bundle"}, {"files", files}}));
    const std::string job = "/api/v1/jobs/" + std::to_string(id);
    // Its progress reaches the write (900 of 1000), where it is held inside the transaction.
    json seen;
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    while (std::chrono::steady_clock::now() < deadline) {
        seen = fx_->call("GET", job, &admin).body;
        if (seen["state"] != "queued" && seen["state"] != "running") break;
        if (seen.value("done", 0) >= 900) break;
        std::this_thread::sleep_for(20ms);
    }
    ASSERT_EQ(seen["state"], "running") << seen.dump();
    std::this_thread::sleep_for(300ms);  // into the rows
    Reply cancel = fx_->call("POST", job + "/cancel", &admin, json::object());
    ASSERT_EQ(cancel.status, 200) << cancel.raw;
    const json done = wait_job(admin, id);
    EXPECT_EQ(done["state"], "cancelled") << done.dump();
    EXPECT_EQ(done["error"]["code"], "job.stopped") << done.dump();
    EXPECT_EQ(fx_->call("GET", "/api/v1/organizations/QHUY", &admin).status, 404);
    EXPECT_EQ(fx_->call("GET", "/api/v1/people/qhuy7", &admin).status, 404);
    EXPECT_EQ(audit_count("registry.import"), imports_before);

    // Run again without a cancel: all of it.
    ::unsetenv("KYSO_JOB_PAUSE_MS");
    const json again =
        wait_job(admin, queued_id(fx_->call("POST", "/api/v1/imports", &admin,
                                            json{{"kind", "bundle"}, {"files", files}})));
    EXPECT_EQ(again["state"], "succeeded") << again.dump();
    EXPECT_EQ(fx_->call("GET", "/api/v1/people/qhuy1199", &admin).status, 200);
}

TEST_F(Jobs, ACertificateFilesImportThatReadNoFileFailsNamingEachFile) {
    const Caller dost = fx_->sign_in("dost");
    const json files =
        json::array({{{"name", "hong-1.pem"}, {"content_base64", base64("không phải chứng thư")}},
                     {{"name", "hong-2.cer"}, {"content_base64", base64("rác")}}});
    const json done =
        wait_job(dost, queued_id(fx_->call("POST", "/api/v1/imports", &dost,
                                           json{{"kind", "certificates"}, {"files", files}})));
    EXPECT_EQ(done["state"], "failed") << done.dump();
    EXPECT_EQ(done["error"]["code"], "job.files_failed") << done.dump();
    for (const char* field : {"message", "message_en"}) {
        const std::string msg = done["error"][field];
        EXPECT_NE(msg.find("hong-1.pem"), std::string::npos) << msg;
        EXPECT_NE(msg.find("hong-2.cer"), std::string::npos) << msg;
        EXPECT_EQ(msg.find("/tmp"), std::string::npos) << msg;
    }
}

TEST_F(Jobs, ACaResultsFileIsAllOrNothingAndSafeToRunAgain) {
    const std::int64_t id = forwarded_request();
    ASSERT_EQ(request_state(id), "forwarded");
    const Caller ca = fx_->sign_in("ca");
    auto results = [&](const std::string& csv) {
        return wait_job(
            ca, queued_id(fx_->call(
                    "POST", "/api/v1/results", &ca,
                    json{{"file", {{"name", "ket-qua.csv"}, {"content_base64", base64(csv)}}}})));
    };
    const std::string good = std::to_string(id) + ",Từ chối,Sai thông tin\n";
    // A good row and a bad one: the job fails naming the bad row, and the good one is not applied.
    json done = results("Mã yêu cầu,Kết quả,Lý do\n" + good + "999999,Hoàn thành,\n");
    EXPECT_EQ(done["state"], "failed") << done.dump();
    EXPECT_EQ(done["error"]["code"], "results.rows_refused") << done.dump();
    const std::string msg = done["error"]["message_en"];
    EXPECT_NE(msg.find("row 3"), std::string::npos) << msg;
    EXPECT_EQ(request_state(id), "forwarded");
    // The good row alone is applied; again, it is already done.
    done = results("Mã yêu cầu,Kết quả,Lý do\n" + good);
    ASSERT_EQ(done["state"], "succeeded") << done.dump();
    EXPECT_EQ(request_state(id), "rejected");
    Reply r = fx_->call("GET", "/api/v1/jobs/" + done["id"].dump() + "/result", &ca);
    EXPECT_EQ(r.body["rejected"], 1) << r.raw;
    done = results("Mã yêu cầu,Kết quả,Lý do\n" + good);
    ASSERT_EQ(done["state"], "succeeded") << done.dump();
    r = fx_->call("GET", "/api/v1/jobs/" + done["id"].dump() + "/result", &ca);
    EXPECT_EQ(r.body["rejected"], 0) << r.raw;
    EXPECT_EQ(r.body["already_done"], 1) << r.raw;
}

TEST_F(Jobs, MetricsCountTheFinishedJobsByKindAndStateAndTheRunningOnes) {
    const Caller admin = fx_->sign_in("admin");
    const Caller dost = fx_->sign_in("dost");
    EXPECT_EQ(wait_job(admin, queued_id(fx_->call("POST", "/api/v1/check", &admin,
                                                  json::object())))["state"],
              "succeeded");
    const json bad =
        json::array({{{"name", "people.csv"}, {"content_base64", base64("no,bundle\n")}}});
    EXPECT_EQ(
        wait_job(dost, queued_id(fx_->call("POST", "/api/v1/imports", &dost,
                                           json{{"kind", "bundle"}, {"files", bad}})))["state"],
        "failed");
    // The runner counts a job just after writing its end: the last count may lag a moment.
    Reply m;
    for (int i = 0; i < 250; ++i) {
        m = fx_->call("GET", "/metrics");
        if (m.raw.find("kyso_jobs_total{kind=\"import.bundle\",state=\"failed\"} 1\n") !=
            std::string::npos)
            break;
        std::this_thread::sleep_for(20ms);
    }
    ASSERT_EQ(m.status, 200);
    for (const char* line : {"# TYPE kyso_jobs_total counter\n", "# TYPE kyso_jobs_running gauge\n",
                             "kyso_jobs_total{kind=\"check\",state=\"succeeded\"} 1\n",
                             "kyso_jobs_total{kind=\"import.bundle\",state=\"failed\"} 1\n",
                             "kyso_jobs_total{kind=\"plan\",state=\"succeeded\"} 0\n",
                             "kyso_jobs_total{kind=\"import.bundle\",state=\"cancelled\"} 0\n",
                             "kyso_jobs_running{kind=\"check\"} 0\n"})
        EXPECT_NE(m.raw.find(line), std::string::npos) << line << m.raw;
}

TEST_F(Jobs, ValidatingAnotherSubtreesRequestIsAnsweredLikeAMissingOne) {
    const Caller officer = fx_->sign_in("officer");
    const Caller outsider = fx_->sign_in("outsider");
    auto same = [](const Reply& theirs, const Reply& missing, const std::string& what) {
        EXPECT_EQ(theirs.status, missing.status) << what << ": " << theirs.raw;
        EXPECT_EQ(theirs.code(), missing.code()) << what << ": " << theirs.raw;
        EXPECT_EQ(theirs.field(), missing.field()) << what;
        EXPECT_GE(theirs.status, 400) << what;
    };
    // Validate: a request of another subtree.
    Reply made = fx_->call("POST", "/api/v1/requests", &officer,
                           json{{"kind", "renew"}, {"certificate", fx_->serial()}});
    ASSERT_EQ(made.status, 201) << made.raw;
    const std::int64_t rid = made.body["id"].get<std::int64_t>();
    const std::string before = fx_->snapshot();
    Reply theirs = fx_->call("POST", "/api/v1/requests/validate", &outsider, json{{"ids", {rid}}});
    Reply missing =
        fx_->call("POST", "/api/v1/requests/validate", &outsider, json{{"ids", {987654}}});
    EXPECT_EQ(theirs.status, 404);
    same(theirs, missing, "validate");
    EXPECT_EQ(fx_->snapshot(), before);
}

}  // namespace

}  // namespace kyso::server::test
