// kyso server — the store connections of the requests being handled: sets of one registry,
// workflow, account, list and job store on the database, each lent to one request at a time and
// kept for the next. The server lets at most a few requests be handled at once (server/gate.h),
// so a few sets serve any number of client connections: on PostgreSQL the database connections
// no longer grow with the clients, and on SQLite a write makes only those few connections drop
// their page cache (in WAL mode a reader whose snapshot changed reads its pages again).
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"
#include "server/route.h"

namespace kyso::server {

class StorePool {
    struct Set;

public:
    // Sets on the database `db` (a SQLite path or a PostgreSQL URI), opened when first needed.
    explicit StorePool(std::string db);
    ~StorePool();
    StorePool(const StorePool&) = delete;
    StorePool& operator=(const StorePool&) = delete;

    // One set lent for the lease's life, then given back (to the same pool, which must outlive
    // it). Used by one thread at a time (SQLite and libpqxx connections are not shared).
    class Lease {
    public:
        Lease(StorePool& pool, std::unique_ptr<Set> set);
        ~Lease();
        Lease(Lease&&) noexcept;
        Lease& operator=(Lease&&) = delete;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        [[nodiscard]] Stores stores() const;

    private:
        StorePool* pool_;
        std::unique_ptr<Set> set_;
    };

    // A free set, or a new one when none is free. Errors: the store's own (e.g. store.open,
    // a migration's); nothing is kept from a set that failed to open, so the next request
    // tries again.
    Result<Lease> take();

    // Sets opened and kept (lent or free): the most requests that were handled at once.
    [[nodiscard]] std::size_t size() const;

private:
    std::string db_;
    mutable std::mutex mu_;
    std::vector<std::unique_ptr<Set>> free_;
    std::size_t opened_ = 0;
};

}  // namespace kyso::server
