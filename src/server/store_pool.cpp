// kyso server — sets of store connections lent to requests (store_pool.h).
#include "server/store_pool.h"

#include "store/account_store.h"
#include "store/job_store.h"
#include "store/registry_query.h"
#include "store/store.h"
#include "store/workflow_store.h"

namespace kyso::server {

struct StorePool::Set {
    std::unique_ptr<store::Store> registry;
    std::unique_ptr<store::WorkflowStore> workflow;
    std::unique_ptr<store::AccountStore> accounts;
    std::unique_ptr<store::RegistryQuery> query;
    std::unique_ptr<store::JobStore> jobs;
};

StorePool::StorePool(std::string db) : db_(std::move(db)) {}
StorePool::~StorePool() = default;

StorePool::Lease::Lease(StorePool& pool, std::unique_ptr<Set> set)
    : pool_(&pool), set_(std::move(set)) {}

StorePool::Lease::Lease(Lease&& other) noexcept : pool_(other.pool_), set_(std::move(other.set_)) {}

StorePool::Lease::~Lease() {
    if (!set_) return;
    const std::lock_guard lock(pool_->mu_);
    pool_->free_.push_back(std::move(set_));
}

Stores StorePool::Lease::stores() const {
    return Stores{set_->registry.get(), set_->workflow.get(), set_->accounts.get(),
                  set_->query.get(), set_->jobs.get()};
}

Result<StorePool::Lease> StorePool::take() {
    {
        const std::lock_guard lock(mu_);
        if (!free_.empty()) {
            std::unique_ptr<Set> set = std::move(free_.back());
            free_.pop_back();
            return Lease(*this, std::move(set));
        }
    }
    // Opened outside the lock: a new connection (and its migration check) takes a while.
    auto set = std::make_unique<Set>();
    auto r = store::open_store(db_);
    if (!r) return r.error();
    set->registry = std::move(*r);
    auto w = store::open_workflow_store(db_);
    if (!w) return w.error();
    set->workflow = std::move(*w);
    auto a = store::open_account_store(db_);
    if (!a) return a.error();
    set->accounts = std::move(*a);
    auto q = store::open_registry_query(db_);
    if (!q) return q.error();
    set->query = std::move(*q);
    auto j = store::open_job_store(db_);
    if (!j) return j.error();
    set->jobs = std::move(*j);
    const std::lock_guard lock(mu_);
    ++opened_;
    return Lease(*this, std::move(set));
}

std::size_t StorePool::size() const {
    const std::lock_guard lock(mu_);
    return opened_;
}

}  // namespace kyso::server
