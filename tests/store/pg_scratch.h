// Tests: a throwaway PostgreSQL database on the server named by KYSO_TEST_PG
// (scripts/pg-test-server.sh), for the store tests and the CLI tests alike.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <pqxx/pqxx>
#include <random>
#include <string>

#include "store/postgres/connection.h"

namespace kyso::store_test {

// The server of KYSO_TEST_PG; "" when unset.
inline std::string test_pg_server() {
    const char* v = std::getenv("KYSO_TEST_PG");
    return v != nullptr ? v : "";
}

// A throwaway PostgreSQL database on the KYSO_TEST_PG server: created by the constructor,
// dropped (with any connection still open to it) by the destructor.
class ScratchDatabase {
public:
    explicit ScratchDatabase(std::string server) : server_(std::move(server)) {
        std::random_device rd;
        name_ = "kyso_t_" + std::to_string(rd()) + std::to_string(rd() % 1000);
        pqxx::connection admin(server_);
        pqxx::nontransaction tx(admin);
        tx.exec("CREATE DATABASE " + tx.quote_name(name_));
    }
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;
    ~ScratchDatabase() {
        try {
            pqxx::connection admin(server_);
            pqxx::nontransaction tx(admin);
            tx.exec("DROP DATABASE IF EXISTS " + tx.quote_name(name_) + " WITH (FORCE)");
        } catch (const std::exception& e) {
            ADD_FAILURE() << "cannot drop " << name_ << ": " << e.what();
        }
    }
    [[nodiscard]] std::string location() const {
        return store::postgres::with_database(server_, name_);
    }
    [[nodiscard]] const std::string& name() const { return name_; }

private:
    std::string server_;
    std::string name_;
};

}  // namespace kyso::store_test
