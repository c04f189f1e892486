// The keyed audit log (issue 11, docs/audit.md), attacked as someone holding the database file
// but not the key file would: every rewrite they can make is refused by `audit verify`, every
// write refuses a log shorter than its head file or a missing key, and the legitimate log passes.
#include <sqlite3.h>
#include <sys/stat.h>

#include "cli_harness.h"
#include "store/audit_key.h"
#include "store/workflow_store.h"

namespace kyso::testing {

namespace {

constexpr const char* kPassword = "user-password-1";

class KeyedAudit : public ScratchDir {
protected:
    std::string db() const { return path("k.db"); }
    std::string key() const { return db() + ".auditkey"; }
    std::string head_file() const { return db() + ".audithead"; }

    RunResult as(const std::string& user, const std::string& args) const {
        return run_kyso(args + " --db " + db() + " --as " + user,
                        std::string("KYSO_LANG=en KYSO_PASSWORD=") + kPassword);
    }
    RunResult plain(const std::string& args) const { return run_kyso(args + " --db " + db()); }
    RunResult add_user(const std::string& name, const std::string& role, const std::string& org) {
        return run_kyso("users add --db " + db() + " --as admin --username " + name +
                            " --full-name 'Người " + name + "' --role " + role +
                            (org.empty() ? " --scope all" : " --org " + org),
                        std::string("KYSO_LANG=en KYSO_PASSWORD=") + kPassword +
                            " KYSO_NEW_PASSWORD=" + kPassword);
    }

    // The sample imported, an admin and a commune's officer, requests made and validated.
    void workflow() {
        ASSERT_EQ(run_kyso("import --db " + db() + " --bundle " + kSampleBundle).exit_code, 0);
        const auto first =
            run_kyso("users add --db " + db() +
                         " --username admin --full-name 'Quản trị' --role admin --scope all",
                     std::string("KYSO_LANG=en KYSO_NEW_PASSWORD=") + kPassword);
        ASSERT_EQ(first.exit_code, 0) << first.out;
        ASSERT_EQ(add_user("officer", "unit_officer", "C90006").exit_code, 0);
        ASSERT_EQ(as("officer", "requests from-plan").exit_code, 0);
        ASSERT_EQ(as("officer", "requests validate").exit_code, 0);
        const auto v = plain("audit verify");
        ASSERT_EQ(v.exit_code, 0) << v.out;
    }

    // Runs SQL on the database with the log's triggers dropped, as an attacker could.
    void sql(const std::string& statements) {
        sqlite3* h = nullptr;
        ASSERT_EQ(sqlite3_open(db().c_str(), &h), SQLITE_OK);
        char* err = nullptr;
        const std::string all =
            "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS "
            "audit_log_no_delete; " +
            statements;
        const int rc = sqlite3_exec(h, all.c_str(), nullptr, nullptr, &err);
        EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
        sqlite3_free(err);
        sqlite3_close(h);
    }
    long count(const std::string& query) {
        sqlite3* h = nullptr;
        sqlite3_open(db().c_str(), &h);
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(h, query.c_str(), -1, &st, nullptr);
        const long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
        sqlite3_finalize(st);
        sqlite3_close(h);
        return n;
    }
    std::vector<store::AuditEntry> entries() {
        std::vector<store::AuditEntry> out;
        sqlite3* h = nullptr;
        sqlite3_open(db().c_str(), &h);
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(h,
                           "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM "
                           "audit_log ORDER BY seq",
                           -1, &st, nullptr);
        const auto text = [&](int i) {
            return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, i)));
        };
        while (sqlite3_step(st) == SQLITE_ROW)
            out.push_back({sqlite3_column_int64(st, 0), text(1), text(2), text(3), text(4), text(5),
                           text(6), text(7)});
        sqlite3_finalize(st);
        sqlite3_close(h);
        return out;
    }
    // Deletes the entries `drop` names, renumbers the rest 1, 2, 3 ... and links every entry
    // again with `sign` (what an attacker without the key can compute), audit_head included:
    // a chain that is whole in itself.
    void rewrite(const std::function<bool(const store::AuditEntry&)>& drop,
                 const std::function<std::string(const store::AuditEntry&)>& sign,
                 const std::function<void(store::AuditEntry&)>& edit = {}) {
        std::string statements = "DELETE FROM audit_log;";
        std::string prev(store::kAuditGenesis);
        std::int64_t seq = 0;
        for (store::AuditEntry e : entries()) {
            if (drop && drop(e)) continue;
            if (edit) edit(e);
            e.seq = ++seq;
            e.prev_hash = prev;
            e.hash = sign(e);
            prev = e.hash;
            char* q = sqlite3_mprintf(
                "INSERT INTO audit_log VALUES (%lld, %Q, %Q, %Q, %Q, %Q, %Q, %Q);",
                static_cast<long long>(e.seq), e.at.c_str(), e.actor.c_str(), e.action.c_str(),
                e.object.c_str(), e.detail.c_str(), e.prev_hash.c_str(), e.hash.c_str());
            statements += q;
            sqlite3_free(q);
        }
        statements +=
            "UPDATE audit_head SET seq = " + std::to_string(seq) + ", hash = '" + prev + "';";
        sql(statements);
    }
    store::AuditKey real_key() {
        auto k = store::AuditKey::load(key());
        EXPECT_TRUE(k && *k);
        return **k;
    }
    // `says`: part of the problem's text (problems are listed in Vietnamese).
    void expect_refused(const std::string& what, const std::string& says) {
        const auto r = plain("audit verify");
        EXPECT_EQ(r.exit_code, 1) << what << ": " << r.out;
        EXPECT_NE(r.out.find("NOT intact"), std::string::npos) << what << ": " << r.out;
        EXPECT_NE(r.out.find(says), std::string::npos) << what << ": " << r.out;
    }
};

const auto kPlainHash = [](const store::AuditEntry& e) { return store::audit_hash(e); };

TEST_F(KeyedAudit, TheLegitimateLogPassesWithItsKeyAndHeadFileBesideTheDatabase) {
    workflow();
    struct stat st {};
    ASSERT_EQ(::lstat(key().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0400U);
    const std::string heads = read_file(head_file());
    // One line per write: import, two users, from-plan, validate.
    EXPECT_EQ(std::count(heads.begin(), heads.end(), '\n'), 5) << heads;
    const auto es = entries();
    EXPECT_NE(heads.find(std::to_string(es.back().seq) + " " + es.back().hash + "\n"),
              std::string::npos);
    const auto v = plain("audit verify");
    EXPECT_EQ(v.exit_code, 0) << v.out;
    EXPECT_NE(v.out.find("intact: " + std::to_string(es.size()) + " entries"), std::string::npos)
        << v.out;
}

TEST_F(KeyedAudit, AnEditedEntryWithThePlainHashesRecomputedIsRefused) {
    workflow();
    rewrite({}, kPlainHash, [](store::AuditEntry& e) {
        if (e.action == "user.add" && e.object == "user:officer")
            e.detail = R"({"org_id":"P81","role":"admin"})";
    });
    expect_refused("edit + plain hashes", "không khớp khóa");
}

// The attacker raises keyed_from past the end so every entry reads as unkeyed, recomputes plain
// hashes and rewrites the head file too: the key file's own record of keyed_from finds it, and
// no later write builds on the forged chain.
TEST_F(KeyedAudit, KeyedFromRaisedByHandWithTheHeadFileRewrittenIsRefused) {
    workflow();
    rewrite({}, kPlainHash, [](store::AuditEntry& e) {
        if (e.action == "user.add" && e.object == "user:officer")
            e.detail = R"({"org_id":"P81","role":"admin"})";
    });
    const long last = count("SELECT max(seq) FROM audit_log");
    sql("DROP TRIGGER audit_chain_no_update; UPDATE audit_chain SET keyed_from = " +
        std::to_string(last + 1) + ";");
    std::string heads;
    for (const auto& e : entries()) heads += std::to_string(e.seq) + " " + e.hash + "\n";
    fs::permissions(head_file(), fs::perms::owner_read | fs::perms::owner_write);
    std::ofstream(head_file(), std::ios::trunc) << heads;
    expect_refused("keyed_from raised", "tệp khóa ghi mục 1");
    const long before = count("SELECT count(*) FROM audit_log");
    const auto w = add_user("late", "auditor", "");
    EXPECT_EQ(w.exit_code, 2) << w.out;
    EXPECT_NE(w.out.find("the key file says entry 1"), std::string::npos) << w.out;
    EXPECT_EQ(count("SELECT count(*) FROM audit_log"), before);
}

// A write under another key (another database's, or a key file replaced by a new one) would
// append entries the real key cannot verify: it is refused before anything is written.
TEST_F(KeyedAudit, AWriteUnderAnotherKeyIsRefused) {
    workflow();
    const std::string other = path("other.auditkey");
    ASSERT_EQ(std::system(("openssl rand -hex 32 > " + other + " && chmod 400 " + other).c_str()),
              0);
    const long before = count("SELECT count(*) FROM audit_log");
    const auto w = run_kyso(
        "users add --db " + db() +
            " --as admin --username late --full-name "
            "'Người late' --role auditor --scope all --audit-key " +
            other,
        std::string("KYSO_LANG=en KYSO_PASSWORD=") + kPassword + " KYSO_NEW_PASSWORD=" + kPassword);
    EXPECT_EQ(w.exit_code, 2) << w.out;
    EXPECT_NE(w.out.find("does not carry the MAC"), std::string::npos) << w.out;
    EXPECT_EQ(count("SELECT count(*) FROM audit_log"), before);
    EXPECT_EQ(add_user("late", "auditor", "").exit_code, 0);  // the real key still writes
    EXPECT_EQ(plain("audit verify").exit_code, 0);
}

TEST_F(KeyedAudit, AChainRecomputedWithAnotherKeyIsRefused) {
    workflow();
    auto forged = store::AuditKey::ephemeral();
    ASSERT_TRUE(forged);
    rewrite({}, [&](const store::AuditEntry& e) { return forged->mac(e); });
    expect_refused("wrong key", "không khớp khóa");
}

TEST_F(KeyedAudit, ATransitionDeletedAndTheChainRecomputedWithoutTheKeyIsRefused) {
    workflow();
    bool dropped = false;
    const auto drop_one = [&](const store::AuditEntry& e) {
        if (dropped || e.action != "request.validated") return false;
        return dropped = true;
    };
    rewrite(drop_one, kPlainHash);
    ASSERT_TRUE(dropped);
    expect_refused("transition deleted", "không khớp khóa");
}

// Even someone holding the key cannot remove a request's transition or a user's creation
// unnoticed: the replay compares the stored requests and users with the log.
TEST_F(KeyedAudit, ATransitionOrUserDeletedWithTheRealKeyIsNamedByTheReplay) {
    workflow();
    const store::AuditKey k = real_key();
    const auto with_key = [&](const store::AuditEntry& e) { return k.mac(e); };
    bool dropped = false;
    rewrite(
        [&](const store::AuditEntry& e) {
            if (dropped || e.action != "request.validated") return false;
            return dropped = true;
        },
        with_key);
    // The head file still names the old entries: remove it too, to see the replay alone.
    fs::remove(head_file());
    auto r = plain("audit verify");
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("ở trạng thái validated nhưng theo nhật ký phải là draft"),
              std::string::npos)
        << r.out;
    rewrite([](const store::AuditEntry& e) { return e.object == "user:officer"; }, with_key);
    r = plain("audit verify");
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("người dùng officer không có mục tạo trong nhật ký"), std::string::npos)
        << r.out;
}

TEST_F(KeyedAudit, TheWholeLogDeletedIsRefusedThanksToTheHeadFile) {
    workflow();
    const long users_before = count("SELECT count(*) FROM users");
    sql("DELETE FROM audit_log; DELETE FROM audit_head;");
    expect_refused("log deleted", "nhật ký đã bị xóa hoặc cắt ngắn");
    // A write refuses to start a new log over the anchored one; nothing is written.
    const auto w = add_user("late", "auditor", "");
    EXPECT_EQ(w.exit_code, 2) << w.out;
    EXPECT_NE(w.out.find("the log was deleted or shortened"), std::string::npos) << w.out;
    EXPECT_EQ(count("SELECT count(*) FROM users"), users_before);
    EXPECT_EQ(count("SELECT count(*) FROM audit_log"), 0);
}

TEST_F(KeyedAudit, TheLastEntriesDeletedIsRefusedEvenWithTheHeadRowMovedBack) {
    workflow();
    const auto es = entries();
    const std::int64_t keep = es.back().seq - 3;
    sql("DELETE FROM audit_log WHERE seq > " + std::to_string(keep) +
        "; UPDATE audit_head SET seq = " + std::to_string(keep) + ", hash = '" +
        es[static_cast<std::size_t>(keep - 1)].hash + "';");
    expect_refused("truncated", "nhưng nhật ký chỉ đến mục " + std::to_string(keep));
}

TEST_F(KeyedAudit, AHeadFileThatLagsBehindTheLogPasses) {
    workflow();
    // A crash between the commit and the append: the file misses the newest heads.
    std::string heads = read_file(head_file());
    heads.erase(heads.rfind('\n', heads.size() - 2) + 1);
    heads.erase(heads.rfind('\n', heads.size() - 2) + 1);
    write_file(head_file(), heads);
    const auto v = plain("audit verify");
    EXPECT_EQ(v.exit_code, 0) << v.out;
    // The next write appends its head again.
    ASSERT_EQ(add_user("late", "auditor", "").exit_code, 0);
    EXPECT_EQ(plain("audit verify").exit_code, 0);
}

TEST_F(KeyedAudit, AHeadFileNamingAnotherMacIsRefused) {
    workflow();
    std::string heads = read_file(head_file());
    const auto space = heads.find(' ');
    heads[space + 1] = heads[space + 1] == '0' ? '1' : '0';
    write_file(head_file(), heads);
    expect_refused("head off the chain", "nhật ký đã bị viết lại");
}

TEST_F(KeyedAudit, AMissingKeyFileIsAClearErrorAndNothingIsWritten) {
    workflow();
    fs::remove(key());
    const long entries_before = count("SELECT count(*) FROM audit_log");
    const auto w = add_user("late", "auditor", "");
    EXPECT_EQ(w.exit_code, 2) << w.out;
    EXPECT_NE(w.out.find("audit key file"), std::string::npos) << w.out;
    EXPECT_NE(w.out.find("is missing"), std::string::npos) << w.out;
    EXPECT_FALSE(fs::exists(key())) << "never a new key for an existing log";
    EXPECT_EQ(count("SELECT count(*) FROM audit_log"), entries_before);
    EXPECT_EQ(count("SELECT count(*) FROM users WHERE username = 'late'"), 0);
    const auto v = plain("audit verify");
    EXPECT_EQ(v.exit_code, 2) << v.out;
    EXPECT_NE(v.out.find("is missing"), std::string::npos) << v.out;
}

TEST_F(KeyedAudit, AKeyFileOthersMayReadIsRefused) {
    workflow();
    ::chmod(key().c_str(), 0644);
    const long entries_before = count("SELECT count(*) FROM audit_log");
    const auto w = add_user("late", "auditor", "");
    EXPECT_EQ(w.exit_code, 2) << w.out;
    EXPECT_NE(w.out.find("mode 0644"), std::string::npos) << w.out;
    EXPECT_EQ(count("SELECT count(*) FROM audit_log"), entries_before);
    const auto v = plain("audit verify");
    EXPECT_EQ(v.exit_code, 2) << v.out;
    EXPECT_NE(v.out.find("mode 0644"), std::string::npos) << v.out;
    ::chmod(key().c_str(), 0400);
    EXPECT_EQ(plain("audit verify").exit_code, 0);
}

TEST_F(KeyedAudit, AKeyFileThatIsASymbolicLinkIsRefused) {
    workflow();
    fs::rename(key(), path("elsewhere.key"));
    fs::create_symlink(path("elsewhere.key"), key());
    const auto v = plain("audit verify");
    EXPECT_EQ(v.exit_code, 2) << v.out;
    EXPECT_NE(v.out.find("symbolic link"), std::string::npos) << v.out;
}

TEST_F(KeyedAudit, TheKeyFileCanLiveElsewhere) {
    const std::string elsewhere = path("keys/kyso.key");
    fs::create_directories(path("keys"));
    ASSERT_EQ(
        run_kyso("import --db " + db() + " --bundle " + kSampleBundle + " --audit-key " + elsewhere)
            .exit_code,
        0);
    EXPECT_TRUE(fs::exists(elsewhere));
    EXPECT_FALSE(fs::exists(key()));
    // Without naming it, the log cannot be verified; named by option or environment, it can.
    EXPECT_EQ(plain("audit verify").exit_code, 2);
    EXPECT_EQ(plain("audit verify --audit-key " + elsewhere).exit_code, 0);
    EXPECT_EQ(
        run_kyso("audit verify --db " + db(), "KYSO_LANG=en KYSO_AUDIT_KEY=" + elsewhere).exit_code,
        0);
}

// A database made by kyso at schema 6 (entries hashed without a key, no key file, no head
// file) verifies after the upgrade, and the keyed chain continues from its last hash.
TEST_F(KeyedAudit, AnUpgradedDatabaseKeepsVerifying) {
    workflow();
    sql("DROP TABLE audit_chain; DELETE FROM schema_migrations WHERE version >= 7;"
        "DROP TABLE sessions; DROP TABLE api_tokens; DROP TABLE sign_in_failures;"
        "DROP INDEX users_person; ALTER TABLE users DROP COLUMN person_id;");
    rewrite({}, kPlainHash);
    fs::remove(key());
    fs::remove(head_file());
    const std::size_t legacy = entries().size();
    auto v = plain("audit verify");
    EXPECT_EQ(v.exit_code, 0) << v.out;
    EXPECT_EQ(count("SELECT keyed_from FROM audit_chain"), static_cast<long>(legacy) + 1);
    ASSERT_EQ(add_user("late", "auditor", "").exit_code, 0);
    EXPECT_TRUE(fs::exists(key()));
    v = plain("audit verify");
    EXPECT_EQ(v.exit_code, 0) << v.out;
    // The unkeyed entries can still be rewritten with plain hashes only if the keyed ones
    // after them are not: they link to the last unkeyed hash.
    rewrite({}, [&, k = real_key()](const store::AuditEntry& e) {
        return static_cast<std::size_t>(e.seq) <= legacy ? store::audit_hash(e) : k.mac(e);
    });
    EXPECT_EQ(plain("audit verify").exit_code, 0) << "the same chain rewritten as it was";
    rewrite({}, kPlainHash, [](store::AuditEntry& e) {
        if (e.seq == 1) e.actor = "system:someone-else";
    });
    expect_refused("upgraded, edited", "không khớp khóa");
}

}  // namespace

}  // namespace kyso::testing
