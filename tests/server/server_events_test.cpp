// kyso serve: the routes that make the API cover the rest of the CLI — events (list, add,
// validate, apply), fix of the database, certificate files and CA results as background jobs,
// and the plan as CSV and XLSX. Each with its success, its validation errors (4xx naming the
// field, in Vietnamese) and its audit entry under the real actor.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <chrono>
#include <thread>

#include "server_harness.h"
#include "store/store.h"
#include "x509/fingerprint.h"
#include "x509/handles.h"

namespace kyso::server::test {

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

using x509::base64;

// A self-signed certificate (P-256) with `serial` and subject C=VN, CN=`cn`, as PEM.
std::string self_signed_pem(long serial, const std::string& cn) {
    x509::EvpPkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    x509::X509Ptr cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>("VN"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365L * 24 * 3600);
    X509_set_pubkey(cert.get(), key.get());
    EXPECT_GT(X509_sign(cert.get(), key.get(), EVP_sha256()), 0);
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert.get());
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    return pem;
}

class CliParity : public ::testing::Test {
protected:
    void SetUp() override { fx_ = std::make_unique<ServerFixture>(); }

    // Waits until the job leaves queued/running; its final JSON.
    json wait_job(const Caller& who, const Reply& queued) {
        EXPECT_EQ(queued.status, 202) << queued.raw;
        const std::string path = "/api/v1/jobs/" + std::to_string(queued.body.value("id", 0));
        for (int i = 0; i < 3000; ++i) {
            Reply r = fx_->call("GET", path, &who);
            if (r.status != 200) return r.body;
            const std::string state = r.body["state"];
            if (state != "queued" && state != "running") return r.body;
            std::this_thread::sleep_for(20ms);
        }
        ADD_FAILURE() << path << " never ended";
        return {};
    }
    json result_of(const Caller& who, const json& job) {
        EXPECT_EQ(job.value("state", ""), "succeeded") << job.dump();
        Reply r = fx_->call("GET", "/api/v1/jobs/" + std::to_string(job.value("id", 0)) + "/result",
                            &who);
        EXPECT_EQ(r.status, 200) << r.raw;
        return r.body;
    }
    // The last audit entry.
    store::AuditEntry last_audit() {
        auto entries = fx_->workflow()->audit_entries();
        EXPECT_TRUE(entries && !entries->empty());
        return entries && !entries->empty() ? entries->back() : store::AuditEntry{};
    }
    std::size_t audit_size() {
        auto entries = fx_->workflow()->audit_entries();
        return entries ? entries->size() : 0;
    }
    json rename(const std::string& date, const std::string& name) {
        return {{"type", "rename"},
                {"effective_date", date},
                {"legal_basis", "Quyết định số 12/QĐ-UBND"},
                {"org", fx_->org()},
                {"name", name}};
    }
    std::unique_ptr<ServerFixture> fx_;
};

TEST_F(CliParity, EventsAreListedWithWhetherEachIsApplied) {
    const Caller auditor = fx_->sign_in("auditor");
    Reply all = fx_->call("GET", "/api/v1/events?size=200", &auditor);
    ASSERT_EQ(all.status, 200) << all.raw;
    ASSERT_GT(all.body["total"].get<int>(), 0);  // the demo data has decisions
    for (const json& e : all.body["items"]) {
        EXPECT_FALSE(e["id"].get<std::string>().empty());
        EXPECT_EQ(e["applied"], false);
    }
    Reply applied = fx_->call("GET", "/api/v1/events?applied=true", &auditor);
    EXPECT_EQ(applied.body["total"], 0);
    Reply bad = fx_->call("GET", "/api/v1/events?applied=maybe", &auditor);
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.field(), "applied");
    EXPECT_NE(bad.body["error"]["message"].get<std::string>().find("applied"), std::string::npos);
    Reply size = fx_->call("GET", "/api/v1/events?size=0", &auditor);
    EXPECT_EQ(size.status, 400);
    EXPECT_EQ(size.field(), "size");
}

TEST_F(CliParity, AnEventIsAddedOnceAuditedUnderItsActorAndAgainIsUnchanged) {
    const Caller dost = fx_->sign_in("dost");
    const int before = fx_->call("GET", "/api/v1/events", &dost).body["total"];
    const json body = {{"events", json::array({rename("2020-01-01", "Trung tâm Đổi Tên")})}};
    Reply added = fx_->call("POST", "/api/v1/events", &dost, body);
    ASSERT_EQ(added.status, 200) << added.raw;
    EXPECT_EQ(added.body["added"], 1);
    ASSERT_EQ(added.body["ids"].size(), 1u);
    const std::string id = added.body["ids"][0];
    EXPECT_EQ(id.front(), 'E');  // a fresh id, as `kyso events add` gives
    const store::AuditEntry entry = last_audit();
    EXPECT_EQ(entry.action, "registry.import");
    EXPECT_EQ(entry.actor, "dost");
    EXPECT_EQ(fx_->call("GET", "/api/v1/events", &dost).body["total"], before + 1);

    Reply again = fx_->call("POST", "/api/v1/events", &dost, body);
    ASSERT_EQ(again.status, 200) << again.raw;
    EXPECT_EQ(again.body["added"], 0);
    EXPECT_EQ(again.body["unchanged"], 1);
    EXPECT_EQ(again.body["ids"][0], id);

    // The same id for another decision: refused, nothing stored.
    json other = rename("2020-02-01", "Tên khác");
    other["id"] = id;
    Reply taken = fx_->call("POST", "/api/v1/events", &dost, json{{"events", {other}}});
    EXPECT_EQ(taken.status, 409) << taken.raw;
    EXPECT_EQ(taken.code(), "event.id_stored");
    EXPECT_EQ(fx_->call("GET", "/api/v1/events", &dost).body["total"], before + 1);
}

TEST_F(CliParity, AddingEventsNamesTheFieldAtFaultAndStoresNothing) {
    const Caller admin = fx_->sign_in("admin");
    const std::size_t audited = audit_size();
    Reply missing = fx_->call("POST", "/api/v1/events", &admin, json::object());
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(missing.field(), "events");
    Reply not_list = fx_->call("POST", "/api/v1/events", &admin, json{{"events", "E1"}});
    EXPECT_EQ(not_list.status, 400);
    EXPECT_EQ(not_list.field(), "events");
    Reply extra = fx_->call("POST", "/api/v1/events", &admin,
                            json{{"events", {rename("2020-01-01", "X")}}, {"force", true}});
    EXPECT_EQ(extra.status, 400);
    EXPECT_EQ(extra.field(), "force");

    json unknown = rename("2020-01-01", "Tên mới");
    unknown["org"] = "KHONG-CO-CO-QUAN-NAY";
    Reply refused = fx_->call("POST", "/api/v1/events", &admin, json{{"events", {unknown}}});
    EXPECT_EQ(refused.status, 400) << refused.raw;
    EXPECT_EQ(refused.field(), "events[0].org");
    const std::string message = refused.body["error"]["message"];
    EXPECT_NE(message.find("KHONG-CO-CO-QUAN-NAY"), std::string::npos) << message;

    json bad_date = rename("01/13/2020", "Tên mới");
    bad_date["id"] = "E-NGAY";
    Reply date = fx_->call("POST", "/api/v1/events", &admin, json{{"events", {bad_date}}});
    EXPECT_EQ(date.status, 400) << date.raw;
    EXPECT_NE(date.field().find("events"), std::string::npos);
    EXPECT_NE(date.raw.find("effective_date"), std::string::npos) << date.raw;
    EXPECT_EQ(audit_size(), audited);  // nothing written
}

TEST_F(CliParity, ADecisionsSheetIsStoredWholeOrAWrongRowIsNamed) {
    const Caller dost = fx_->sign_in("dost");
    const int before = fx_->call("GET", "/api/v1/events", &dost).body["total"];
    const std::string good =
        "Loại,Ngày hiệu lực,Số quyết định,Cơ quan,Tên mới\n"
        "Đổi tên,01/01/2020,Quyết định số 5/QĐ-UBND," +
        fx_->org() + ",Trung tâm Theo Bảng\n";
    Reply ok =
        fx_->call("POST", "/api/v1/events/import", &dost,
                  json{{"file", {{"name", "quyet-dinh.csv"}, {"content_base64", base64(good)}}}});
    ASSERT_EQ(ok.status, 200) << ok.raw;
    EXPECT_EQ(ok.body["added"], 1);
    ASSERT_EQ(ok.body["rows"].size(), 1u);
    EXPECT_EQ(ok.body["rows"][0]["row"], 2);
    EXPECT_EQ(last_audit().actor, "dost");
    EXPECT_EQ(fx_->call("GET", "/api/v1/events", &dost).body["total"], before + 1);

    const std::string bad =
        "Loại,Ngày hiệu lực,Số quyết định,Cơ quan,Tên mới\n"
        "Đổi tên,01/01/2020,QĐ 6,KHONG-CO,Tên khác\n";
    Reply wrong = fx_->call("POST", "/api/v1/events/import", &dost,
                            json{{"file", {{"name", "sai.csv"}, {"content_base64", base64(bad)}}}});
    EXPECT_EQ(wrong.status, 400) << wrong.raw;
    EXPECT_EQ(wrong.field(), "file");
    EXPECT_NE(wrong.body["error"]["message"].get<std::string>().find("KHONG-CO"), std::string::npos)
        << wrong.raw;
    EXPECT_EQ(fx_->call("GET", "/api/v1/events", &dost).body["total"], before + 1);
    Reply kind = fx_->call("POST", "/api/v1/events/import", &dost,
                           json{{"file", {{"name", "a.pdf"}, {"content_base64", "eAo="}}}});
    EXPECT_EQ(kind.status, 400);
    EXPECT_EQ(kind.field(), "file");
    Reply none = fx_->call("POST", "/api/v1/events/import", &dost, json::object());
    EXPECT_EQ(none.status, 400);
    EXPECT_EQ(none.field(), "file");
}

TEST_F(CliParity, ValidatingEventsStoresNothingAndNamesTheError) {
    const Caller dost = fx_->sign_in("dost");
    const int before = fx_->call("GET", "/api/v1/events", &dost).body["total"];
    const std::size_t audited = audit_size();
    Reply ok = fx_->call("POST", "/api/v1/events/validate", &dost,
                         json{{"events", {rename("2020-01-01", "Tên mới")}}});
    ASSERT_EQ(ok.status, 200) << ok.raw;
    EXPECT_EQ(ok.body["valid"], true);
    EXPECT_EQ(ok.body["added"], 1);
    EXPECT_TRUE(ok.body["error"].is_null());

    json unknown = rename("2020-01-01", "Tên mới");
    unknown["org"] = "KHONG-CO";
    Reply bad = fx_->call("POST", "/api/v1/events/validate", &dost, json{{"events", {unknown}}});
    ASSERT_EQ(bad.status, 200) << bad.raw;
    EXPECT_EQ(bad.body["valid"], false);
    EXPECT_EQ(bad.body["error"]["field"], "events[0].org");
    EXPECT_FALSE(bad.body["error"]["event"].get<std::string>().empty());
    EXPECT_EQ(fx_->call("GET", "/api/v1/events", &dost).body["total"], before);
    EXPECT_EQ(audit_size(), audited);
    Reply empty =
        fx_->call("POST", "/api/v1/events/validate", &dost, json{{"events", json::array()}});
    EXPECT_EQ(empty.status, 400);
    EXPECT_EQ(empty.field(), "events");
    EXPECT_EQ(empty.code(), "server.list_empty") << empty.raw;  // not "must be an array"
    Reply not_a_list =
        fx_->call("POST", "/api/v1/events/validate", &dost, json{{"events", "rename"}});
    EXPECT_EQ(not_a_list.status, 400);
    EXPECT_EQ(not_a_list.code(), "server.field_type") << not_a_list.raw;
}

TEST_F(CliParity, PendingEventsAreAppliedOnceAuditedAndAnEarlierOneIsRefused) {
    const Caller admin = fx_->sign_in("admin");
    Reply bad = fx_->call("POST", "/api/v1/events/apply", &admin, json{{"as_of", "2025-13-01"}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.field(), "as_of");
    Reply unknown = fx_->call("POST", "/api/v1/events/apply", &admin, json{{"at", "2025-01-01"}});
    EXPECT_EQ(unknown.status, 400);
    EXPECT_EQ(unknown.field(), "at");

    Reply applied = fx_->call("POST", "/api/v1/events/apply", &admin, json::object());
    ASSERT_EQ(applied.status, 200) << applied.raw;
    const int total = fx_->call("GET", "/api/v1/events", &admin).body["total"];
    EXPECT_EQ(static_cast<int>(applied.body["applied"].size()), total);
    EXPECT_EQ(applied.body["already_applied"], 0);
    const store::AuditEntry entry = last_audit();
    EXPECT_EQ(entry.action, "events.apply");
    EXPECT_EQ(entry.actor, "admin");
    EXPECT_EQ(fx_->call("GET", "/api/v1/events?applied=false", &admin).body["total"], 0);

    Reply again = fx_->call("POST", "/api/v1/events/apply", &admin, json::object());
    ASSERT_EQ(again.status, 200) << again.raw;
    EXPECT_TRUE(again.body["applied"].empty());
    EXPECT_EQ(again.body["already_applied"], total);

    // A decision dated before those applied: stored, but applying it would rewrite history.
    Reply early = fx_->call("POST", "/api/v1/events", &admin,
                            json{{"events", {rename("2019-06-01", "Tên cũ hơn")}}});
    ASSERT_EQ(early.status, 200) << early.raw;
    const std::size_t audited = audit_size();
    Reply refused = fx_->call("POST", "/api/v1/events/apply", &admin, json::object());
    EXPECT_EQ(refused.status, 409) << refused.raw;
    EXPECT_EQ(refused.code(), "event.before_applied");
    EXPECT_EQ(audit_size(), audited);
}

TEST_F(CliParity, ThePlanComesAsCsvOrXlsxByFormatOrAccept) {
    const Caller dost = fx_->sign_in("ca");  // the plan is the whole register's: a global user
    Reply csv = fx_->call("GET", "/api/v1/plan?format=csv", &dost);
    ASSERT_EQ(csv.status, 200) << csv.raw;
    EXPECT_EQ(csv.header("Content-Type").rfind("text/csv", 0), 0u);
    EXPECT_NE(csv.raw.find("Căn cứ (mục)"), std::string::npos) << csv.raw.substr(0, 300);
    EXPECT_NE(csv.header("Content-Disposition").find(".csv"), std::string::npos);
    Reply en = fx_->call("GET", "/api/v1/plan?format=csv", &dost, nullptr, true,
                         {{"Accept-Language", "en"}});
    EXPECT_NE(en.raw.find("Rule"), std::string::npos) << en.raw.substr(0, 300);

    Reply xlsx = fx_->call(
        "GET", "/api/v1/plan?as_of=2025-12-31", &dost, nullptr, true,
        {{"Accept", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}});
    ASSERT_EQ(xlsx.status, 200);
    EXPECT_EQ(xlsx.raw.substr(0, 2), "PK");  // a zip package
    Reply json_plan = fx_->call("GET", "/api/v1/plan?as_of=2025-12-31", &dost, nullptr, true,
                                {{"Accept", "text/html, application/json"}});
    ASSERT_EQ(json_plan.status, 200);
    EXPECT_EQ(json_plan.body["as_of"], "2025-12-31");

    Reply pdf = fx_->call("GET", "/api/v1/plan?format=pdf", &dost);
    EXPECT_EQ(pdf.status, 400);
    EXPECT_EQ(pdf.field(), "format");
    Reply day = fx_->call("GET", "/api/v1/plan?format=csv&as_of=31/12/2025", &dost);
    EXPECT_EQ(day.status, 400);
    EXPECT_EQ(day.field(), "as_of");
}

TEST_F(CliParity, FixRepairsStoredNamesAsAnAuditedImportAndADryRunWritesNothing) {
    const Caller admin = fx_->sign_in("admin");
    // A person whose name was typed in capitals with a double space.
    json files = json::array();
    for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
             {"organizations.csv",
              "id,name,superior_id,province,agency_code,kind\n"
              "QFIX,Trung tâm Sửa Lỗi,,Tỉnh Sông Lam,,public_unit\n"},
             {"people.csv",
              "id,full_name,cccd,date_of_birth,email,phone,org_id,position\n"
              "qfix1,NGUYỄN  VĂN SỬA,006201605998,2001-02-08,,,QFIX,Chuyên viên\n"},
             {"devices.csv", "id,kind,serial,phone,holder_type,holder_id\n"},
             {"certificates.csv",
              "serial,holder_type,holder_id,device_id,subject,not_before,not_after,status,"
              "pem\n"}})
        files.push_back({{"name", name}, {"content_base64", base64(text)}});
    const json imported = wait_job(admin, fx_->call("POST", "/api/v1/imports", &admin,
                                                    json{{"kind", "bundle"}, {"files", files}}));
    ASSERT_EQ(imported["state"], "succeeded") << imported.dump();

    const std::size_t audited = audit_size();
    const json dry = result_of(
        admin, wait_job(admin, fx_->call("POST", "/api/v1/fix", &admin, json{{"dry_run", true}})));
    ASSERT_TRUE(dry["fixes"].is_array());
    bool listed = false;
    for (const json& f : dry["fixes"])
        if (f["id"] == "qfix1" && f["field"] == "full_name") listed = true;
    EXPECT_TRUE(listed) << dry.dump();
    EXPECT_TRUE(dry["imported"].is_null());
    EXPECT_EQ(audit_size(), audited);  // a dry run writes nothing
    EXPECT_EQ(fx_->call("GET", "/api/v1/people/qfix1", &admin).body["full_name"],
              "NGUYỄN  VĂN SỬA");

    const json done =
        result_of(admin, wait_job(admin, fx_->call("POST", "/api/v1/fix", &admin, json::object())));
    EXPECT_EQ(done["dry_run"], false);
    EXPECT_GE(done["imported"]["people"]["updated"].get<int>(), 1) << done.dump();
    EXPECT_EQ(fx_->call("GET", "/api/v1/people/qfix1", &admin).body["full_name"], "Nguyễn Văn Sửa");
    const store::AuditEntry entry = last_audit();
    EXPECT_EQ(entry.actor, "admin");
    EXPECT_EQ(entry.object.rfind("fix:job:", 0), 0u) << entry.object;

    Reply type = fx_->call("POST", "/api/v1/fix", &admin, json{{"dry_run", "yes"}});
    EXPECT_EQ(type.status, 400);
    EXPECT_EQ(type.field(), "dry_run");
    Reply extra = fx_->call("POST", "/api/v1/fix", &admin, json{{"all", true}});
    EXPECT_EQ(extra.status, 400);
    EXPECT_EQ(extra.field(), "all");
}

TEST_F(CliParity, CertificateFilesAreImportedAsAJobWithTheirReport) {
    const Caller dost = fx_->sign_in("dost");
    const json files = json::array(
        {{{"name", "moi.pem"}, {"content_base64", base64(self_signed_pem(0x7E58, "Không Ai Cả"))}},
         {{"name", "hong.pem"}, {"content_base64", base64("không phải chứng thư")}}});
    const json job = wait_job(dost, fx_->call("POST", "/api/v1/imports", &dost,
                                              json{{"kind", "certificates"}, {"files", files}}));
    const json r = result_of(dost, job);
    EXPECT_EQ(r["certificates"], 1) << r.dump();
    EXPECT_EQ(r["files_read"], 1);
    EXPECT_EQ(r["unmatched"].size(), 1u);
    ASSERT_EQ(r["failed"].size(), 1u);
    EXPECT_EQ(r["failed"][0]["file"], "hong.pem");  // the uploaded name, not a temporary path
    EXPECT_TRUE(r["report"].contains("7E58")) << r.dump();
    const store::AuditEntry entry = last_audit();
    EXPECT_EQ(entry.actor, "dost");
    // Unlinked, so outside any organization's subtree: the unscoped admin reads it.
    const Caller admin = fx_->sign_in("admin");
    Reply read = fx_->call("GET", "/api/v1/certificates/7E58", &admin);
    EXPECT_EQ(read.status, 200) << read.raw;

    Reply traversal = fx_->call(
        "POST", "/api/v1/imports", &dost,
        json{{"kind", "certificates"},
             {"files", json::array({{{"name", "../a.pem"}, {"content_base64", "eAo="}}})}});
    EXPECT_EQ(traversal.status, 400);
    EXPECT_EQ(traversal.field(), "files");
}

TEST_F(CliParity, CaResultsAreImportedAsAJobByTheCaOperator) {
    const Caller ca = fx_->sign_in("ca");
    // All or nothing: a row that cannot be applied fails the job, naming the row.
    const std::string csv = "Mã yêu cầu,Kết quả,Lý do\n999999,Hoàn thành,\n";
    const json job = wait_job(
        ca, fx_->call("POST", "/api/v1/results", &ca,
                      json{{"file", {{"name", "ket-qua.csv"}, {"content_base64", base64(csv)}}}}));
    EXPECT_EQ(job["state"], "failed") << job.dump();
    EXPECT_EQ(job["error"]["code"], "results.rows_refused") << job.dump();
    EXPECT_NE(job["error"]["message_en"].get<std::string>().find("row 2"), std::string::npos)
        << job.dump();

    Reply missing = fx_->call("POST", "/api/v1/results", &ca, json::object());
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(missing.field(), "file");
    Reply name =
        fx_->call("POST", "/api/v1/results", &ca,
                  json{{"file", {{"name", "../../etc/x.csv"}, {"content_base64", "eAo="}}}});
    EXPECT_EQ(name.status, 400);
    EXPECT_EQ(name.field(), "file");
    Reply certs = fx_->call(
        "POST", "/api/v1/results", &ca,
        json{{"file", {{"name", "a.csv"}, {"content_base64", "eAo="}}}, {"certificates", "x"}});
    EXPECT_EQ(certs.status, 400);
    EXPECT_EQ(certs.field(), "certificates");
    Reply b64 = fx_->call("POST", "/api/v1/results", &ca,
                          json{{"file", {{"name", "a.csv"}, {"content_base64", "***"}}}});
    EXPECT_EQ(b64.status, 400);
    EXPECT_EQ(b64.field(), "file");
}

}  // namespace

}  // namespace kyso::server::test
