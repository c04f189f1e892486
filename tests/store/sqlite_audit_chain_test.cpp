// Tests: the keyed audit chain in the store — the key file (created 0400 once, refused when
// others may read it or when it is a symbolic link), the MAC's unambiguous encoding, the head
// file appended after each commit, and a database upgraded from schema 6 whose first keyed
// entry links to the last unkeyed hash.
#include <sys/stat.h>

#include <fstream>

#include "sqlite_fixture.h"
#include "store/audit_anchor.h"
#include "store/audit_key.h"
#include "store/migrations/migration.h"
#include "store/workflow_store.h"
#include "store_test_data.h"

namespace kyso::store_test {

namespace {

unsigned mode_of(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::lstat(p.c_str(), &st), 0);
    return st.st_mode & 07777;
}

store::AuditEntry sample_entry() {
    return {7, "2026-01-01T00:00:00Z", "admin", "user.add", "user:x", "{}", "ab", ""};
}

// The log's entries read with SQL, without opening (and so migrating) the database.
std::vector<store::AuditEntry> raw_entries(const fs::path& path) {
    std::vector<store::AuditEntry> out;
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT seq, at, actor, action, object, detail, prev_hash, hash "
                       "FROM audit_log ORDER BY seq",
                       -1, &st, nullptr);
    const auto text = [&](int i) {
        return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, i)));
    };
    while (sqlite3_step(st) == SQLITE_ROW)
        out.push_back({sqlite3_column_int64(st, 0), text(1), text(2), text(3), text(4), text(5),
                       text(6), text(7)});
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

class AuditKeyFile : public SqliteStoreTest {
protected:
    fs::path key() const { return dir_ / "k.auditkey"; }
};

TEST_F(AuditKeyFile, IsCreatedReadableByItsOwnerOnlyAndLoadsBackTheSameKey) {
    auto created = store::AuditKey::create(key().string());
    ASSERT_TRUE(created) << created.error().describe(true);
    EXPECT_EQ(mode_of(key()), 0400U);
    const std::string text = read_bytes(key());
    ASSERT_EQ(text.size(), 65U);
    EXPECT_EQ(text.find_first_not_of("0123456789abcdef"), 64U);
    auto loaded = store::AuditKey::load(key().string());
    ASSERT_TRUE(loaded && *loaded);
    EXPECT_EQ((*loaded)->mac(sample_entry()), created->mac(sample_entry()));
    EXPECT_EQ(created->mac(sample_entry()).size(), 64U);
    // No temporary file is left beside it.
    for (const auto& f : fs::directory_iterator(dir_))
        EXPECT_EQ(f.path().filename().string().find(".tmp"), std::string::npos) << f.path();
}

TEST_F(AuditKeyFile, AnExistingKeyIsNeverReplaced) {
    auto first = store::AuditKey::create(key().string());
    ASSERT_TRUE(first);
    const std::string before = read_bytes(key());
    auto second = store::AuditKey::create(key().string());
    ASSERT_TRUE(second) << second.error().describe(true);
    EXPECT_EQ(read_bytes(key()), before);
    EXPECT_EQ(second->mac(sample_entry()), first->mac(sample_entry()));
}

TEST_F(AuditKeyFile, AMissingFileIsNoKeyNotAnError) {
    auto loaded = store::AuditKey::load(key().string());
    ASSERT_TRUE(loaded);
    EXPECT_FALSE(*loaded);
}

TEST_F(AuditKeyFile, AFileOthersMayReadIsRefused) {
    ASSERT_TRUE(store::AuditKey::create(key().string()));
    fs::permissions(key(), fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                               fs::perms::others_read);
    auto loaded = store::AuditKey::load(key().string());
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().code, "audit.key_mode");
    EXPECT_NE(loaded.error().message_en.find("0644"), std::string::npos)
        << loaded.error().message_en;
    fs::permissions(key(), fs::perms::owner_read | fs::perms::owner_write);  // 0600 is fine
    EXPECT_TRUE(store::AuditKey::load(key().string()));
}

TEST_F(AuditKeyFile, ASymbolicLinkIsRefused) {
    ASSERT_TRUE(store::AuditKey::create(key().string()));
    fs::create_symlink(key(), dir_ / "link.auditkey");
    auto loaded = store::AuditKey::load((dir_ / "link.auditkey").string());
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().code, "audit.key_symlink");
}

TEST_F(AuditKeyFile, AFileThatIsNot64HexDigitsIsRefused) {
    {
        std::ofstream out(key());
        out << "not a key\n";
    }
    fs::permissions(key(), fs::perms::owner_read);
    auto loaded = store::AuditKey::load(key().string());
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().code, "audit.key_format");
}

TEST(AuditMac, DependsOnTheKeyAndOnEveryFieldWithoutAmbiguity) {
    auto a = store::AuditKey::ephemeral();
    auto b = store::AuditKey::ephemeral();
    ASSERT_TRUE(a && b);
    const store::AuditEntry e = sample_entry();
    EXPECT_NE(a->mac(e), b->mac(e));
    // Moving a byte from one field to the next changes the input (length prefixes).
    store::AuditEntry moved = e;
    moved.action = "user.ad";
    moved.object = "duser:x";
    EXPECT_NE(store::audit_mac_input(moved), store::audit_mac_input(e));
    EXPECT_NE(a->mac(moved), a->mac(e));
    for (auto field : {&store::AuditEntry::at, &store::AuditEntry::actor,
                       &store::AuditEntry::detail, &store::AuditEntry::prev_hash}) {
        store::AuditEntry changed = e;
        changed.*field += "x";
        EXPECT_NE(a->mac(changed), a->mac(e));
    }
    store::AuditEntry other_seq = e;
    other_seq.seq = 8;
    EXPECT_NE(a->mac(other_seq), a->mac(e));
}

class AuditChainStore : public SqliteStoreTest {
protected:
    std::string db() const { return path_.string(); }
    std::unique_ptr<store::WorkflowStore> workflow() {
        auto w = store::open_workflow_store(db());
        EXPECT_TRUE(w) << w.error().describe(true);
        return w ? std::move(*w) : nullptr;
    }
    std::vector<store::AuditEntry> entries() {
        auto w = workflow();
        auto es = w->audit_entries();
        EXPECT_TRUE(es);
        return es ? *es : std::vector<store::AuditEntry>{};
    }
};

TEST_F(AuditChainStore, EveryWriteAppendsItsHeadToTheHeadFileAfterTheCommit) {
    import(sample_registry(), sample_events());
    const fs::path key = db() + ".auditkey";
    const fs::path head_file = db() + ".audithead";
    ASSERT_TRUE(fs::exists(key));
    EXPECT_EQ(mode_of(key), 0400U);
    auto heads = store::read_heads(head_file.string());
    ASSERT_TRUE(heads && *heads);
    ASSERT_EQ((*heads)->size(), 1U);  // one line per write transaction
    const auto es = entries();
    ASSERT_FALSE(es.empty());
    EXPECT_EQ((*heads)->back().seq, es.back().seq);
    EXPECT_EQ((*heads)->back().mac, es.back().hash);
    // Each entry is MACed with the key file's key and links to the previous MAC.
    auto k = store::AuditKey::load(key.string());
    ASSERT_TRUE(k && *k);
    std::string prev(store::kAuditGenesis);
    for (const auto& e : es) {
        EXPECT_EQ(e.prev_hash, prev);
        EXPECT_EQ(e.hash, (*k)->mac(e)) << e.seq;
        prev = e.hash;
    }
    // A re-import that changes nothing writes no entry and no line.
    import(sample_registry(), sample_events());
    EXPECT_EQ((*store::read_heads(head_file.string()))->size(), 1U);
}

TEST_F(AuditChainStore, AWriteIsRefusedWhenTheKeyFileOfAKeyedLogIsMissing) {
    import(sample_registry(), sample_events());
    const auto before = entries();
    fs::remove(db() + ".auditkey");
    store_.reset();
    store_ = open();
    Registry changed = sample_registry();
    changed.people.front().full_name += " Mới";
    auto r = store_->import_registry(changed, sample_events(), "tester", "test");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "audit.key_missing");
    EXPECT_FALSE(fs::exists(db() + ".auditkey")) << "no new key for a keyed log";
    EXPECT_EQ(entries().size(), before.size());
    EXPECT_EQ(load().people.front().full_name, sample_registry().people.front().full_name);
    auto seal = workflow()->audit_seal();
    ASSERT_FALSE(seal);
    EXPECT_EQ(seal.error().code, "audit.key_missing");
}

TEST_F(AuditChainStore, AWriteIsRefusedWhenTheLogIsShorterThanTheHeadFile) {
    import(sample_registry(), sample_events());
    store_.reset();
    execute_sql(path_,
                "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log; DELETE FROM audit_head;");
    store_ = open();
    Registry changed = sample_registry();
    changed.people.front().full_name += " Mới";
    auto r = store_->import_registry(changed, sample_events(), "tester", "test");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "audit.log_shorter");
    EXPECT_TRUE(entries().empty());
}

// A database written by kyso at schema 6 (entries hashed without a key, no key file) keeps
// its entries; migration 0007 records where the keyed chain starts and the first keyed entry
// links to the last unkeyed hash.
TEST_F(AuditChainStore, AnUpgradedLogKeepsItsUnkeyedEntriesAndKeysTheNextOnes) {
    import(sample_registry(), sample_events());
    store_.reset();
    // Back to schema 6 (0006 kept: it may change other tables) with the entries rewritten as
    // kyso hashed them before 0007.
    execute_sql(path_,
                "DROP TABLE audit_chain; DELETE FROM schema_migrations WHERE version >= 7;"
                "DROP TRIGGER audit_log_no_update;"
                // 0008 goes too, so that it runs again cleanly.
                "DROP TABLE sessions; DROP TABLE api_tokens; DROP TABLE sign_in_failures;"
                "DROP INDEX users_person; ALTER TABLE users DROP COLUMN person_id;");
    {
        std::string prev(store::kAuditGenesis);
        std::string sql;
        for (store::AuditEntry e : raw_entries(path_)) {
            e.prev_hash = prev;
            e.hash = store::audit_hash(e);
            prev = e.hash;
            sql += "UPDATE audit_log SET prev_hash = '" + e.prev_hash + "', hash = '" + e.hash +
                   "' WHERE seq = " + std::to_string(e.seq) + ";";
            sql += "UPDATE audit_head SET hash = '" + e.hash + "';";
        }
        sql +=
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT "
            "RAISE(ABORT, 'audit_log is append-only'); END;";
        execute_sql(path_, sql.c_str());
    }
    fs::remove(db() + ".auditkey");
    fs::remove(db() + ".audithead");
    const auto legacy = raw_entries(path_);
    ASSERT_FALSE(legacy.empty());

    store_ = open();  // migration 0007 runs (and those after it)
    EXPECT_EQ(store_->schema_version().value(), store::sqlite_migrations().back().version);
    auto seal = workflow()->audit_seal();
    ASSERT_TRUE(seal) << seal.error().describe(true);
    EXPECT_EQ(seal->keyed_from, legacy.back().seq + 1);
    EXPECT_FALSE(seal->mac) << "no key before the first keyed write";

    Registry changed = sample_registry();
    changed.people.front().full_name += " Mới";
    auto r = store_->import_registry(changed, sample_events(), "tester", "test");
    ASSERT_TRUE(r) << r.error().describe(true);
    const auto all = entries();
    ASSERT_GT(all.size(), legacy.size());
    const store::AuditEntry& first_keyed = all[legacy.size()];
    EXPECT_EQ(first_keyed.seq, legacy.back().seq + 1);
    EXPECT_EQ(first_keyed.prev_hash, legacy.back().hash);
    auto k = store::AuditKey::load(db() + ".auditkey");
    ASSERT_TRUE(k && *k);
    EXPECT_EQ(first_keyed.hash, (*k)->mac(first_keyed));
    EXPECT_NE(first_keyed.hash, store::audit_hash(first_keyed));
    for (std::size_t i = 0; i < legacy.size(); ++i) EXPECT_EQ(all[i].hash, legacy[i].hash);
}

}  // namespace

}  // namespace kyso::store_test
