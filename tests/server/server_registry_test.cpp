// kyso serve: the registry routes (lists with search, filters, pages and the subtree; one record
// with its ETag; corrections under If-Match with a reason, 412 when stale; removal; history)
// and the job routes (import, check, plan as jobs; progress; result; cancel; who sees a job).
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "server_harness.h"
#include "store/store.h"
#include "text/nfc.h"
#include "x509/fingerprint.h"

namespace kyso::server::test {

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

using x509::base64;

std::string url_encode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

class RegistryApi : public ::testing::Test {
protected:
    static void SetUpTestSuite() { fx_ = new ServerFixture(); }
    static void TearDownTestSuite() {
        delete fx_;
        fx_ = nullptr;
    }
    const Person& person() const { return *fx_->registry().person(fx_->person()); }
    std::vector<std::string> ids(const Reply& r, const char* key = "id") {
        std::vector<std::string> out;
        for (const auto& item : r.body["items"]) out.push_back(item[key].get<std::string>());
        return out;
    }
    // Waits until the job leaves queued/running; its final JSON.
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
    // A certificate with no holder, written behind the server's back, as an import of
    // certificate files leaves one.
    static void add_unlinked_certificate(const std::string& serial, const std::string& cn) {
        auto st = store::open_store(fx_->db());
        ASSERT_TRUE(st);
        Certificate c;
        c.serial = serial;
        c.subject_text = "CN=" + cn + ",C=VN";
        c.subject = {{"C", "VN"}, {"CN", cn}};
        c.not_before = "2024-01-01";
        c.not_after = "2026-01-01";
        c.not_after_date = *Date::parse("2026-01-01");
        ASSERT_TRUE((*st)->upsert_certificates({c}, "test", "test"));
    }
    static ServerFixture* fx_;
};
ServerFixture* RegistryApi::fx_ = nullptr;

TEST_F(RegistryApi, PeopleSearchFindsANameTypedWithoutToneMarks) {
    const Caller admin = fx_->sign_in("admin");
    const std::string plain = text::fold_for_matching(person().full_name);
    Reply r = fx_->call("GET", "/api/v1/people?q=" + url_encode(plain), &admin);
    ASSERT_EQ(r.status, 200) << r.raw;
    const auto found = ids(r);
    EXPECT_NE(std::find(found.begin(), found.end(), person().id), found.end()) << plain;
    Reply by_cccd = fx_->call("GET", "/api/v1/people?q=" + person().cccd, &admin);
    ASSERT_EQ(by_cccd.status, 200);
    EXPECT_EQ(ids(by_cccd), std::vector<std::string>{person().id});
    Reply cert = fx_->call("GET", "/api/v1/certificates?q=" + fx_->serial(), &admin);
    ASSERT_EQ(cert.status, 200);
    EXPECT_EQ(ids(cert, "serial"), std::vector<std::string>{fx_->serial()});
}

TEST_F(RegistryApi, ListsShowOnlyTheUsersSubtree) {
    const Caller officer = fx_->sign_in("officer");
    const Caller outsider = fx_->sign_in("outsider");
    const Caller admin = fx_->sign_in("admin");
    const std::string q = "/api/v1/people?size=200&q=" + person().cccd;
    EXPECT_EQ(ids(fx_->call("GET", q, &officer)), std::vector<std::string>{person().id});
    EXPECT_TRUE(ids(fx_->call("GET", q, &outsider)).empty());
    Reply all = fx_->call("GET", "/api/v1/certificates?size=1", &admin);
    Reply mine = fx_->call("GET", "/api/v1/certificates?size=1", &officer);
    ASSERT_EQ(all.status, 200);
    ASSERT_EQ(mine.status, 200);
    EXPECT_GT(all.body["total"].get<int>(), mine.body["total"].get<int>());
    EXPECT_GT(mine.body["total"].get<int>(), 0);
    EXPECT_EQ(mine.body["items"].size(), 1u);
    Reply detail = fx_->call("GET", "/api/v1/people/" + person().id, &outsider);
    EXPECT_EQ(detail.status, 404) << detail.raw;  // as an id no one has: not probed
    EXPECT_EQ(detail.code(), "store.not_found");
    EXPECT_EQ(fx_->call("GET", "/api/v1/people/nobody-such", &admin).status, 404);
}

TEST_F(RegistryApi, ListParametersAreCheckedAndNamed) {
    const Caller admin = fx_->sign_in("admin");
    Reply big = fx_->call("GET", "/api/v1/people?size=201", &admin);
    EXPECT_EQ(big.status, 400);
    EXPECT_EQ(big.field(), "size");
    Reply sort = fx_->call("GET", "/api/v1/certificates?sort=der", &admin);
    EXPECT_EQ(sort.status, 400);
    EXPECT_EQ(sort.field(), "sort");
    Reply status = fx_->call("GET", "/api/v1/certificates?status=maybe", &admin);
    EXPECT_EQ(status.status, 400);
    EXPECT_EQ(status.field(), "status");
    Reply date = fx_->call("GET", "/api/v1/certificates?expiring_before=tomorrow", &admin);
    EXPECT_EQ(date.status, 400);
    EXPECT_EQ(date.field(), "expiring_before");
    Reply sql = fx_->call("GET", "/api/v1/people?q=" + url_encode("' OR 1=1 --\""), &admin);
    EXPECT_EQ(sql.status, 200) << sql.raw;
    Reply sorted = fx_->call("GET", "/api/v1/organizations?sort=name&order=desc&size=5", &admin);
    ASSERT_EQ(sorted.status, 200);
    EXPECT_LE(sorted.body["items"].size(), 5u);
}

TEST_F(RegistryApi, CorrectionNeedsTheEtagAndAReasonAndIsAudited) {
    const Caller admin = fx_->sign_in("admin");
    const std::string path = "/api/v1/people/" + person().id;
    Reply read = fx_->call("GET", path, &admin);
    ASSERT_EQ(read.status, 200);
    const std::string etag = read.header("ETag");
    ASSERT_FALSE(etag.empty());
    const json change = {{"email", "sua.loi@stc.gov.vn"}, {"reason", "email sai"}};
    Reply no_match = fx_->call("PATCH", path, &admin, change);
    EXPECT_EQ(no_match.status, 428) << no_match.raw;
    Reply no_reason =
        fx_->call("PATCH", path, &admin, json{{"email", "x@y.vn"}}, true, {{"If-Match", etag}});
    EXPECT_EQ(no_reason.status, 400);
    EXPECT_EQ(no_reason.field(), "reason");
    Reply bad = fx_->call("PATCH", path, &admin, json{{"cccd", "123"}, {"reason", "x"}}, true,
                          {{"If-Match", etag}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.field(), "cccd");
    Reply ok = fx_->call("PATCH", path, &admin, change, true, {{"If-Match", etag}});
    ASSERT_EQ(ok.status, 200) << ok.raw;
    EXPECT_EQ(ok.body["email"], "sua.loi@stc.gov.vn");
    EXPECT_NE(ok.header("ETag"), etag);
    Reply stale = fx_->call("PATCH", path, &admin, json{{"email", "a@b.vn"}, {"reason", "x"}}, true,
                            {{"If-Match", etag}});
    EXPECT_EQ(stale.status, 412) << stale.raw;
    EXPECT_EQ(stale.code(), "store.etag_mismatch");
    EXPECT_EQ(stale.field(), "If-Match");
    auto entries = fx_->workflow()->audit_entries();
    ASSERT_TRUE(entries);
    const auto& last = entries->back();
    EXPECT_EQ(last.action, "registry.correct");
    EXPECT_EQ(last.actor, "admin");
    EXPECT_NE(last.detail.find("email sai"), std::string::npos);
    const Caller officer = fx_->sign_in("officer");
    Reply refused = fx_->call("PATCH", path, &officer, change, true, {{"If-Match", etag}});
    EXPECT_EQ(refused.status, 403);
}

TEST_F(RegistryApi, AnOrphanCertificateIsRemovedWithItsReason) {
    add_unlinked_certificate("7E57", "Chứng thư mồ côi");
    const Caller admin = fx_->sign_in("admin");
    Reply orphans = fx_->call("GET", "/api/v1/certificates?unlinked=true&q=mo%20coi", &admin);
    ASSERT_EQ(orphans.status, 200) << orphans.raw;
    EXPECT_EQ(ids(orphans, "serial"), std::vector<std::string>{"7E57"});
    Reply read = fx_->call("GET", "/api/v1/certificates/7e:57", &admin);
    ASSERT_EQ(read.status, 200) << read.raw;
    Reply gone =
        fx_->call("DELETE", "/api/v1/certificates/7E57", &admin, json{{"reason", "chứng thư thừa"}},
                  true, {{"If-Match", read.header("ETag")}});
    ASSERT_EQ(gone.status, 200) << gone.raw;
    EXPECT_EQ(fx_->call("GET", "/api/v1/certificates/7E57", &admin).status, 404);
    auto entries = fx_->workflow()->audit_entries();
    ASSERT_TRUE(entries);
    EXPECT_EQ(entries->back().action, "registry.remove");
    EXPECT_EQ(entries->back().object, "certificate:7E57");
}

TEST_F(RegistryApi, ARemovalMayHaveNoBodyAndTakeItsReasonFromTheQuery) {
    add_unlinked_certificate("7E59", "Chứng thư thừa");
    const Caller admin = fx_->sign_in("admin");
    const std::string path = "/api/v1/certificates/7E59";
    Reply read = fx_->call("GET", path, &admin);
    ASSERT_EQ(read.status, 200) << read.raw;
    const httplib::Headers if_match = {{"If-Match", read.header("ETag")}};
    // No body and no reason: the reason is what is missing, not the body.
    Reply no_reason = fx_->call("DELETE", path, &admin, nullptr, true, if_match);
    EXPECT_EQ(no_reason.status, 400) << no_reason.raw;
    EXPECT_EQ(no_reason.code(), "store.reason_required") << no_reason.raw;
    EXPECT_EQ(no_reason.field(), "reason");
    EXPECT_EQ(fx_->call("GET", path, &admin).status, 200) << "nothing removed";
    // A reason that is not UTF-8 is refused before anything is written (was a 500).
    Reply bad_reason = fx_->call("DELETE", path + "?reason=%FF", &admin, nullptr, true, if_match);
    EXPECT_EQ(bad_reason.status, 400) << bad_reason.raw;
    EXPECT_EQ(bad_reason.field(), "reason");
    EXPECT_EQ(fx_->call("GET", path, &admin).status, 200) << "nothing removed";
    Reply gone =
        fx_->call("DELETE", path + "?reason=b%E1%BA%A3n%20sao", &admin, nullptr, true, if_match);
    ASSERT_EQ(gone.status, 200) << gone.raw;
    EXPECT_EQ(fx_->call("GET", path, &admin).status, 404);
    auto entries = fx_->workflow()->audit_entries();
    ASSERT_TRUE(entries);
    EXPECT_EQ(entries->back().action, "registry.remove");
    EXPECT_NE(entries->back().detail.find("bản sao"), std::string::npos) << entries->back().detail;
}

TEST_F(RegistryApi, ACorrectionAnswersTheRecordAsCorrectedWithItsNewEtag) {
    add_unlinked_certificate("7E58", "Chứng thư chưa gắn");
    const Caller admin = fx_->sign_in("admin");
    const std::string path = "/api/v1/certificates/7E58";
    Reply read = fx_->call("GET", path, &admin);
    ASSERT_EQ(read.status, 200) << read.raw;
    Reply ok = fx_->call(
        "PATCH", path, &admin,
        json{{"holder", {{"type", "person"}, {"id", person().id}}}, {"reason", "gắn người giữ"}},
        true, {{"If-Match", read.header("ETag")}});
    ASSERT_EQ(ok.status, 200) << ok.raw;
    EXPECT_EQ(ok.body["holder"]["id"], person().id) << ok.raw;
    Reply after = fx_->call("GET", path, &admin);
    ASSERT_EQ(after.status, 200);
    EXPECT_EQ(ok.header("ETag"), after.header("ETag"));
    EXPECT_NE(ok.header("ETag"), read.header("ETag"));
    // The ETag answered is the one the next correction needs.
    Reply next = fx_->call("PATCH", path, &admin, json{{"holder", nullptr}, {"reason", "gắn nhầm"}},
                           true, {{"If-Match", ok.header("ETag")}});
    EXPECT_EQ(next.status, 200) << next.raw;
}

TEST_F(RegistryApi, AScopedUserCannotEmptyWhatKeepsARecordInTheirSubtree) {
    const Caller dost = fx_->sign_in("dost");
    const auto refused = [&](const std::string& path, const json& change, const char* field) {
        Reply read = fx_->call("GET", path, &dost);
        ASSERT_EQ(read.status, 200) << read.raw;
        json body = change;
        body["reason"] = "thử";
        Reply r = fx_->call("PATCH", path, &dost, body, true, {{"If-Match", read.header("ETag")}});
        EXPECT_EQ(r.status, 403) << path << " " << r.raw;
        EXPECT_EQ(r.code(), "access.emptied_out_of_scope") << r.raw;
        EXPECT_EQ(r.field(), field);
        EXPECT_EQ(fx_->call("GET", path, &dost).header("ETag"), read.header("ETag"))
            << "nothing changed";
    };
    refused("/api/v1/organizations/" + fx_->org(), json{{"superior_id", nullptr}}, "superior_id");
    refused("/api/v1/people/" + person().id, json{{"org_id", nullptr}}, "org_id");
    refused("/api/v1/certificates/" + fx_->serial(), json{{"holder", nullptr}}, "holder");
}

TEST_F(RegistryApi, OrganizationHistoryAndDetail) {
    const Caller officer = fx_->sign_in("officer");
    Reply h = fx_->call("GET", "/api/v1/organizations/" + fx_->org() + "/history", &officer);
    ASSERT_EQ(h.status, 200) << h.raw;
    EXPECT_EQ(h.body["id"], fx_->org());
    EXPECT_FALSE(h.body["versions"].empty());
    EXPECT_TRUE(h.body["predecessors"].is_array());
    Reply d = fx_->call("GET", "/api/v1/organizations/" + fx_->org(), &officer);
    ASSERT_EQ(d.status, 200);
    EXPECT_FALSE(d.header("ETag").empty());
}

TEST_F(RegistryApi, PlanAndImportRunAsJobsWithProgressAndResult) {
    const Caller admin = fx_->sign_in("admin");
    Reply queued = fx_->call("POST", "/api/v1/plan", &admin, json::object());
    ASSERT_EQ(queued.status, 202) << queued.raw;
    EXPECT_FALSE(queued.header("Location").empty());
    const auto id = queued.body["id"].get<std::int64_t>();
    const json done = wait_job(admin, id);
    EXPECT_EQ(done["state"], "succeeded") << done.dump();
    EXPECT_EQ(done["done"], done["total"]);
    Reply result = fx_->call("GET", "/api/v1/jobs/" + std::to_string(id) + "/result", &admin);
    ASSERT_EQ(result.status, 200);
    EXPECT_TRUE(result.body.contains("summary"));

    // A small bundle of its own (new ids): one organization, one person in it.
    json files = json::array();
    for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
             {"organizations.csv",
              "id,name,superior_id,province,agency_code,kind\n"
              "QTEST,Trung tâm Thử nghiệm Nhập,,Tỉnh Sông Lam,,public_unit\n"},
             {"people.csv",
              "id,full_name,cccd,date_of_birth,email,phone,org_id,position\n"
              "qtest1,Đặng Thị Nhập,006201605999,2001-02-08,,,QTEST,Chuyên viên\n"},
             {"devices.csv", "id,kind,serial,phone,holder_type,holder_id\n"},
             {"certificates.csv",
              "serial,holder_type,holder_id,device_id,subject,not_before,not_after,status,"
              "pem\n"}}) {
        files.push_back({{"name", name}, {"content_base64", base64(text)}});
    }
    Reply imp =
        fx_->call("POST", "/api/v1/imports", &admin, json{{"kind", "bundle"}, {"files", files}});
    ASSERT_EQ(imp.status, 202) << imp.raw;
    const json imported = wait_job(admin, imp.body["id"].get<std::int64_t>());
    EXPECT_EQ(imported["state"], "succeeded") << imported.dump();
    Reply found = fx_->call("GET", "/api/v1/people?q=dang%20thi%20nhap", &admin);
    ASSERT_EQ(found.status, 200);
    EXPECT_EQ(ids(found), std::vector<std::string>{"qtest1"});

    Reply traversal = fx_->call(
        "POST", "/api/v1/imports", &admin,
        json{{"kind", "bundle"},
             {"files", json::array({{{"name", "../../x.csv"}, {"content_base64", "eAo="}}})}});
    EXPECT_EQ(traversal.status, 400);
    EXPECT_EQ(traversal.code(), "job.bad_file_name");
    Reply not_b64 =
        fx_->call("POST", "/api/v1/imports", &admin,
                  json{{"kind", "bundle"},
                       {"files", json::array({{{"name", "a.csv"}, {"content_base64", "***"}}})}});
    EXPECT_EQ(not_b64.status, 400);

    const Caller officer = fx_->sign_in("officer");
    EXPECT_EQ(fx_->call("GET", "/api/v1/jobs/" + std::to_string(id), &officer).status, 404);
    Reply mine = fx_->call("GET", "/api/v1/jobs", &officer);
    ASSERT_EQ(mine.status, 200);
    EXPECT_EQ(mine.body["total"], 0);
    Reply all = fx_->call("GET", "/api/v1/jobs", &admin);
    EXPECT_GE(all.body["total"].get<int>(), 2);
    Reply cancel =
        fx_->call("POST", "/api/v1/jobs/" + std::to_string(id) + "/cancel", &admin, json::object());
    EXPECT_EQ(cancel.status, 409);  // a finished job stays as it ended
    EXPECT_EQ(cancel.code(), "job.finished");
}

TEST_F(RegistryApi, AFailedJobHasNoResultButItsError) {
    const Caller admin = fx_->sign_in("admin");
    Reply imp = fx_->call(
        "POST", "/api/v1/imports", &admin,
        json{{"kind", "bundle"},
             {"files",
              json::array({{{"name", "people.csv"}, {"content_base64", base64("no,bundle\n")}}})}});
    ASSERT_EQ(imp.status, 202) << imp.raw;
    const auto id = imp.body["id"].get<std::int64_t>();
    const json done = wait_job(admin, id);
    EXPECT_EQ(done["state"], "failed");
    EXPECT_TRUE(done["error"].is_object());
    Reply result = fx_->call("GET", "/api/v1/jobs/" + std::to_string(id) + "/result", &admin);
    EXPECT_EQ(result.status, 409);
}

}  // namespace
}  // namespace kyso::server::test
