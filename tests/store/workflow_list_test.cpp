// Tests: the workflow lists run in the database on both back-ends (store/workflow_query.h):
// requests, batches, custody records, audit entries and users by page, filtered, sorted and
// bounded to an organization subtree; and the subtree check of one organization
// (WorkflowStore::org_within), cycles in bad data included.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/workflow_query.h"
#include "store_fixture.h"
#include "store_test_data.h"

using namespace kyso;
using namespace kyso::store_test;

namespace {

class WorkflowListTest : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (IsSkipped()) return;
        // UBT is the root; STC and HUYEN are under it.
        import(sample_registry(), sample_events());
        wf_ = workflow();
        ASSERT_NE(wf_, nullptr);
    }
    void TearDown() override {
        wf_.reset();
        StoreTest::TearDown();
    }

    static Request request(const std::string& key, const std::string& org) {
        Request r;
        r.kind = key.rfind("renew", 0) == 0 ? RequestKind::renew : RequestKind::revoke;
        r.state = RequestState::draft;
        r.managing_org_id = org;
        r.holder_type = "person";
        r.holder_id = "p1";
        r.certificate = "0A1B";
        r.plan_key = key;
        return r;
    }
    // Three requests of STC, two of UBT; their ids in order.
    std::vector<std::int64_t> five_requests() {
        auto ids = wf_->add_requests(
            {request("revoke:1", "STC"), request("renew:2", "UBT"), request("revoke:3", "STC"),
             request("renew:4", "STC"), request("revoke:5", "UBT")},
            "canbo");
        EXPECT_TRUE(ids) << ids.error().describe(true);
        return ids ? *ids : std::vector<std::int64_t>{};
    }
    static std::vector<std::int64_t> ids_of(const store::ListPage<Request>& p) {
        std::vector<std::int64_t> out;
        for (const auto& r : p.items) out.push_back(r.id);
        return out;
    }
    store::ListPage<Request> requests(const store::RequestQuery& q) {
        auto p = wf_->list_requests(q);
        EXPECT_TRUE(p) << p.error().describe(true);
        return p ? *p : store::ListPage<Request>{};
    }

    std::unique_ptr<store::WorkflowStore> wf_;
};
KYSO_STORE_BACKENDS(WorkflowListTest);

TEST_P(WorkflowListTest, RequestsComeByPageWithTheTotalOverAllPages) {
    const auto ids = five_requests();
    ASSERT_EQ(ids.size(), 5u);
    store::RequestQuery q;
    q.page_size = 2;
    auto first = requests(q);
    EXPECT_EQ(first.total, 5);
    EXPECT_EQ(ids_of(first), (std::vector<std::int64_t>{ids[0], ids[1]}));
    q.page = 3;
    auto last = requests(q);
    EXPECT_EQ(last.total, 5);
    EXPECT_EQ(ids_of(last), std::vector<std::int64_t>{ids[4]});
    EXPECT_EQ(last.page, 3);
    EXPECT_EQ(last.page_size, 2);
    q.page = 4;
    EXPECT_TRUE(requests(q).items.empty());
    // Newest first, and by another key with the id breaking ties.
    store::RequestQuery d;
    d.descending = true;
    EXPECT_EQ(ids_of(requests(d)).front(), ids[4]);
    d.sort = "kind";
    d.descending = false;
    EXPECT_EQ(ids_of(requests(d)), (std::vector<std::int64_t>{ids[1], ids[3], ids[0], ids[2],
                                                              ids[4]}));  // renew < revoke
}

TEST_P(WorkflowListTest, RequestsAreFilteredAndBoundToTheCallersSubtree) {
    const auto ids = five_requests();
    ASSERT_EQ(ids.size(), 5u);
    Request moved = **wf_->request(ids[2]);
    moved.state = RequestState::validated;
    ASSERT_TRUE(wf_->transition(moved, RequestState::draft, "canbo", "ok"));

    store::RequestQuery stc;
    stc.scope = "STC";
    EXPECT_EQ(ids_of(requests(stc)), (std::vector<std::int64_t>{ids[0], ids[2], ids[3]}));
    store::RequestQuery root;
    root.scope = "UBT";
    EXPECT_EQ(requests(root).total, 5);
    root.org_subtree = "STC";  // the subtree asked for, within the scope
    EXPECT_EQ(requests(root).total, 3);
    store::RequestQuery other;
    other.scope = "HUYEN";
    EXPECT_EQ(requests(other).total, 0);
    other.scope = "no-such-org";
    EXPECT_EQ(requests(other).total, 0);

    store::RequestQuery state;
    state.state = RequestState::validated;
    EXPECT_EQ(ids_of(requests(state)), std::vector<std::int64_t>{ids[2]});
    store::RequestQuery kind;
    kind.kind = RequestKind::renew;
    kind.scope = "STC";
    EXPECT_EQ(ids_of(requests(kind)), std::vector<std::int64_t>{ids[3]});
    store::RequestQuery exact;
    exact.managing_org_id = "UBT";
    EXPECT_EQ(ids_of(requests(exact)), (std::vector<std::int64_t>{ids[1], ids[4]}));
}

TEST_P(WorkflowListTest, ABadPageSortOrSearchIsRefusedNamingTheParameter) {
    store::RequestQuery q;
    q.sort = "password_hash";
    auto bad = wf_->list_requests(q);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "store.invalid_query");
    EXPECT_EQ(bad.error().where.field, "sort");
    store::RequestQuery big;
    big.page_size = store::kMaxPageSize + 1;
    auto too_big = wf_->list_requests(big);
    ASSERT_FALSE(too_big);
    EXPECT_EQ(too_big.error().where.field, "page_size");
    store::UserQuery zero;
    zero.page = 0;
    EXPECT_FALSE(wf_->list_users(zero));
    store::BatchQuery search;
    search.search = "x";
    EXPECT_FALSE(wf_->list_batches(search));
    store::AuditQuery scoped;
    scoped.scope = "STC";  // the log is not split by organization
    auto audit = wf_->list_audit(scoped);
    ASSERT_FALSE(audit);
    EXPECT_EQ(audit.error().code, "store.invalid_query");
    // SQL in a value is a value.
    store::RequestQuery sneaky;
    sneaky.scope = "STC') OR 1=1 --";
    sneaky.managing_org_id = "x' OR '1'='1";
    five_requests();
    EXPECT_EQ(requests(sneaky).total, 0);
}

TEST_P(WorkflowListTest, BatchesCustodyAuditAndUsersAreListedInTheDatabase) {
    const auto ids = five_requests();
    ASSERT_EQ(ids.size(), 5u);
    store::Batch b;
    b.org_id = "STC";
    b.kind = RequestKind::revoke;
    b.form = "mau-05";
    b.level = "organization";
    auto stc_batch = wf_->create_batch(b, {ids[0]}, "canbo");
    ASSERT_TRUE(stc_batch) << stc_batch.error().describe(true);
    b.org_id = "UBT";
    auto ubt_batch = wf_->create_batch(b, {ids[1]}, "canbo");
    ASSERT_TRUE(ubt_batch) << ubt_batch.error().describe(true);
    store::BatchQuery bq;
    bq.scope = "STC";
    auto batches = wf_->list_batches(bq);
    ASSERT_TRUE(batches) << batches.error().describe(true);
    ASSERT_EQ(batches->total, 1);
    EXPECT_EQ(batches->items[0].id, *stc_batch);
    bq.scope.clear();
    bq.descending = true;
    EXPECT_EQ(wf_->list_batches(bq)->items.front().id, *ubt_batch);
    bq.org_id = "STC";
    EXPECT_EQ(wf_->list_batches(bq)->total, 1);

    // Custody: a record of an STC request, one of a UBT request, one of no request.
    store::CustodyRecord c;
    c.device_id = "d1";
    c.step = store::CustodyStep::to_organization;
    c.from_party = "p1";
    c.to_party = "STC";
    c.handed_by = "Nguyễn Văn An";
    c.received_by = "Văn thư";
    c.handed_on = "2025-08-02";
    c.request_id = ids[0];
    store::CustodyRecord u = c;
    u.device_id = "d2";
    u.request_id = ids[1];
    u.handed_on = "2025-08-01";
    store::CustodyRecord none = c;
    none.device_id = "d3";
    none.request_id = 0;
    none.step = store::CustodyStep::to_dost;
    ASSERT_TRUE(wf_->add_custody({c, u, none}, "canbo"));
    store::CustodyQuery cq;
    EXPECT_EQ(wf_->list_custody(cq)->total, 3);
    EXPECT_EQ(wf_->list_custody(cq)->items.front().device_id, "d1");  // by device
    cq.sort = "handed_on";
    EXPECT_EQ(wf_->list_custody(cq)->items.front().device_id, "d2");
    cq.scope = "STC";
    auto mine = wf_->list_custody(cq);
    ASSERT_TRUE(mine) << mine.error().describe(true);
    ASSERT_EQ(mine->total, 1);
    EXPECT_EQ(mine->items[0].request_id, ids[0]);
    cq.scope = "UBT";
    EXPECT_EQ(wf_->list_custody(cq)->total, 2);  // a record of no request is in no subtree
    store::CustodyQuery step;
    step.step = store::CustodyStep::to_dost;
    EXPECT_EQ(wf_->list_custody(step)->items.at(0).device_id, "d3");

    // Users: one of global scope, one in STC, one in UBT.
    User admin{0, "quantri", "Quản trị", Role::admin, "", "", false};
    User officer{0, "canbo", "Cán bộ", Role::unit_officer, "STC", "", false};
    User head{0, "thutruong", "Thủ trưởng", Role::unit_head, "UBT", "", false};
    for (const User& x : {admin, officer, head}) ASSERT_TRUE(wf_->add_user(x, "h", "setup"));
    store::UserQuery uq;
    EXPECT_EQ(wf_->list_users(uq)->total, 3);
    uq.scope = "STC";
    auto stc_users = wf_->list_users(uq);
    ASSERT_TRUE(stc_users) << stc_users.error().describe(true);
    ASSERT_EQ(stc_users->total, 1);
    EXPECT_EQ(stc_users->items[0].username, "canbo");
    uq.scope = "UBT";
    uq.sort = "username";
    uq.descending = true;
    auto ubt_users = wf_->list_users(uq);
    ASSERT_EQ(ubt_users->total, 2);  // the global administrator is in no subtree
    EXPECT_EQ(ubt_users->items[0].username, "thutruong");
    store::UserQuery role;
    role.role = Role::admin;
    EXPECT_EQ(wf_->list_users(role)->items.at(0).username, "quantri");

    // Audit: newest first, by actor, by action prefix, by object.
    store::AuditQuery aq;
    aq.descending = true;
    aq.page_size = 1;
    auto newest = wf_->list_audit(aq);
    ASSERT_TRUE(newest) << newest.error().describe(true);
    EXPECT_EQ(newest->items.at(0).seq, wf_->audit_head()->first);
    EXPECT_EQ(newest->total, static_cast<std::int64_t>(wf_->audit_entries()->size()));
    store::AuditQuery by_actor;
    by_actor.actor = "setup";
    EXPECT_EQ(wf_->list_audit(by_actor)->total, 3);
    store::AuditQuery by_action;
    by_action.action = "custody.";
    EXPECT_EQ(wf_->list_audit(by_action)->total, 3);
    by_action.action = "custody.to_dost";
    EXPECT_EQ(wf_->list_audit(by_action)->total, 1);
    store::AuditQuery by_object;
    by_object.object = "device:d2";
    EXPECT_EQ(wf_->list_audit(by_object)->total, 1);
}

TEST_P(WorkflowListTest, AnOrganizationIsWithinTheSubtreesAboveItOnly) {
    auto within = [&](const char* org, const char* root) {
        auto w = wf_->org_within(org, root);
        EXPECT_TRUE(w) << w.error().describe(true);
        return w && *w;
    };
    EXPECT_TRUE(within("STC", "UBT"));
    EXPECT_TRUE(within("STC", "STC"));
    EXPECT_TRUE(within("STC", ""));
    EXPECT_TRUE(within("HUYEN", "UBT"));
    EXPECT_FALSE(within("UBT", "STC"));
    EXPECT_FALSE(within("HUYEN", "STC"));
    EXPECT_FALSE(within("no-such-org", "UBT"));
    // A cycle in bad data ends the walk (and the lists' subtree) instead of looping.
    ASSERT_EQ(raw_sql("UPDATE org_versions SET superior_id = 'STC' WHERE org_id = 'UBT'"), "");
    EXPECT_FALSE(within("STC", "HUYEN"));
    EXPECT_TRUE(within("UBT", "STC"));
    five_requests();
    store::RequestQuery q;
    q.scope = "STC";
    EXPECT_EQ(requests(q).total, 5);
}

}  // namespace
