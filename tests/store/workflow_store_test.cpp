// Tests: the WorkflowStore on both back-ends — users, requests and their moves, batches and
// letter numbers, custody, the audit chain — and what several connections (several `kyso
// serve` processes) writing at once must not break: a request moves once, letter numbers stay
// unique, the audit log stays one chain, only one first administrator.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/audit_key.h"
#include "store_fixture.h"
#include "store_test_data.h"

using namespace kyso;
using namespace kyso::store_test;

namespace {

class WorkflowStoreTest : public StoreTest {
protected:
    void SetUp() override {
        StoreTest::SetUp();
        if (IsSkipped()) return;
        import(sample_registry(), sample_events());
        wf_ = workflow();
        ASSERT_NE(wf_, nullptr);
    }
    void TearDown() override {
        wf_.reset();
        StoreTest::TearDown();
    }

    static User user(const char* name, Role role, const char* org = "") {
        User u;
        u.username = name;
        u.full_name = std::string("Người ") + name;
        u.role = role;
        u.org_id = org;
        return u;
    }
    static Request request(const std::string& key, const std::string& cert = "0A1B") {
        Request r;
        r.kind = RequestKind::revoke;
        r.state = RequestState::draft;
        r.managing_org_id = "STC";
        r.holder_type = "person";
        r.holder_id = "p1";
        r.certificate = cert;
        r.revocation_reason = "cessationOfOperation";
        r.plan_key = key;
        return r;
    }
    // Every entry links to the one before and carries the key's MAC: one chain, no fork.
    void expect_one_chain() {
        auto es = wf_->audit_entries();
        ASSERT_TRUE(es) << es.error().describe(true);
        auto key = store::AuditKey::load(key_file().string());
        ASSERT_TRUE(key && *key);
        std::string prev(store::kAuditGenesis);
        std::int64_t seq = 0;
        for (const auto& e : *es) {
            EXPECT_EQ(e.seq, ++seq);
            EXPECT_EQ(e.prev_hash, prev) << e.seq;
            EXPECT_EQ(e.hash, (*key)->mac(e)) << e.seq;
            prev = e.hash;
        }
        auto head = wf_->audit_head();
        ASSERT_TRUE(head);
        EXPECT_EQ(head->first, seq);
        EXPECT_EQ(head->second, prev);
    }

    std::unique_ptr<store::WorkflowStore> wf_;
};
KYSO_STORE_BACKENDS(WorkflowStoreTest);

TEST_P(WorkflowStoreTest, UsersAreAddedFoundChangedAndTheLastAdminStays) {
    auto admin = wf_->add_first_user(user("admin", Role::admin), "hash-a", "kyso-setup");
    ASSERT_TRUE(admin) << admin.error().describe(true);
    EXPECT_GT(admin->id, 0);
    auto again = wf_->add_first_user(user("other", Role::admin), "hash-b", "kyso-setup");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "store.users_exist");
    auto officer = wf_->add_user(user("canbo", Role::unit_officer, "STC"), "hash-c", "admin");
    ASSERT_TRUE(officer) << officer.error().describe(true);
    auto twice = wf_->add_user(user("canbo", Role::unit_head, "STC"), "hash-d", "admin");
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, "store.user_exists");

    auto found = wf_->find_user("canbo");
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->first.org_id, "STC");
    EXPECT_EQ((*found)->second, "hash-c");
    EXPECT_FALSE(*wf_->find_user("nobody"));

    store::UserChange c;
    c.disabled = true;
    EXPECT_TRUE(wf_->update_user("canbo", c, "admin"));
    EXPECT_TRUE((*wf_->find_user("canbo"))->first.disabled);
    store::UserChange pw;
    pw.password_hash = "hash-new";
    EXPECT_TRUE(wf_->update_user("canbo", pw, "admin"));
    EXPECT_EQ((*wf_->find_user("canbo"))->second, "hash-new");
    auto unknown = wf_->update_user("nobody", c, "admin");
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, "store.user_unknown");
    auto last = wf_->update_user("admin", c, "admin");
    ASSERT_FALSE(last);
    EXPECT_EQ(last.error().code, "store.last_admin");
    EXPECT_FALSE((*wf_->find_user("admin"))->first.disabled) << "rolled back";
    // An administrator of one subtree does not stand in for the last one of the whole register
    // (who alone can grant the whole register and reach every user).
    ASSERT_TRUE(wf_->add_user(user("admin_stc", Role::admin, "STC"), "hash-e", "admin"));
    auto scoped_only = wf_->update_user("admin", c, "admin");
    ASSERT_FALSE(scoped_only);
    EXPECT_EQ(scoped_only.error().code, "store.last_admin");
    store::UserChange narrower;
    narrower.org_id = "STC";
    EXPECT_EQ(wf_->update_user("admin", narrower, "admin").error().code, "store.last_admin");
    EXPECT_TRUE(wf_->update_user("admin_stc", c, "admin"));
    EXPECT_EQ(wf_->users()->size(), 3u);
    const auto logged = wf_->audit_entries();
    ASSERT_TRUE(logged);
    for (const auto& e : *logged)
        EXPECT_EQ(e.detail.find("hash-"), std::string::npos) << "no password hash in the log";
    expect_one_chain();
}

TEST_P(WorkflowStoreTest, RequestsFromAPlanAreCreatedOnceAndMoveWithTheirTransitions) {
    auto ids = wf_->add_requests({request("revoke:0A1B"), request("revoke:1F", "1F")}, "canbo");
    ASSERT_TRUE(ids) << ids.error().describe(true);
    ASSERT_EQ(ids->size(), 2u);
    auto again = wf_->add_requests({request("revoke:0A1B"), request("revoke:0C", "0C")}, "canbo");
    ASSERT_TRUE(again);
    ASSERT_EQ(again->size(), 1u) << "the stored plan_key is skipped";

    Request r = **wf_->request((*ids)[0]);
    EXPECT_EQ(r.certificate, "0A1B");
    EXPECT_EQ(r.created_by, "canbo");
    r.state = RequestState::validated;
    ASSERT_TRUE(wf_->transition(r, RequestState::draft, "canbo", "ok"));
    auto moved = wf_->transition(r, RequestState::draft, "canbo", "again");
    ASSERT_FALSE(moved);
    EXPECT_EQ(moved.error().code, "store.request_moved");
    auto trs = wf_->transitions(r.id);
    ASSERT_TRUE(trs);
    ASSERT_EQ(trs->size(), 1u);
    EXPECT_EQ((*trs)[0].to, RequestState::validated);

    store::RequestFilter f;
    f.state = RequestState::draft;
    EXPECT_EQ(wf_->requests(f)->size(), 2u);
    f.state.reset();
    f.managing_org_id = "STC";
    EXPECT_EQ(wf_->requests(f)->size(), 3u);
    EXPECT_FALSE(*wf_->request(999));

    // All or none: the second is not in `from`, so the first does not move either.
    Request a = **wf_->request((*ids)[1]);
    a.state = RequestState::validated;
    Request b = **wf_->request((*ids)[0]);
    b.state = RequestState::validated;
    auto all = wf_->transition_all({a, b}, RequestState::draft, "canbo", "");
    ASSERT_FALSE(all);
    EXPECT_EQ((*wf_->request(a.id))->state, RequestState::draft);
    expect_one_chain();
}

// A CA results file's rows (workflow/ca_results.h): one transaction, all or none; the error
// names the position of the step that failed.
TEST_P(WorkflowStoreTest, TransitionsEachWithItsCompletionAreAllOrNone) {
    auto ids = wf_->add_requests({request("revoke:0A1B")}, "canbo");
    ASSERT_TRUE(ids);
    Request r = **wf_->request(ids->front());
    for (const auto to : {RequestState::validated, RequestState::approved, RequestState::submitted,
                          RequestState::forwarded}) {
        const RequestState from = r.state;
        r.state = to;
        ASSERT_TRUE(wf_->transition(r, from, "x", ""));
    }
    Request done = r;
    done.state = RequestState::completed;
    done.completed_at = "2025-08-01T00:00:00Z";
    store::Completion c;
    c.revoked_on = "2025-08-01";
    // The same request twice: the second step finds it no longer forwarded.
    auto both =
        wf_->transition_each({{done, "ok", c}, {done, "again", c}}, RequestState::forwarded, "ca");
    ASSERT_FALSE(both);
    EXPECT_EQ(both.error().where.row, 2);
    EXPECT_EQ((*wf_->request(r.id))->state, RequestState::forwarded);
    EXPECT_EQ(load().certificate("0A1B")->status, CertStatus::valid);
    auto one = wf_->transition_each({{done, "ok", c}}, RequestState::forwarded, "ca");
    ASSERT_TRUE(one) << one.error().describe(true);
    EXPECT_EQ((*wf_->request(r.id))->state, RequestState::completed);
    EXPECT_EQ(load().certificate("0A1B")->status, CertStatus::revoked);
    expect_one_chain();
}

TEST_P(WorkflowStoreTest, CompletingARevocationRevokesTheCertificate) {
    auto ids = wf_->add_requests({request("revoke:0A1B")}, "canbo");
    ASSERT_TRUE(ids);
    Request r = **wf_->request(ids->front());
    for (const auto to : {RequestState::validated, RequestState::approved, RequestState::submitted,
                          RequestState::forwarded}) {
        const RequestState from = r.state;
        r.state = to;
        ASSERT_TRUE(wf_->transition(r, from, "x", ""));
    }
    r.state = RequestState::completed;
    r.completed_at = "2025-08-01T00:00:00Z";
    store::Completion c;
    c.revoked_on = "2025-08-01";
    auto done = wf_->transition(r, RequestState::forwarded, "ca", "", c);
    ASSERT_TRUE(done) << done.error().describe(true);
    const Registry reg = load();
    EXPECT_EQ(reg.certificate("0A1B")->status, CertStatus::revoked);
    expect_one_chain();
}

TEST_P(WorkflowStoreTest, BatchesTakeTheNextFreeLetterNumberOfTheirIssuer) {
    auto ids = wf_->add_requests({request("revoke:0A1B"), request("revoke:1F", "1F")}, "canbo");
    ASSERT_TRUE(ids);
    store::Batch b;
    b.org_id = "STC";
    b.kind = RequestKind::revoke;
    b.form = "mau-02";
    b.level = "organization";
    auto first = wf_->create_batch(b, {(*ids)[0]}, "canbo");
    ASSERT_TRUE(first) << first.error().describe(true);
    EXPECT_EQ((*wf_->batch(*first))->number, "1");
    EXPECT_EQ((*wf_->request((*ids)[0]))->batch_id, *first);
    auto taken = wf_->create_batch(b, {(*ids)[0]}, "canbo");
    ASSERT_FALSE(taken);
    EXPECT_EQ(taken.error().code, "store.request_batched");
    b.number = "01";
    auto same = wf_->create_batch(b, {(*ids)[1]}, "canbo");
    ASSERT_FALSE(same);
    EXPECT_EQ(same.error().code, "batch.number_taken");
    b.number.clear();
    auto second = wf_->create_batch(b, {(*ids)[1]}, "canbo");
    ASSERT_TRUE(second);
    EXPECT_EQ((*wf_->batch(*second))->number, "2");

    store::Batch p = b;
    p.level = "province";
    p.form = "mau-05";
    auto combined = wf_->combine_batches(p, {*first, *second}, "sokhcn");
    ASSERT_TRUE(combined) << combined.error().describe(true);
    EXPECT_EQ(wf_->child_batches(*combined)->size(), 2u);
    auto again = wf_->combine_batches(p, {*first}, "sokhcn");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "store.batch_combined");
    EXPECT_EQ(wf_->batches()->size(), 3u);
    expect_one_chain();
}

TEST_P(WorkflowStoreTest, CustodyRecordsAreKeptByDeviceDateAndId) {
    store::CustodyRecord c;
    c.device_id = "d1";
    c.step = store::CustodyStep::to_organization;
    c.from_party = "p1";
    c.to_party = "STC";
    c.handed_by = "Nguyễn Văn An";
    c.received_by = "Văn thư";
    c.handed_on = "2025-08-02";
    store::CustodyRecord d = c;
    d.step = store::CustodyStep::to_dost;
    d.handed_on = "2025-08-01";
    d.dost_org_id = "UBT";
    auto ids = wf_->add_custody({c, d}, "canbo");
    ASSERT_TRUE(ids) << ids.error().describe(true);
    ASSERT_EQ(ids->size(), 2u);
    auto all = wf_->custody("");
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[0].handed_on, "2025-08-01");
    EXPECT_EQ((*all)[0].dost_org_id, "UBT");
    EXPECT_EQ((*all)[1].request_id, 0);
    EXPECT_TRUE(wf_->custody("d2")->empty());
    EXPECT_TRUE(wf_->append_audit("canbo", "batch.render", "batch:1", "{}"));
    auto seal = wf_->audit_seal();
    ASSERT_TRUE(seal) << seal.error().describe(true);
    ASSERT_TRUE(seal->mac);
    ASSERT_TRUE(seal->heads);
    EXPECT_EQ(seal->heads->back().seq, wf_->audit_head()->first);
    expect_one_chain();
}

// Several processes approving the same requests at once: each request moves exactly once, the
// others are told it moved (store.request_moved), and every move is in the one audit chain.
TEST_P(WorkflowStoreTest, ConcurrentApprovalsMoveEachRequestOnce) {
    std::vector<Request> rs;
    for (int i = 0; i < 20; ++i) rs.push_back(request("k" + std::to_string(i), ""));
    auto ids = wf_->add_requests(rs, "canbo");
    ASSERT_TRUE(ids);
    constexpr int kWriters = 4;
    std::atomic<int> moved{0}, refused{0}, other{0};
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) {
        threads.emplace_back([&, w] {
            auto mine = store::open_workflow_store(location_);
            if (!mine) {
                ++other;
                return;
            }
            for (const auto id : *ids) {
                Request r;
                r.id = id;
                r.state = RequestState::validated;
                auto st =
                    (*mine)->transition(r, RequestState::draft, "writer" + std::to_string(w), "");
                if (st) {
                    ++moved;
                } else if (st.error().code == "store.request_moved") {
                    ++refused;
                } else {
                    ADD_FAILURE() << st.error().describe(true);
                    ++other;
                }
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(moved.load(), 20);
    EXPECT_EQ(refused.load(), 20 * (kWriters - 1));
    EXPECT_EQ(other.load(), 0);
    for (const auto id : *ids) EXPECT_EQ(wf_->transitions(id)->size(), 1u) << id;
    expect_one_chain();
}

// Batches made at once by several processes for one issuer get distinct letter numbers.
TEST_P(WorkflowStoreTest, ConcurrentBatchesGetDistinctLetterNumbers) {
    std::vector<Request> rs;
    for (int i = 0; i < 8; ++i) rs.push_back(request("b" + std::to_string(i), ""));
    auto ids = wf_->add_requests(rs, "canbo");
    ASSERT_TRUE(ids);
    std::vector<std::thread> threads;
    std::atomic<int> failed{0};
    for (int w = 0; w < 4; ++w) {
        threads.emplace_back([&, w] {
            auto mine = store::open_workflow_store(location_);
            if (!mine) {
                ++failed;
                return;
            }
            for (int k = 0; k < 2; ++k) {
                store::Batch b;
                b.org_id = "STC";
                b.kind = RequestKind::revoke;
                b.form = "mau-02";
                b.level = "organization";
                if (!(*mine)->create_batch(b, {(*ids)[static_cast<std::size_t>(w * 2 + k)]}, "x"))
                    ++failed;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failed.load(), 0);
    std::set<std::string> numbers;
    const auto all = wf_->batches();
    ASSERT_TRUE(all);
    for (const auto& b : *all) EXPECT_TRUE(numbers.insert(b.number).second) << b.number;
    EXPECT_EQ(numbers.size(), 8u);
    expect_one_chain();
}

}  // namespace
