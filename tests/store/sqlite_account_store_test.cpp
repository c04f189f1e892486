// Tests: the SQLite AccountStore (migration 0008): sessions, API tokens, sign-in failures, the
// user → person link, each audited write with its audit entry, only hashes of secrets stored.
#include <gtest/gtest.h>

#include "sqlite_fixture.h"
#include "store/account_store.h"
#include "store/workflow_store.h"
#include "store_test_data.h"

namespace kyso::store_test {

namespace {

class AccountStoreTest : public SqliteStoreTest {
protected:
    void SetUp() override {
        SqliteStoreTest::SetUp();
        import(sample_registry(), sample_events());
        auto wf = store::open_workflow_store(path_.string());
        ASSERT_TRUE(wf) << wf.error().describe(true);
        workflow_ = std::move(*wf);
        auto acc = store::open_account_store(path_.string());
        ASSERT_TRUE(acc) << acc.error().describe(true);
        accounts_ = std::move(*acc);
        User admin;
        admin.username = "admin";
        admin.full_name = "Quản trị";
        admin.role = Role::admin;
        ASSERT_TRUE(workflow_->add_first_user(admin, "$argon2id$x", "kyso-setup"));
        User an;
        an.username = "an";
        an.full_name = "Nguyễn Văn An";
        an.role = Role::unit_officer;
        an.org_id = "STC";
        ASSERT_TRUE(workflow_->add_user(an, "$argon2id$y", "admin"));
    }
    void TearDown() override {
        accounts_.reset();
        workflow_.reset();
        SqliteStoreTest::TearDown();
    }

    store::SessionRecord session(const std::string& hash, const std::string& user = "an") {
        store::SessionRecord s;
        s.token_hash = hash;
        s.username = user;
        s.method = "password";
        s.address = "10.0.0.1";
        s.created_at = 1000;
        s.last_seen_at = 1000;
        s.expires_at = 1000 + 3600;
        return s;
    }
    store::AuditNote note(const std::string& action) {
        return {"an", action, "user:an", R"({"address":"10.0.0.1"})"};
    }
    std::vector<store::AuditEntry> audit() { return workflow_->audit_entries().value(); }
    bool audited(const std::string& action) {
        for (const auto& e : audit())
            if (e.action == action) return true;
        return false;
    }

    std::unique_ptr<store::WorkflowStore> workflow_;
    std::unique_ptr<store::AccountStore> accounts_;
};

TEST_F(AccountStoreTest, ASessionIsFoundByItsHashWithItsCurrentUser) {
    const std::string hash = store::token_hash("raw-session-token");
    auto id = accounts_->create_session(session(hash), note("session.sign_in"));
    ASSERT_TRUE(id) << id.error().describe(true);
    EXPECT_GT(*id, 0);
    EXPECT_TRUE(audited("session.sign_in"));

    auto found = accounts_->find_session(hash);
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->session.username, "an");
    EXPECT_EQ((*found)->user.org_id, "STC");
    EXPECT_EQ((*found)->session.expires_at, 4600);
    EXPECT_FALSE((*found)->user.disabled);

    store::UserChange off;
    off.disabled = true;
    ASSERT_TRUE(workflow_->update_user("an", off, "admin"));
    EXPECT_TRUE(accounts_->find_session(hash).value().value().user.disabled);
    EXPECT_FALSE(accounts_->find_session(store::token_hash("other")).value());
}

TEST_F(AccountStoreTest, TouchMovesTheLastUseForwardOnly) {
    const std::string hash = store::token_hash("t");
    ASSERT_TRUE(accounts_->create_session(session(hash), note("session.sign_in")));
    ASSERT_TRUE(accounts_->touch_session(hash, 2000));
    ASSERT_TRUE(accounts_->touch_session(hash, 1500));
    EXPECT_EQ(accounts_->find_session(hash).value()->session.last_seen_at, 2000);
}

TEST_F(AccountStoreTest, DeletingSessionsOneAllOfAUserAndExpired) {
    for (const char* t : {"a", "b", "c"})
        ASSERT_TRUE(accounts_->create_session(session(store::token_hash(t)), {}));
    ASSERT_TRUE(accounts_->create_session(session(store::token_hash("adm"), "admin"), {}));
    EXPECT_TRUE(
        accounts_->delete_session(store::token_hash("a"), note("session.sign_out")).value());
    EXPECT_FALSE(accounts_->delete_session(store::token_hash("a"), {}).value());
    EXPECT_TRUE(audited("session.sign_out"));
    EXPECT_EQ(accounts_->delete_user_sessions("an", store::token_hash("b")).value(), 1);
    EXPECT_TRUE(accounts_->find_session(store::token_hash("b")).value());
    EXPECT_FALSE(accounts_->find_session(store::token_hash("c")).value());
    // Expired at 4600 (absolute), or idle since before 1001.
    EXPECT_EQ(accounts_->purge_sessions(4600, 0).value(), 2);
    EXPECT_FALSE(accounts_->find_session(store::token_hash("adm")).value());
}

TEST_F(AccountStoreTest, ASessionOfAnUnknownUserIsRefused) {
    auto id = accounts_->create_session(session("h", "nobody"), {});
    ASSERT_FALSE(id);
    EXPECT_EQ(id.error().code, "store.user_unknown");
}

TEST_F(AccountStoreTest, ChangingThePasswordEndsOtherSessionsInOneAuditedWrite) {
    for (const char* t : {"keep", "other"})
        ASSERT_TRUE(accounts_->create_session(session(store::token_hash(t)), {}));
    ASSERT_TRUE(accounts_->change_password("an", "$argon2id$new", store::token_hash("keep"),
                                           note("user.password_change")));
    EXPECT_EQ(workflow_->find_user("an").value()->second, "$argon2id$new");
    EXPECT_TRUE(accounts_->find_session(store::token_hash("keep")).value());
    EXPECT_FALSE(accounts_->find_session(store::token_hash("other")).value());
    ASSERT_TRUE(audited("user.password_change"));
    for (const auto& e : audit()) EXPECT_EQ(e.detail.find("$argon2id$new"), std::string::npos);
}

TEST_F(AccountStoreTest, TokensAreAddedListedFoundAndRevokedOnce) {
    store::ApiToken t;
    t.name = "nhập hằng đêm";
    t.username = "an";
    t.created_at = 500;
    auto id = accounts_->add_token(t, store::token_hash("kyso_raw"), note("token.create"));
    ASSERT_TRUE(id) << id.error().describe(true);
    auto found = accounts_->find_token(store::token_hash("kyso_raw"));
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->token.name, "nhập hằng đêm");
    EXPECT_EQ((*found)->user.username, "an");
    EXPECT_EQ(accounts_->tokens("an").value().size(), 1U);
    EXPECT_TRUE(accounts_->tokens("admin").value().empty());

    ASSERT_TRUE(accounts_->revoke_token(*id, 900, {"admin", "token.revoke", "token:1", "{}"}));
    const std::size_t entries = audit().size();
    ASSERT_TRUE(accounts_->revoke_token(*id, 950, {"admin", "token.revoke", "token:1", "{}"}));
    EXPECT_EQ(audit().size(), entries) << "a second revocation changes nothing";
    auto revoked = accounts_->token(*id).value().value();
    EXPECT_EQ(revoked.revoked_at, 900);
    EXPECT_EQ(revoked.revoked_by, "admin");
    auto none = accounts_->revoke_token(*id + 7, 900, note("token.revoke"));
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, "store.token_unknown");
}

TEST_F(AccountStoreTest, FailuresAreCountedPerKeyWithinTheWindowAndCleared) {
    ASSERT_TRUE(
        accounts_->record_failures({"user:an", "addr:1.2.3.4"}, 100,
                                   {"system:sign-in", "session.sign_in_failed", "user:an", "{}"}));
    ASSERT_TRUE(accounts_->record_failures({"user:an"}, 200, {}));
    auto f = accounts_->failures_since("user:an", 50).value();
    EXPECT_EQ(f.count, 2);
    EXPECT_EQ(f.oldest, 100);
    EXPECT_EQ(accounts_->failures_since("user:an", 150).value().count, 1);
    EXPECT_EQ(accounts_->failures_since("addr:1.2.3.4", 0).value().count, 1);
    ASSERT_TRUE(accounts_->clear_failures("user:an"));
    EXPECT_EQ(accounts_->failures_since("user:an", 0).value().count, 0);
    EXPECT_EQ(accounts_->purge_failures(101).value(), 1);
    EXPECT_EQ(accounts_->failures_since("addr:1.2.3.4", 0).value().count, 0);
}

TEST_F(AccountStoreTest, AUserIsLinkedToOnePersonAndBack) {
    ASSERT_TRUE(accounts_->link_person("an", "p1", {"admin", "user.person", "user:an", "{}"}));
    EXPECT_EQ(accounts_->person_of("an").value(), "p1");
    EXPECT_EQ(accounts_->user_of_person("p1").value().value().username, "an");
    EXPECT_TRUE(audited("user.person"));

    auto taken = accounts_->link_person("admin", "p1", {"admin", "user.person", "", "{}"});
    ASSERT_FALSE(taken);
    EXPECT_EQ(taken.error().code, "store.person_linked");
    auto unknown = accounts_->link_person("admin", "p9", {"admin", "user.person", "", "{}"});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, "store.person_unknown");
    auto nouser = accounts_->link_person("zz", "p2", {"admin", "user.person", "", "{}"});
    ASSERT_FALSE(nouser);
    EXPECT_EQ(nouser.error().code, "store.user_unknown");

    ASSERT_TRUE(accounts_->link_person("an", "", {"admin", "user.person", "user:an", "{}"}));
    EXPECT_EQ(accounts_->person_of("an").value(), "");
    EXPECT_FALSE(accounts_->user_of_person("p1").value());
}

TEST_F(AccountStoreTest, ACertificateIsReadForSignIn) {
    auto c = accounts_->certificate("0A1B").value();
    ASSERT_TRUE(c);
    EXPECT_EQ(c->holder_type, "person");
    EXPECT_EQ(c->holder_id, "p1");
    EXPECT_EQ(c->status, "valid");
    EXPECT_EQ(c->sha256_cert, std::string(64, 'a'));
    EXPECT_EQ(accounts_->certificate("0C").value()->status, "revoked");
    EXPECT_FALSE(accounts_->certificate("FFFF").value());
}

TEST_F(AccountStoreTest, OnlyHashesOfSessionsAndTokensReachTheFile) {
    const std::string raw_session = "SESSION-RAW-0123456789abcdef";
    const std::string raw_token = "kyso_TOKEN-RAW-0123456789abcdef";
    ASSERT_TRUE(accounts_->create_session(session(store::token_hash(raw_session)), {}));
    store::ApiToken t;
    t.name = "x";
    t.username = "an";
    ASSERT_TRUE(accounts_->add_token(t, store::token_hash(raw_token), note("token.create")));
    accounts_.reset();
    workflow_.reset();
    store_.reset();
    const std::string bytes = file_bytes();
    EXPECT_EQ(bytes.find(raw_session), std::string::npos);
    EXPECT_EQ(bytes.find(raw_token), std::string::npos);
    EXPECT_NE(bytes.find(store::token_hash(raw_token)), std::string::npos);
}

}  // namespace

}  // namespace kyso::store_test
