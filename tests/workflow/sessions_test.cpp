// Sign-in (issue 13): password sign-in into server-side sessions, the rate limit per account
// and per address, idle and absolute expiry, sign-out, password change, API tokens, disabled
// users, and mutual-TLS sign-in with certificates made by OpenSSL here.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/subject.h"
#include "store/account_store.h"
#include "store/store.h"
#include "store/workflow_store.h"
#include "workflow/accounts.h"
#include "workflow/sessions.h"
#include "x509/certificate.h"
#include "x509/handles.h"

namespace kyso::workflow {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPassword = "mật khẩu đủ dài";
constexpr std::int64_t kStart = 1'800'000'000;  // 2027-01-15, Unix seconds
constexpr std::int64_t kMinute = 60;

// A CA key and name, and end-entity certificates it signs (P-256, SHA-256).
class TestCa {
public:
    TestCa() : key_(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")) {}

    // DER of a certificate with `serial`, subject CN=`cn`, valid from `from` to `until`.
    std::vector<std::uint8_t> issue(long serial, const std::string& cn, std::int64_t from,
                                    std::int64_t until) {
        x509::EvpPkeyPtr leaf_key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
        x509::X509Ptr cert(X509_new());
        X509_set_version(cert.get(), 2);
        ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
        X509_NAME* subject = X509_get_subject_name(cert.get());
        X509_NAME_add_entry_by_txt(subject, "C", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>("VN"), -1, -1, 0);
        X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
        X509_NAME* issuer = X509_get_issuer_name(cert.get());
        X509_NAME_add_entry_by_txt(issuer, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char*>("Test CA"), -1, -1, 0);
        ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(from));
        ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(until));
        X509_set_pubkey(cert.get(), leaf_key.get());
        EXPECT_GT(X509_sign(cert.get(), key_.get(), EVP_sha256()), 0);
        unsigned char* der = nullptr;
        const int n = i2d_X509(cert.get(), &der);
        const x509::OpenSslBytes owned(der);
        return {der, der + n};
    }

private:
    x509::EvpPkeyPtr key_;
};

x509::X509Ptr as_x509(const std::vector<std::uint8_t>& der) {
    const unsigned char* p = der.data();
    return x509::X509Ptr(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
}

class Sessions_ : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ =
            fs::temp_directory_path() /
            ("kyso-sessions-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        db_ = (dir_ / "k.db").string();
        auto reg = store::open_store(db_);
        ASSERT_TRUE(reg) << reg.error().describe(true);
        registry_ = std::move(*reg);
        Registry r;
        Organization o;
        o.id = "STC";
        o.versions.push_back(OrgVersion{});
        o.versions.back().valid_from = *Date::parse("2020-01-01");
        o.versions.back().name = "Sở Tài chính";
        r.organizations.push_back(o);
        for (const char* id : {"p1", "p2", "p3"}) {
            Person p;
            p.id = id;
            p.full_name = std::string("Người ") + id;
            p.cccd = "040088012345";
            p.date_of_birth = "1988-04-02";
            p.org_id = "STC";
            r.people.push_back(p);
        }
        r.reindex();
        ASSERT_TRUE(registry_->import_registry(r, {}, "test", "test"));
        auto wf = store::open_workflow_store(db_);
        ASSERT_TRUE(wf);
        workflow_ = std::move(*wf);
        auto acc = store::open_account_store(db_);
        ASSERT_TRUE(acc) << acc.error().describe(true);
        accounts_ = std::move(*acc);

        Accounts accounts(*registry_, *workflow_);
        auto admin =
            accounts.add(std::nullopt, user("admin", Role::admin), Scope{{}, true}, kPassword);
        ASSERT_TRUE(admin) << admin.error().describe(true);
        admin_ = *admin;
        auto an =
            accounts.add(admin_, user("an", Role::unit_officer), Scope{"STC", false}, kPassword);
        ASSERT_TRUE(an) << an.error().describe(true);
        an_ = *an;
        sessions_.emplace(*registry_, *workflow_, *accounts_, SessionPolicy{},
                          [this] { return now_; });
    }
    void TearDown() override {
        sessions_.reset();
        accounts_.reset();
        workflow_.reset();
        registry_.reset();
        fs::remove_all(dir_);
    }

    static User user(const std::string& name, Role role) {
        User u;
        u.username = name;
        u.full_name = name;
        u.role = role;
        return u;
    }
    std::vector<store::AuditEntry> audit() { return workflow_->audit_entries().value(); }
    std::vector<store::AuditEntry> audited(const std::string& action) {
        std::vector<store::AuditEntry> out;
        for (auto& e : audit())
            if (e.action == action) out.push_back(e);
        return out;
    }
    void disable(const std::string& name) {
        Accounts accounts(*registry_, *workflow_);
        ASSERT_TRUE(accounts.set_disabled(admin_, name, true));
    }
    // Stores a certificate (as the registry would hold it after an import of its file) held by
    // person `holder` ("" for an unlinked one), `revoked` or valid.
    void register_certificate(const std::vector<std::uint8_t>& der, const std::string& holder,
                              bool revoked = false) {
        auto info = x509::parse_der(der);
        ASSERT_TRUE(info) << info.error().describe(true);
        Certificate c;
        c.serial = info->serial;
        if (!holder.empty()) c.holder = {HolderType::person, holder};
        c.subject = info->subject;
        c.subject_text = format_rfc4514(info->subject);
        c.not_before = info->not_before;
        c.not_after = info->not_after;
        c.not_after_date = info->not_after_date;
        c.status = revoked ? CertStatus::revoked : CertStatus::valid;
        c.sha256_cert = info->sha256_cert;
        c.sha256_key = info->sha256_key;
        c.der = info->der;
        ASSERT_TRUE(registry_->upsert_certificates({c}, "test", "test"));
    }
    void link(const std::string& username, const std::string& person) {
        ASSERT_TRUE(accounts_->link_person(username, person, {"admin", "user.person", "", "{}"}));
    }
    std::string refusal_reason() {
        auto failed = audited("session.sign_in_failed");
        return failed.empty() ? std::string() : failed.back().detail;
    }

    fs::path dir_;
    std::string db_;
    std::unique_ptr<store::Store> registry_;
    std::unique_ptr<store::WorkflowStore> workflow_;
    std::unique_ptr<store::AccountStore> accounts_;
    std::optional<Sessions> sessions_;
    std::int64_t now_ = kStart;
    User admin_, an_;
};

TEST_F(Sessions_, ThePasswordSignsInIntoASessionThatResumes) {
    auto in = sessions_->sign_in_password("an", kPassword, "203.0.113.5");
    ASSERT_TRUE(in) << in.error().describe(true);
    EXPECT_EQ(in->user.username, "an");
    EXPECT_EQ(in->method, "password");
    EXPECT_EQ(in->expires_at, kStart + 12 * 3600);
    EXPECT_GE(in->session_token.size(), 43U);
    EXPECT_FALSE(in->csrf_token.empty());
    EXPECT_NE(in->csrf_token, in->session_token);

    now_ += 5 * kMinute;
    auto back = sessions_->resume(in->session_token);
    ASSERT_TRUE(back) << back.error().describe(true);
    EXPECT_EQ(back->user.org_id, "STC");
    EXPECT_EQ(back->csrf_token, in->csrf_token);

    auto signed_in = audited("session.sign_in");
    ASSERT_EQ(signed_in.size(), 1U);
    EXPECT_EQ(signed_in[0].actor, "an");
    EXPECT_NE(signed_in[0].detail.find("203.0.113.5"), std::string::npos);
}

TEST_F(Sessions_, AWrongPasswordAndAnUnknownUserFailAlikeAndAreAuditedWithoutThePassword) {
    auto wrong = sessions_->sign_in_password("an", "một mật khẩu sai", "203.0.113.5");
    auto unknown = sessions_->sign_in_password("ai-do", "một mật khẩu sai", "203.0.113.5");
    ASSERT_FALSE(wrong);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(wrong.error().code, "auth.failed");
    EXPECT_EQ(unknown.error().code, "auth.failed");
    auto failed = audited("session.sign_in_failed");
    ASSERT_EQ(failed.size(), 2U);
    for (const auto& e : failed) {
        EXPECT_NE(e.detail.find("203.0.113.5"), std::string::npos);
        EXPECT_EQ(e.detail.find("sai"), std::string::npos) << e.detail;
    }
    EXPECT_TRUE(audited("session.sign_in").empty());
}

TEST_F(Sessions_, FiveFailuresLockTheAccountForTheWindowWhateverTheAddress) {
    for (int i = 0; i < 5; ++i) {
        auto r =
            sessions_->sign_in_password("an", "sai mật khẩu rồi", "10.0.0." + std::to_string(i));
        ASSERT_EQ(r.error().code, "auth.failed");
        now_ += kMinute;
    }
    // Even the right password, from another address: refused before it is checked.
    auto locked = sessions_->sign_in_password("an", kPassword, "10.9.9.9");
    ASSERT_FALSE(locked);
    EXPECT_EQ(locked.error().code, "auth.rate_limited");
    EXPECT_NE(locked.error().message_en.find("10 minutes"), std::string::npos)
        << locked.error().message_en;
    // Another account is not locked.
    EXPECT_TRUE(sessions_->sign_in_password("admin", kPassword, "10.9.9.9"));
    // Once the first failure is older than the window, the account signs in again.
    now_ = kStart + 15 * kMinute;
    EXPECT_TRUE(sessions_->sign_in_password("an", kPassword, "10.9.9.9"));
}

TEST_F(Sessions_, TwentyFailuresFromOneAddressLockThatAddressForEveryAccount) {
    for (int i = 0; i < 20; ++i) {
        auto r = sessions_->sign_in_password("guess" + std::to_string(i), "sai mật khẩu rồi",
                                             "198.51.100.7");
        ASSERT_EQ(r.error().code, "auth.failed");
    }
    auto locked = sessions_->sign_in_password("an", kPassword, "198.51.100.7");
    ASSERT_FALSE(locked);
    EXPECT_EQ(locked.error().code, "auth.rate_limited");
    EXPECT_TRUE(sessions_->sign_in_password("an", kPassword, "198.51.100.8"));
    now_ += 16 * kMinute;
    EXPECT_TRUE(sessions_->sign_in_password("an", kPassword, "198.51.100.7"));
}

TEST_F(Sessions_, ASuccessfulSignInClearsTheAccountsFailures) {
    for (int i = 0; i < 4; ++i)
        ASSERT_FALSE(sessions_->sign_in_password("an", "sai mật khẩu rồi", ""));
    ASSERT_TRUE(sessions_->sign_in_password("an", kPassword, ""));
    for (int i = 0; i < 4; ++i)
        ASSERT_FALSE(sessions_->sign_in_password("an", "sai mật khẩu rồi", ""));
    EXPECT_TRUE(sessions_->sign_in_password("an", kPassword, ""));
}

TEST_F(Sessions_, ASessionIdleForThirtyMinutesEnds) {
    auto in = sessions_->sign_in_password("an", kPassword, "");
    ASSERT_TRUE(in);
    now_ += 29 * kMinute;
    ASSERT_TRUE(sessions_->resume(in->session_token));
    now_ += 29 * kMinute;  // used 29 minutes ago: still alive
    ASSERT_TRUE(sessions_->resume(in->session_token));
    now_ += 30 * kMinute;
    auto idle = sessions_->resume(in->session_token);
    ASSERT_FALSE(idle);
    EXPECT_EQ(idle.error().code, "auth.session_expired");
    now_ -= 20 * kMinute;  // and it stays ended: it was deleted
    EXPECT_FALSE(sessions_->resume(in->session_token));
}

TEST_F(Sessions_, ASessionInUseEndsTwelveHoursAfterSignIn) {
    auto in = sessions_->sign_in_password("an", kPassword, "");
    ASSERT_TRUE(in);
    for (int i = 0; i < 47; ++i) {
        now_ += 15 * kMinute;
        ASSERT_TRUE(sessions_->resume(in->session_token)) << i;
    }
    now_ += 15 * kMinute;  // 12 hours
    auto over = sessions_->resume(in->session_token);
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, "auth.session_expired");
}

TEST_F(Sessions_, SignOutEndsTheSessionAndIsAudited) {
    auto in = sessions_->sign_in_password("an", kPassword, "");
    ASSERT_TRUE(in);
    ASSERT_TRUE(sessions_->sign_out(in->session_token));
    EXPECT_EQ(sessions_->resume(in->session_token).error().code, "auth.session_expired");
    EXPECT_EQ(audited("session.sign_out").size(), 1U);
    EXPECT_TRUE(sessions_->sign_out(in->session_token)) << "twice is not an error";
    EXPECT_EQ(sessions_->resume("made-up").error().code, "auth.session_expired");
}

TEST_F(Sessions_, CsrfTokenMatchesOnlyItsOwnSession) {
    auto a = sessions_->sign_in_password("an", kPassword, "");
    auto b = sessions_->sign_in_password("admin", kPassword, "");
    ASSERT_TRUE(a && b);
    EXPECT_TRUE(sessions_->csrf_ok(*a, a->csrf_token));
    EXPECT_FALSE(sessions_->csrf_ok(*a, b->csrf_token));
    EXPECT_FALSE(sessions_->csrf_ok(*a, ""));
    EXPECT_FALSE(sessions_->csrf_ok(*a, a->csrf_token.substr(1)));
}

TEST_F(Sessions_, ChangingThePasswordEndsTheOtherSessionsAndKeepsThisOne) {
    auto here = sessions_->sign_in_password("an", kPassword, "");
    auto there = sessions_->sign_in_password("an", kPassword, "");
    ASSERT_TRUE(here && there);
    const std::string fresh = "một mật khẩu mới khác hẳn";
    auto wrong = sessions_->change_password(an_, "không phải mật khẩu", fresh, here->session_token);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, "auth.old_password");
    auto weak = sessions_->change_password(an_, kPassword, "ngắn", here->session_token);
    ASSERT_FALSE(weak);
    EXPECT_EQ(weak.error().code, "password.too_short");

    ASSERT_TRUE(sessions_->change_password(an_, kPassword, fresh, here->session_token));
    EXPECT_TRUE(sessions_->resume(here->session_token));
    EXPECT_EQ(sessions_->resume(there->session_token).error().code, "auth.session_expired");
    EXPECT_EQ(sessions_->sign_in_password("an", kPassword, "").error().code, "auth.failed");
    EXPECT_TRUE(sessions_->sign_in_password("an", fresh, ""));
    auto changed = audited("user.password_change");
    ASSERT_EQ(changed.size(), 1U);
    EXPECT_EQ(changed[0].actor, "an");
    EXPECT_EQ(changed[0].detail.find("argon2"), std::string::npos);
}

TEST_F(Sessions_, ADisabledUsersSessionsAndTokensStopAtOnce) {
    auto in = sessions_->sign_in_password("an", kPassword, "");
    ASSERT_TRUE(in);
    auto token = sessions_->create_api_token(an_, "script");
    ASSERT_TRUE(token);
    disable("an");
    EXPECT_EQ(sessions_->resume(in->session_token).error().code, "auth.disabled");
    EXPECT_FALSE(sessions_->resume(in->session_token)) << "and the session is gone";
    EXPECT_EQ(sessions_->resume_api_token(token->token).error().code, "auth.disabled");
    EXPECT_EQ(sessions_->sign_in_password("an", kPassword, "").error().code, "auth.disabled");
}

TEST_F(Sessions_, AnApiTokenIsShownOnceWorksUntilRevokedAndIsAudited) {
    auto token = sessions_->create_api_token(an_, "nhập hằng đêm");
    ASSERT_TRUE(token) << token.error().describe(true);
    EXPECT_TRUE(token->token.starts_with("kyso_"));
    EXPECT_EQ(token->token.size(), 5U + 43U);
    auto who = sessions_->resume_api_token(token->token);
    ASSERT_TRUE(who) << who.error().describe(true);
    EXPECT_EQ(who->username, "an");
    auto list = sessions_->api_tokens(an_);
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 1U);
    EXPECT_EQ((*list)[0].name, "nhập hằng đêm");

    // Someone else's token cannot be revoked by a non-admin: it looks like no token.
    auto other = sessions_->revoke_api_token(user("binh", Role::unit_head), token->id);
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, "auth.token_unknown");
    ASSERT_TRUE(sessions_->revoke_api_token(an_, token->id));
    EXPECT_EQ(sessions_->resume_api_token(token->token).error().code, "auth.token_invalid");
    EXPECT_EQ(audited("token.create").size(), 1U);
    auto revoked = audited("token.revoke");
    ASSERT_EQ(revoked.size(), 1U);
    EXPECT_EQ(revoked[0].actor, "an");
    EXPECT_EQ(sessions_->resume_api_token("kyso_madeup").error().code, "auth.token_invalid");
    EXPECT_EQ(sessions_->create_api_token(an_, "  ").error().code, "auth.token_name");
}

TEST_F(Sessions_, AnAdministratorRevokesAnotherUsersToken) {
    auto token = sessions_->create_api_token(an_, "script");
    ASSERT_TRUE(token);
    ASSERT_TRUE(sessions_->revoke_api_token(admin_, token->id));
    EXPECT_FALSE(sessions_->resume_api_token(token->token));
}

TEST_F(Sessions_, TheDatabaseFileHoldsNoRawSessionIdOrToken) {
    auto in = sessions_->sign_in_password("an", kPassword, "");
    auto token = sessions_->create_api_token(an_, "script");
    ASSERT_TRUE(in && token);
    const std::string raw_session = in->session_token;
    const std::string raw_token = token->token;
    sessions_.reset();
    accounts_.reset();
    workflow_.reset();
    registry_.reset();
    std::string bytes;
    for (const std::string suffix : {"", "-wal"}) {
        std::ifstream f(db_ + suffix, std::ios::binary);
        bytes.append(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
    }
    ASSERT_FALSE(bytes.empty());
    EXPECT_EQ(bytes.find(raw_session), std::string::npos);
    EXPECT_EQ(bytes.find(raw_token), std::string::npos);
    EXPECT_EQ(bytes.find(raw_token.substr(5)), std::string::npos);
    EXPECT_NE(bytes.find(store::token_hash(raw_token)), std::string::npos);
}

// --- certificate sign-in ---

TEST_F(Sessions_, AValidRegisteredCertificateOfALinkedPersonSignsIn) {
    TestCa ca;
    const auto der = ca.issue(0x1001, "Người p1", kStart - 86400, kStart + 365 * 86400);
    register_certificate(der, "p1");
    link("an", "p1");
    auto in = sessions_->sign_in_certificate(as_x509(der).get(), "203.0.113.9");
    ASSERT_TRUE(in) << in.error().describe(true) << " " << refusal_reason();
    EXPECT_EQ(in->user.username, "an");
    EXPECT_EQ(in->method, "certificate");
    EXPECT_TRUE(sessions_->resume(in->session_token));
    auto signed_in = audited("session.sign_in");
    ASSERT_EQ(signed_in.size(), 1U);
    EXPECT_NE(signed_in[0].detail.find("1001"), std::string::npos);
}

struct Refusal {
    const char* name;
    const char* reason;
};

TEST_F(Sessions_, CertificatesThatMustNotSignInAreRefusedWithTheReasonOnlyInTheAudit) {
    TestCa ca;
    const auto valid_range = std::pair{kStart - 86400, kStart + 365 * 86400};
    // Revoked in the registry.
    const auto revoked = ca.issue(0x2001, "Người p1", valid_range.first, valid_range.second);
    register_certificate(revoked, "p1", true);
    // Not in the registry.
    const auto unknown = ca.issue(0x2002, "Người p1", valid_range.first, valid_range.second);
    // Expired yesterday.
    const auto expired = ca.issue(0x2003, "Người p1", kStart - 400 * 86400, kStart - 86400);
    register_certificate(expired, "p1");
    // Held by p2, who is linked to no user.
    const auto unlinked = ca.issue(0x2004, "Người p2", valid_range.first, valid_range.second);
    register_certificate(unlinked, "p2");
    // Another certificate under a registered serial (same serial, other key).
    const auto forged = ca.issue(0x2005, "Người p1", valid_range.first, valid_range.second);
    register_certificate(ca.issue(0x2005, "Người p1", valid_range.first, valid_range.second), "p1");
    // Held by p3, whose user is disabled.
    const auto disabled = ca.issue(0x2006, "Người p3", valid_range.first, valid_range.second);
    register_certificate(disabled, "p3");
    Accounts accounts(*registry_, *workflow_);
    ASSERT_TRUE(
        accounts.add(admin_, user("cuong", Role::unit_head), Scope{"STC", false}, kPassword));
    link("cuong", "p3");
    disable("cuong");
    link("an", "p1");

    for (const auto& [der, reason] :
         std::vector<std::pair<std::vector<std::uint8_t>, std::string>>{{revoked, "revoked"},
                                                                        {unknown, "unknown"},
                                                                        {expired, "expired"},
                                                                        {unlinked, "not_linked"},
                                                                        {forged, "mismatch"},
                                                                        {disabled, "disabled"}}) {
        auto r = sessions_->sign_in_certificate(as_x509(der).get(), "203.0.113.9");
        ASSERT_FALSE(r) << reason;
        EXPECT_EQ(r.error().code, "auth.certificate_refused") << reason;
        EXPECT_EQ(r.error().message_en.find(reason), std::string::npos);
        EXPECT_NE(refusal_reason().find("\"reason\":\"" + reason + "\""), std::string::npos)
            << reason << ": " << refusal_reason();
    }
    EXPECT_TRUE(audited("session.sign_in").empty());
    EXPECT_EQ(sessions_->sign_in_certificate(nullptr, "").error().code, "auth.certificate_refused");
}

TEST_F(Sessions_, ACertificateNotYetValidIsRefused) {
    TestCa ca;
    const auto der = ca.issue(0x3001, "Người p1", kStart + 86400, kStart + 365 * 86400);
    register_certificate(der, "p1");
    link("an", "p1");
    auto r = sessions_->sign_in_certificate(as_x509(der).get(), "");
    ASSERT_FALSE(r);
    EXPECT_NE(refusal_reason().find("not_yet_valid"), std::string::npos);
    now_ = kStart + 2 * 86400;
    EXPECT_TRUE(sessions_->sign_in_certificate(as_x509(der).get(), ""));
}

}  // namespace

}  // namespace kyso::workflow
