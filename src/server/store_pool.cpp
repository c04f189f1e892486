// kyso server — one set of store connections per worker thread.
#include "server/store_pool.h"

#include <map>
#include <memory>

#include "store/account_store.h"
#include "store/job_store.h"
#include "store/registry_query.h"
#include "store/store.h"
#include "store/workflow_store.h"

namespace kyso::server {

namespace {

struct Owned {
    std::unique_ptr<store::Store> registry;
    std::unique_ptr<store::WorkflowStore> workflow;
    std::unique_ptr<store::AccountStore> accounts;
    std::unique_ptr<store::RegistryQuery> query;
    std::unique_ptr<store::JobStore> jobs;
};

}  // namespace

Result<Stores> thread_stores(const std::string& db) {
    // Keyed by database: tests run several servers in one process.
    thread_local std::map<std::string, Owned> pool;
    Owned& o = pool[db];
    if (!o.registry) {
        auto r = store::open_store(db);
        if (!r) return r.error();
        o.registry = std::move(*r);
    }
    if (!o.workflow) {
        auto w = store::open_workflow_store(db);
        if (!w) return w.error();
        o.workflow = std::move(*w);
    }
    if (!o.accounts) {
        auto a = store::open_account_store(db);
        if (!a) return a.error();
        o.accounts = std::move(*a);
    }
    if (!o.query) {
        auto q = store::open_registry_query(db);
        if (!q) return q.error();
        o.query = std::move(*q);
    }
    if (!o.jobs) {
        auto j = store::open_job_store(db);
        if (!j) return j.error();
        o.jobs = std::move(*j);
    }
    return Stores{o.registry.get(), o.workflow.get(), o.accounts.get(), o.query.get(),
                  o.jobs.get()};
}

}  // namespace kyso::server
