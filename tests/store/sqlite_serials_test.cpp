// Tests: migration 0004 — stored certificate serials become integers in openssl's form, rows
// that were one certificate under two spellings are merged, and disagreeing ones are refused.
#include <gtest/gtest.h>

#include <string>

#include "sqlite_fixture.h"
#include "store/migrations/migration.h"
#include "store_test_data.h"

using namespace kyso;
using namespace kyso::store_test;

namespace {

// One text value from the database file, read behind the store's back ("" when no row).
std::string query_text(const fs::path& path, const std::string& sql) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt* st = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != nullptr) {
        out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
}

// A certificate row as older kyso versions stored it (serial as written).
std::string cert_row(const std::string& serial, const std::string& holder_type,
                     const std::string& holder_id, const std::string& extra_columns = "",
                     const std::string& extra_values = "") {
    return "INSERT INTO certificates (serial, holder_type, holder_id, subject_text, subject_rdns, "
           "not_before, not_after, not_after_date, status" +
           extra_columns + ") VALUES ('" + serial + "', '" + holder_type + "', '" + holder_id +
           "', 'CN=X', '2:CN1:X', '2024-03-01', '2027-03-01', '2027-03-01', 'valid'" +
           extra_values + ");";
}

}  // namespace

class SerialMigration : public SqliteStoreTest {
protected:
    // Writes `sql` as a version-3 database would hold it, then opens it: migration 0004 runs.
    Result<std::unique_ptr<store::Store>> upgrade(const std::string& sql) {
        import(sample_registry(), sample_events());
        store_.reset();
        // Back to version 3: later migrations' columns go too, so they run again cleanly.
        execute_sql(
            path_, (sql + "ALTER TABLE org_versions DROP COLUMN admin_unit;"
                          "ALTER TABLE users DROP COLUMN disabled;"
                          "ALTER TABLE custody DROP COLUMN dost_org_id;"
                          "DROP TABLE audit_chain;"
                          "DROP TABLE sessions; DROP TABLE api_tokens; DROP TABLE sign_in_failures;"
                          "DROP INDEX users_person; ALTER TABLE users DROP COLUMN person_id;"
                          "DELETE FROM schema_migrations WHERE version >= 4;")
                       .c_str());
        return store::sqlite::open_sqlite_store(path_.string());
    }
    std::string text(const std::string& sql) const { return query_text(path_, sql); }
};

TEST_F(SerialMigration, MergesRowsThatAreTheSameIntegerAndRenamesTheRest) {
    // The bundle's 009F00AA (holder p1, no file) and the file's 9F00AA (unlinked, with DER),
    // a bundle's odd-length 7277F52, and requests naming them.
    const std::string sql =
        cert_row("009F00AA", "person", "p1", ", pem", ", 'huong.pem'") +
        cert_row("9F00AA", "person", "", ", der, sha256_cert, issuer_text",
                 ", X'3003020105', 'abc', 'CN=CA'") +
        cert_row("7277F52", "person", "p2", ", replaces_serial", ", '009f00aa'") +
        "INSERT INTO requests (kind, state, managing_org_id, certificate, plan_key, created_by, "
        "created_at) VALUES ('revoke', 'draft', 'STC', '7277F52', 'revoke:7277F52', 'x', "
        "'2025-01-01T00:00:00Z');";
    auto reopened = upgrade(sql);
    ASSERT_TRUE(reopened) << reopened.error().describe(true);
    store_ = std::move(*reopened);
    EXPECT_EQ(store_->schema_version().value(), store::sqlite_migrations().back().version);

    const Registry reg = load();
    const Certificate* merged = reg.certificate("9F00AA");
    ASSERT_NE(merged, nullptr);
    EXPECT_EQ(merged->holder, (HolderRef{HolderType::person, "p1"}));  // from the bundle's row
    EXPECT_EQ(merged->sha256_cert, "abc");                             // from the file's row
    EXPECT_EQ(merged->der.size(), 5U);
    EXPECT_EQ(merged->pem, "huong.pem");
    EXPECT_EQ(reg.certificate("009F00AA"), nullptr);
    const Certificate* odd = reg.certificate("07277F52");
    ASSERT_NE(odd, nullptr);
    EXPECT_EQ(odd->holder.id, "p2");
    EXPECT_EQ(odd->replaces_serial, "9F00AA");
    EXPECT_EQ(reg.certificates.size(), sample_registry().certificates.size() + 2);
    EXPECT_EQ(text("SELECT certificate FROM requests"), "07277F52");
    EXPECT_EQ(text("SELECT plan_key FROM requests"), "revoke:07277F52");
    // Already normal serials are untouched.
    EXPECT_NE(reg.certificate("0A1B"), nullptr);
}

TEST_F(SerialMigration, KeepsARevocationAndTheDeviceOfEitherRow) {
    const std::string sql =
        cert_row("00FF01", "person", "", ", device_id, revoked_on, revocation_reason",
                 ", 'd1', '2025-02-01', 'superseded'") +
        "UPDATE certificates SET status = 'revoked' WHERE serial = '00FF01';" +
        cert_row("FF01", "person", "p1");
    auto reopened = upgrade(sql);
    ASSERT_TRUE(reopened) << reopened.error().describe(true);
    store_ = std::move(*reopened);
    const Registry reg = load();
    const Certificate* c = reg.certificate("FF01");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->holder.id, "p1");
    EXPECT_EQ(c->device_id, "d1");
    EXPECT_EQ(c->status, CertStatus::revoked);
    EXPECT_EQ(text("SELECT revocation_reason FROM certificates WHERE serial = 'FF01'"),
              "superseded");
    EXPECT_EQ(text("SELECT count(*) FROM certificates WHERE serial IN ('FF01', '00FF01')"), "1");
}

TEST_F(SerialMigration, RefusesRowsWithDifferentHoldersAndChangesNothing) {
    const std::string sql =
        cert_row("009F00AA", "person", "p1") + cert_row("9F00AA", "person", "p2");
    auto reopened = upgrade(sql);
    ASSERT_FALSE(reopened);
    EXPECT_EQ(reopened.error().code, "store.migration");
    const std::string why = reopened.error().describe(true);
    EXPECT_NE(why.find("009F00AA"), std::string::npos) << why;
    EXPECT_NE(why.find("9F00AA"), std::string::npos) << why;
    EXPECT_NE(why.find("person:p2"), std::string::npos) << why;
    // The schema stays at version 3 with both rows as they were.
    EXPECT_EQ(text("SELECT max(version) FROM schema_migrations"), "3");
    EXPECT_EQ(text("SELECT count(*) FROM certificates WHERE serial IN ('009F00AA', '9F00AA')"),
              "2");
}

TEST_F(SerialMigration, SqlRefusesConflictsEvenWithoutTheCheck) {
    // The trigger inside 0004 is the safety net for the C++ check: run the SQL by hand.
    import(sample_registry(), sample_events());
    store_.reset();
    execute_sql(path_, (cert_row("0A1C", "person", "p1") + cert_row("000A1C", "org", "STC") +
                        "DELETE FROM schema_migrations WHERE version >= 4;")
                           .c_str());
    std::string sql;
    for (const auto& m : store::sqlite_migrations()) {
        if (m.version == 4) sql = std::string(m.sql);
    }
    ASSERT_FALSE(sql.empty());
    RawConnection db(path_);
    EXPECT_NE(db.exec(("BEGIN;" + sql).c_str()).find("same integer"), std::string::npos);
}
