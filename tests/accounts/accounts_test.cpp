// Accounts (issue 11 "Real accounts"): scopes that are explicit, the first administrator made
// once, changes only by an administrator, never without an enabled administrator, all audited.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "accounts/accounts.h"
#include "accounts/password.h"
#include "accounts/sign_in.h"
#include "store/store.h"
#include "store/workflow_store.h"

namespace kyso::accounts {

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
        for (auto [id, sup] : {std::pair{"P", ""}, {"P-stc", "P"}, {"Q", ""}}) {
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
    // Every user with role, scope, state and password hash, then the audit log's length: what a
    // refused change must leave as it was.
    std::string snapshot() {
        std::string out;
        const auto users = workflow_->users();
        if (!users.ok()) return "users: " + users.error().code;
        for (const User& u : users.value()) {
            const auto found = workflow_->find_user(u.username).value();
            out += u.username + " " + std::string(to_string(u.role)) + " " + u.org_id + " " +
                   (u.disabled ? "off" : "on") + " " + (found ? found->second : "?") + "\n";
        }
        return out + "audit " + std::to_string(audit_size());
    }
    // The global admin, then "adm1": an admin scoped to P (and P-stc under it).
    User scoped_admin() {
        const User a = admin();
        Accounts accounts(*registry_, *workflow_);
        auto s = accounts.add(a, named("adm1", Role::admin), Scope{"P", false}, kPassword);
        EXPECT_TRUE(s.ok()) << s.error().describe(true);
        return s.ok() ? *s : User{};
    }

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
    EXPECT_EQ(
        accounts.add(std::nullopt, named("auditor1", Role::auditor), Scope{{}, true}, kPassword)
            .error()
            .code,
        "account.first_admin");
    const User a = admin();
    // Without a signed-in admin once a user exists: the store refuses inside its transaction.
    EXPECT_EQ(accounts.add(std::nullopt, named("admin-b", Role::admin), Scope{{}, true}, kPassword)
                  .error()
                  .code,
              "store.users_exist");
    auto officer =
        accounts.add(a, named("canbo", Role::unit_officer), Scope{"P", false}, kPassword);
    ASSERT_TRUE(officer.ok());
    EXPECT_EQ(
        accounts.add(*officer, named("canbo2", Role::unit_officer), Scope{"P", false}, kPassword)
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
    ASSERT_TRUE(
        accounts.add(a, named("canbo", Role::unit_officer), Scope{"P-stc", false}, kPassword));
    const std::size_t before = audit_size();
    ASSERT_TRUE(accounts.set_disabled(a, "canbo", true).ok());
    auto refused = sign_in(*workflow_, "canbo", kPassword);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, "auth.disabled");
    EXPECT_EQ(sign_in(*workflow_, "canbo", "wrong password!").error().code, "auth.failed")
        << "a wrong password does not learn the account is disabled";
    ASSERT_TRUE(accounts.set_disabled(a, "canbo", false).ok());
    ASSERT_TRUE(sign_in(*workflow_, "canbo", kPassword).ok());
    ASSERT_TRUE(accounts.set_role(a, "canbo", Role::unit_head).ok());
    EXPECT_EQ(accounts.set_role(a, "canbo", Role::ca_operator).ok(), true)
        << "a scoped CA operator is allowed";
    EXPECT_EQ(accounts.set_scope(a, "canbo", Scope{"nowhere", false}).error().code,
              "request.unknown_org");
    ASSERT_TRUE(accounts.set_scope(a, "canbo", Scope{{}, true}).ok());
    EXPECT_EQ(accounts.set_role(a, "canbo", Role::unit_officer).error().code,
              "account.scope_all_role");
    ASSERT_TRUE(accounts.reset_password(a, "canbo", "một mật khẩu mới").ok());
    EXPECT_FALSE(sign_in(*workflow_, "canbo", kPassword).ok());
    EXPECT_TRUE(sign_in(*workflow_, "canbo", "một mật khẩu mới").ok());
    EXPECT_EQ(accounts.reset_password(a, "canbo", "o").error().code, "password.too_short");
    EXPECT_EQ(accounts.set_disabled(a, "nobody", true).error().code, "store.user_unknown");
    const auto log = workflow_->audit_entries().value();
    ASSERT_EQ(log.size(), before + 6);
    std::vector<std::string> actions;
    for (std::size_t i = before; i < log.size(); ++i) {
        actions.push_back(log[i].action);
        EXPECT_EQ(log[i].actor, "admin");
        EXPECT_EQ(log[i].object, "user:canbo");
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

TEST_F(Accounts_, AScopedAdminGivesOnlyScopesWithinItsOwnAndNeverTheWholeRegister) {
    const User adm1 = scoped_admin();
    Accounts accounts(*registry_, *workflow_);
    const std::string before = snapshot();
    auto add = [&](const std::string& name, Role role, Scope scope) {
        auto r = accounts.add(adm1, named(name, role), scope, kPassword);
        return r.ok() ? std::string("ok") : r.error().code;
    };
    EXPECT_EQ(add("canbo", Role::unit_officer, Scope{"Q", false}), "access.party_out_of_scope");
    EXPECT_EQ(add("adm2", Role::admin, Scope{{}, true}), "account.grant_all");
    EXPECT_EQ(add("aud", Role::auditor, Scope{{}, true}), "account.grant_all");
    EXPECT_EQ(add("ca", Role::ca_operator, Scope{{}, true}), "account.grant_all");
    EXPECT_EQ(snapshot(), before) << "nothing added, nothing audited";
    // Within its scope it adds, admins included.
    EXPECT_EQ(add("canbo", Role::unit_officer, Scope{"P-stc", false}), "ok");
    EXPECT_EQ(add("adm2", Role::admin, Scope{"P-stc", false}), "ok");
    EXPECT_EQ(workflow_->find_user("canbo").value()->first.org_id, "P-stc");

    const std::string middle = snapshot();
    EXPECT_EQ(accounts.set_scope(adm1, "canbo", Scope{"Q", false}).error().code,
              "access.party_out_of_scope");
    ASSERT_TRUE(accounts.set_role(adm1, "canbo", Role::auditor).ok());
    const std::string after_role = snapshot();
    EXPECT_NE(after_role, middle);
    EXPECT_EQ(accounts.set_scope(adm1, "canbo", Scope{{}, true}).error().code, "account.grant_all");
    EXPECT_EQ(snapshot(), after_role);
    ASSERT_TRUE(accounts.set_scope(adm1, "canbo", Scope{"P", false}).ok());
    EXPECT_EQ(workflow_->find_user("canbo").value()->first.org_id, "P");
    // The global admin still gives the whole register.
    const User a = workflow_->find_user("admin").value()->first;
    ASSERT_TRUE(accounts.set_scope(a, "canbo", Scope{{}, true}).ok());
    EXPECT_TRUE(workflow_->find_user("canbo").value()->first.org_id.empty());
}

TEST_F(Accounts_, AScopedAdminChangesNeitherItsOwnRoleNorItsOwnScope) {
    const User adm1 = scoped_admin();
    Accounts accounts(*registry_, *workflow_);
    ASSERT_TRUE(
        accounts.add(adm1, named("canbo", Role::unit_officer), Scope{"P", false}, kPassword).ok());
    const std::string before = snapshot();
    EXPECT_EQ(accounts.set_scope(adm1, "adm1", Scope{{}, true}).error().code, "account.own_scope");
    EXPECT_EQ(accounts.set_scope(adm1, "adm1", Scope{"P-stc", false}).error().code,
              "account.own_scope");
    EXPECT_EQ(accounts.set_role(adm1, "adm1", Role::auditor).error().code, "account.own_scope");
    EXPECT_EQ(snapshot(), before);
    // The same changes on a user in its scope go through.
    ASSERT_TRUE(accounts.set_scope(adm1, "canbo", Scope{"P-stc", false}).ok());
    ASSERT_TRUE(accounts.set_role(adm1, "canbo", Role::unit_head).ok());
    EXPECT_EQ(workflow_->find_user("canbo").value()->first.role, Role::unit_head);
    EXPECT_EQ(workflow_->find_user("adm1").value()->first.org_id, "P");
}

TEST_F(Accounts_, AGlobalUserOrOneInAnotherBranchIsOutOfAScopedAdminsReach) {
    const User adm1 = scoped_admin();
    const User a = workflow_->find_user("admin").value()->first;
    Accounts accounts(*registry_, *workflow_);
    ASSERT_TRUE(
        accounts.add(a, named("canbo-q", Role::unit_officer), Scope{"Q", false}, kPassword).ok());
    ASSERT_TRUE(accounts.add(a, named("aud", Role::auditor), Scope{{}, true}, kPassword).ok());
    ASSERT_TRUE(
        accounts.add(adm1, named("canbo", Role::unit_officer), Scope{"P-stc", false}, kPassword)
            .ok());
    const std::string before = snapshot();
    for (const char* target : {"admin", "aud", "canbo-q"}) {
        SCOPED_TRACE(target);
        EXPECT_EQ(accounts.set_disabled(adm1, target, true).error().code,
                  "account.user_out_of_scope");
        EXPECT_EQ(accounts.set_disabled(adm1, target, false).error().code,
                  "account.user_out_of_scope");
        EXPECT_EQ(accounts.reset_password(adm1, target, "một mật khẩu mới").error().code,
                  "account.user_out_of_scope");
        EXPECT_EQ(accounts.set_role(adm1, target, Role::auditor).error().code,
                  "account.user_out_of_scope");
        EXPECT_EQ(accounts.set_scope(adm1, target, Scope{"P", false}).error().code,
                  "account.user_out_of_scope");
    }
    EXPECT_EQ(snapshot(), before) << "nothing changed, nothing audited";
    EXPECT_TRUE(sign_in(*workflow_, "admin", kPassword).ok());
    EXPECT_EQ(accounts.set_disabled(adm1, "nobody", true).error().code, "store.user_unknown");
    // Its own branch: each change goes through, audited under adm1.
    ASSERT_TRUE(accounts.set_disabled(adm1, "canbo", true).ok());
    ASSERT_TRUE(accounts.set_disabled(adm1, "canbo", false).ok());
    ASSERT_TRUE(accounts.reset_password(adm1, "canbo", "một mật khẩu mới").ok());
    EXPECT_TRUE(sign_in(*workflow_, "canbo", "một mật khẩu mới").ok());
    const auto log = workflow_->audit_entries().value();
    EXPECT_EQ(log.back().actor, "adm1");
    EXPECT_EQ(log.back().object, "user:canbo");
    // The global admin reaches everyone, the scoped admin included.
    ASSERT_TRUE(accounts.set_scope(a, "adm1", Scope{{}, true}).ok());
    ASSERT_TRUE(accounts.set_disabled(a, "canbo-q", true).ok());
}

TEST_F(Accounts_, AUsernameIsShortLowercaseAsciiAndNotKysosOwn) {
    const User a = admin();
    Accounts accounts(*registry_, *workflow_);
    auto add = [&](const std::string& name) {
        auto r = accounts.add(a, named(name, Role::auditor), Scope{"P", false}, kPassword);
        return r.ok() ? std::string("ok") : r.error().code;
    };
    const std::string before = snapshot();
    for (const std::string& bad :
         {std::string(), std::string("a"), std::string(" admin"), std::string("admin "),
          std::string("ADMIN"), std::string("Canbo"), std::string("can\u202Ebo"),
          std::string("ca bo"), std::string("nguyễn"), std::string(".canbo"), std::string("-canbo"),
          std::string("_canbo"), std::string("can:bo"), std::string("can\0bo", 6),
          std::string(65, 'a'), std::string(5000, 'a')}) {
        EXPECT_EQ(add(bad), "account.username_format") << "[" << bad.substr(0, 80) << "]";
    }
    for (const std::string reserved : {"kyso-setup", "system", "systemd", "system.x"})
        EXPECT_EQ(add(reserved), "account.username_reserved") << reserved;
    // kyso's own "system:<login>" actor has a colon, which no username has.
    EXPECT_EQ(add("system:root"), "account.username_format");
    EXPECT_EQ(snapshot(), before) << "nothing added, nothing audited";
    for (const std::string& good :
         {std::string("ab"), std::string("a1"), std::string("1a"), std::string("nguyen.van-an_1"),
          std::string("kyso"), std::string("kyso-setup2"), std::string("sys"),
          std::string(64, 'z')})
        EXPECT_EQ(add(good), "ok") << good;
    // The first user follows the rule too.
    EXPECT_EQ(accounts.add(std::nullopt, named("Admin", Role::admin), Scope{{}, true}, kPassword)
                  .error()
                  .code,
              "account.username_format");
}

TEST_F(Accounts_, TheFirstAdminsUsernameFollowsTheRuleOnAnEmptyDatabase) {
    Accounts accounts(*registry_, *workflow_);
    const std::size_t before = audit_size();
    for (const char* bad : {"Admin", "system", "kyso-setup", " admin"})
        EXPECT_FALSE(
            accounts.add(std::nullopt, named(bad, Role::admin), Scope{{}, true}, kPassword).ok())
            << bad;
    EXPECT_TRUE(workflow_->users().value().empty());
    EXPECT_EQ(audit_size(), before);
    EXPECT_TRUE(
        accounts.add(std::nullopt, named("admin", Role::admin), Scope{{}, true}, kPassword).ok());
}

TEST_F(Accounts_, AnAccountMadeBeforeTheRuleStillSignsIn) {
    const User a = admin();
    User old = named("Old User", Role::auditor);
    old.org_id = "P";
    ASSERT_TRUE(workflow_->add_user(old, hash_password(kPassword).value(), "admin").ok());
    auto in = sign_in(*workflow_, "Old User", kPassword);
    ASSERT_TRUE(in.ok()) << in.error().describe(true);
    EXPECT_EQ(in->username, "Old User");
    Accounts accounts(*registry_, *workflow_);
    EXPECT_TRUE(accounts.set_disabled(a, "Old User", true).ok()) << "and is still administered";
}

}  // namespace kyso::accounts
