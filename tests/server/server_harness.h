// kyso server tests — a real `kyso serve` in this process on 127.0.0.1 and an ephemeral port,
// over a database of demo data with one user per role, and an HTTP client that signs in as any
// of them. Every answer is recorded (route, status, body) to $KYSO_API_RECORD when set, for the
// OpenAPI check (scripts/check-openapi.mjs).
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

#include <nlohmann/json.hpp>

#include "core/registry.h"
#include "core/request.h"
#include "serve_process.h"
#include "server/server.h"
#include "store/store.h"
#include "store/workflow_store.h"

namespace kyso::server::test {

inline constexpr const char* kPassword = "mật khẩu đủ dài 2026";

struct Reply {
    int status = 0;  // 0: no answer (connection closed)
    nlohmann::json body;
    std::string raw;
    httplib::Headers headers;
    std::string header(const std::string& name) const;
    // The error's code and field, when the body is an error.
    std::string code() const;
    std::string field() const;
};

// Who calls: a cookie session with its CSRF token, an API token, or nobody.
struct Caller {
    std::string cookie;  // "kyso_session=…"
    std::string csrf;
    std::string bearer;
    std::string username;
};

// What fill_database made: the officer's and head's organization, a person of it and a valid
// certificate of that person.
struct Fixture {
    std::string org, person, serial;
};
// Fills the empty database at `db` (a SQLite path or a PostgreSQL location) with demo data
// (about `scale` certificates) and the users of every role (ServerFixture::users).
Fixture fill_database(const std::string& db, std::size_t scale);

// The test's PostgreSQL server (KYSO_TEST_PG, scripts/pg-test-server.sh), "" when not given.
std::string test_pg_server();

class ServerFixture {
public:
    // A fresh database in a temporary folder, filled with demo data (about `scale`
    // certificates) and the users of every role; the server started on it. With
    // KYSO_SERVER_TEST_PG=1 and KYSO_TEST_PG set, the database is a throwaway PostgreSQL
    // database on that server instead (the API tests on PostgreSQL).
    explicit ServerFixture(std::size_t scale = 60, ServerOptions options = {});
    ~ServerFixture();

    int port() const { return server_->port(); }
    const std::string& db() const { return db_; }
    const Registry& registry() const { return registry_; }

    // The users added: "admin", "auditor", "ca", "dost", "officer", "head", "outsider" (an
    // officer of another subtree), "head2" (a second head of the officer's organization).
    const std::map<std::string, User>& users() const { return users_; }
    // The organization of the officer and head (holds `person` and `serial`).
    const std::string& org() const { return org_; }
    const std::string& person() const { return person_; }
    const std::string& serial() const { return serial_; }  // a valid certificate of `person`

    // Signs in `username` with kPassword; fails the test when refused.
    Caller sign_in(const std::string& username);

    // One request. `body` null: none (or raw `raw_body` when given). Adds the caller's cookie,
    // CSRF token (unless `csrf` is false) or bearer token.
    Reply call(const std::string& method, const std::string& path, const Caller* who = nullptr,
               const nlohmann::json& body = nullptr, bool csrf = true,
               const httplib::Headers& extra = {}, const std::string* raw_body = nullptr);

    // Fresh handles on the database (for checking what a request changed).
    std::unique_ptr<store::WorkflowStore> workflow() const;
    // Every request, user and the audit log's length: what a refused call must leave as it was.
    std::string snapshot() const;

    // Stops the server (SIGTERM path: in-flight requests finish).
    void stop();

private:
    std::filesystem::path dir_;
    std::string db_;
    std::shared_ptr<void> pg_database_;  // the store_test::ScratchDatabase, when on PostgreSQL
    Registry registry_;
    std::map<std::string, User> users_;
    std::string org_, person_, serial_;
    std::unique_ptr<HttpServer> server_;
    std::thread thread_;
    bool stopped_ = false;
};

// Appends one answer to $KYSO_API_RECORD (JSON lines), when set.
void record(const std::string& method, const std::string& path, const Reply& reply);

}  // namespace kyso::server::test
