// Accounts (issue 11 "Real accounts"): scopes that are explicit, the first administrator made
// once, changes only by an administrator, never without an enabled administrator, all audited.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "store/store.h"
#include "store/workflow_store.h"
#include "workflow/accounts.h"
#include "workflow/request_desk.h"

namespace kyso::workflow {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPassword = "mật khẩu đủ dài";

class Accounts_ : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ =
            fs::temp_directory_path() /
            ("kyso-accounts-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        db_ = (dir_ / "k.db").string();
        auto reg = store::open_store(db_);
        ASSERT_TRUE(reg.ok()) << reg.error().describe(true);
        registry_ = std::move(*reg);
        Registry r;
        for (auto [id, sup] : {std::pair{"P", ""}, {"P-stc", "P"}}) {
            Organization o;
            o.id = id;
            o.versions.push_back(OrgVersion{});
            o.versions.back().valid_from = *Date::parse("2020-01-01");
            o.versions.back().name = std::string("Cơ quan ") + id;
            o.versions.back().superior_id = sup;
            r.organizations.push_back(o);
        }
        r.reindex();
        ASSERT_TRUE(registry_->import_registry(r, {}, "test", "test").ok());
        auto wf = store::open_workflow_store(db_);
        ASSERT_TRUE(wf.ok());
        workflow_ = std::move(*wf);
    }
    void TearDown() override { fs::remove_all(dir_); }

    User named(const std::string& name, Role role) {
        User u;
        u.username = name;
        u.full_name = name;
        u.role = role;
        return u;
    }
    // The admin, added as the first user.
    User admin() {
        Accounts accounts(*registry_, *workflow_);
        auto a =
            accounts.add(std::nullopt, named("admin", Role::admin), Scope{{}, true}, kPassword);
        EXPECT_TRUE(a.ok()) << a.error().describe(true);
        return a.ok() ? *a : User{};
    }
    std::size_t audit_size() { return workflow_->audit_entries().value().size(); }

    fs::path dir_;
    std::string db_;
    std::unique_ptr<store::Store> registry_;
    std::unique_ptr<store::WorkflowStore> workflow_;
};

}  // namespace

TEST_F(Accounts_, ScopeIsAnExistingOrganizationOrExplicitlyAllForGlobalRoles) {
    const User a = admin();
    Accounts accounts(*registry_, *workflow_);
    auto code = [&](Role role, Scope scope) {
        auto r = accounts.add(a, named("u" + std::to_string(audit_size()), role), scope, kPassword);
        return r.ok() ? std::string("ok") : r.error().code;
    };
    EXPECT_EQ(code(Role::unit_officer, Scope{"nowhere", false}), "request.unknown_org");
    EXPECT_EQ(code(Role::unit_officer, Scope{}), "account.scope_missing");
    EXPECT_EQ(code(Role::auditor, Scope{}), "account.scope_missing");
    EXPECT_EQ(code(Role::unit_head, Scope{{}, true}), "account.scope_all_role");
    EXPECT_EQ(code(Role::dost_operator, Scope{{}, true}), "account.scope_all_role");
    EXPECT_EQ(code(Role::auditor, Scope{"P", true}), "account.scope_both");
    EXPECT_EQ(workflow_->users().value().size(), 1u) << "nothing added";
    EXPECT_EQ(code(Role::unit_officer, Scope{"P-stc", false}), "ok");
    EXPECT_EQ(code(Role::ca_operator, Scope{{}, true}), "ok");
    EXPECT_EQ(code(Role::auditor, Scope{"P", false}), "ok");
}

TEST_F(Accounts_, TheFirstUserIsAnAdminAndOnlyAnAdminAddsTheOthers) {
    Accounts accounts(*registry_, *workflow_);
    EXPECT_EQ(accounts.add(std::nullopt, named("x", Role::auditor), Scope{{}, true}, kPassword)
                  .error()
                  .code,
              "account.first_admin");
    const User a = admin();
    // Without a signed-in admin once a user exists: the store refuses inside its transaction.
    EXPECT_EQ(accounts.add(std::nullopt, named("b", Role::admin), Scope{{}, true}, kPassword)
                  .error()
                  .code,
              "store.users_exist");
    auto officer = accounts.add(a, named("o", Role::unit_officer), Scope{"P", false}, kPassword);
    ASSERT_TRUE(officer.ok());
    EXPECT_EQ(accounts.add(*officer, named("p", Role::unit_officer), Scope{"P", false}, kPassword)
                  .error()
                  .code,
              "access.role");
}

TEST_F(Accounts_, TwoFirstAdminsAtOnceMakeOne) {
    // Each thread its own connection, as two processes would; both see an empty table before
    // they hash (about 0.1 s of argon2id), so only the write transaction can keep one out.
    std::atomic<int> ok{0}, refused{0};
    auto one = [&](const std::string& name) {
        auto reg = store::open_store(db_);
        auto wf = store::open_workflow_store(db_);
        if (!reg.ok() || !wf.ok()) return;
        Accounts accounts(**reg, **wf);
        auto r = accounts.add(std::nullopt, named(name, Role::admin), Scope{{}, true}, kPassword);
        (r.ok() ? ok : refused)++;
        if (!r.ok()) {
            EXPECT_EQ(r.error().code, "store.users_exist");
        }
    };
    std::thread t1(one, "admin1"), t2(one, "admin2");
    t1.join();
    t2.join();
    EXPECT_EQ(ok.load(), 1);
    EXPECT_EQ(refused.load(), 1);
    EXPECT_EQ(workflow_->users().value().size(), 1u);
}

TEST_F(Accounts_, AnAdminDisablesChangesAndResetsWithAnAuditEntryEach) {
    const User a = admin();
    Accounts accounts(*registry_, *workflow_);
    RequestDesk desk(*registry_, *workflow_);
    ASSERT_TRUE(accounts.add(a, named("o", Role::unit_officer), Scope{"P-stc", false}, kPassword));
    const std::size_t before = audit_size();
    ASSERT_TRUE(accounts.set_disabled(a, "o", true).ok());
    auto refused = desk.sign_in("o", kPassword);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "auth.disabled");
    EXPECT_EQ(desk.sign_in("o", "wrong password!").error().code, "auth.failed")
        << "a wrong password does not learn the account is disabled";
    ASSERT_TRUE(accounts.set_disabled(a, "o", false).ok());
    ASSERT_TRUE(desk.sign_in("o", kPassword).ok());
    ASSERT_TRUE(accounts.set_role(a, "o", Role::unit_head).ok());
    EXPECT_EQ(accounts.set_role(a, "o", Role::ca_operator).ok(), true)
        << "a scoped CA operator is allowed";
    EXPECT_EQ(accounts.set_scope(a, "o", Scope{"nowhere", false}).error().code,
              "request.unknown_org");
    ASSERT_TRUE(accounts.set_scope(a, "o", Scope{{}, true}).ok());
    EXPECT_EQ(accounts.set_role(a, "o", Role::unit_officer).error().code, "account.scope_all_role");
    ASSERT_TRUE(accounts.reset_password(a, "o", "một mật khẩu mới").ok());
    EXPECT_FALSE(desk.sign_in("o", kPassword).ok());
    EXPECT_TRUE(desk.sign_in("o", "một mật khẩu mới").ok());
    EXPECT_EQ(accounts.reset_password(a, "o", "o").error().code, "password.too_short");
    EXPECT_EQ(accounts.set_disabled(a, "nobody", true).error().code, "store.user_unknown");
    const auto log = workflow_->audit_entries().value();
    ASSERT_EQ(log.size(), before + 6);
    std::vector<std::string> actions;
    for (std::size_t i = before; i < log.size(); ++i) {
        actions.push_back(log[i].action);
        EXPECT_EQ(log[i].actor, "admin");
        EXPECT_EQ(log[i].object, "user:o");
        EXPECT_EQ(log[i].detail.find("argon2"), std::string::npos);
        EXPECT_EQ(log[i].detail.find("mật khẩu"), std::string::npos);
    }
    EXPECT_EQ(actions,
              (std::vector<std::string>{"user.disable", "user.enable", "user.role", "user.role",
                                        "user.scope", "user.password_reset"}));
}

TEST_F(Accounts_, TheLastEnabledAdminStays) {
    const User a = admin();
    Accounts accounts(*registry_, *workflow_);
    const std::size_t before = audit_size();
    EXPECT_EQ(accounts.set_disabled(a, "admin", true).error().code, "store.last_admin");
    EXPECT_EQ(accounts.set_role(a, "admin", Role::auditor).error().code, "store.last_admin");
    EXPECT_EQ(audit_size(), before);
    EXPECT_FALSE(workflow_->find_user("admin").value()->first.disabled);
    // With a second admin, the first may step down.
    auto second = accounts.add(a, named("admin2", Role::admin), Scope{{}, true}, kPassword);
    ASSERT_TRUE(second.ok());
    ASSERT_TRUE(accounts.set_disabled(a, "admin", true).ok());
    EXPECT_EQ(accounts.set_role(*second, "admin2", Role::auditor).error().code, "store.last_admin");
    // A disabled admin changes nothing.
    User off = a;
    off.disabled = true;
    EXPECT_EQ(accounts.set_disabled(off, "admin2", true).error().code, "access.role");
}

}  // namespace kyso::workflow
