// Tests: JobStore on SQLite and PostgreSQL (Backends/…/sqlite, …/postgres) — queue, claim (once),
// progress, cancel, finish, stale jobs failed.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "store/job_store.h"
#include "store_fixture.h"

namespace kyso::store_test {
namespace {

using namespace std::chrono_literals;

class JobStoreTest : public StoreTest {
protected:
    // SQL run behind the store's back; the test fails when it does not run.
    void run_sql(const std::string& sql) { ASSERT_EQ(raw_sql(sql), "") << sql; }

    void SetUp() override {
        StoreTest::SetUp();
        auto j = store::open_job_store(location_);
        ASSERT_TRUE(j) << j.error().describe(true);
        jobs_ = std::move(*j);
    }
    void TearDown() override {
        jobs_.reset();
        StoreTest::TearDown();
    }
    std::int64_t queue(const std::string& kind, std::vector<store::JobFile> files = {}) {
        store::Job j;
        j.kind = kind;
        j.actor = "officer1";
        j.scope_org_id = "STC";
        j.params = R"({"as_of":"2025-09-01"})";
        auto id = jobs_->create(j, files);
        EXPECT_TRUE(id) << id.error().describe(true);
        return id ? *id : 0;
    }
    std::unique_ptr<store::JobStore> jobs_;
};

TEST_P(JobStoreTest, AQueuedJobKeepsItsParamsAndFiles) {
    const std::string binary("a\0b\xff", 4);
    const auto id = queue("import.bundle", {{"people.csv", "id,full_name\n"}, {"x.der", binary}});
    auto j = jobs_->job(id);
    ASSERT_TRUE(j);
    EXPECT_EQ(j->state, store::JobState::queued);
    EXPECT_EQ(j->actor, "officer1");
    EXPECT_EQ(j->scope_org_id, "STC");
    EXPECT_EQ(j->params, R"({"as_of":"2025-09-01"})");
    EXPECT_FALSE(j->created_at.empty());
    auto files = jobs_->files(id);
    ASSERT_TRUE(files);
    ASSERT_EQ(files->size(), 2u);
    EXPECT_EQ((*files)[0].name, "people.csv");
    EXPECT_EQ((*files)[1].content, binary);
    auto missing = jobs_->job(id + 100);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "store.not_found");
}

TEST_P(JobStoreTest, AJobIsClaimedOnceOldestFirstAndOnlyForKnownKinds) {
    const auto a = queue("check");
    const auto b = queue("plan");
    auto other = store::open_job_store(location_);
    ASSERT_TRUE(other);
    auto none = jobs_->claim("w1", {"render"});
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
    auto first = jobs_->claim("w1", {"check", "plan"});
    ASSERT_TRUE(first && *first);
    EXPECT_EQ((*first)->id, a);
    EXPECT_EQ((*first)->state, store::JobState::running);
    EXPECT_EQ((*first)->owner, "w1");
    auto second = (*other)->claim("w2", {"check", "plan"});
    ASSERT_TRUE(second && *second);
    EXPECT_EQ((*second)->id, b);
    auto third = jobs_->claim("w1", {"check", "plan"});
    ASSERT_TRUE(third);
    EXPECT_FALSE(*third);
}

TEST_P(JobStoreTest, ProgressIsRecordedAndReportsACancelRequest) {
    const auto id = queue("check");
    ASSERT_TRUE(jobs_->claim("w1", {"check"}));
    auto go = jobs_->progress(id, "w1", 3, 10);
    ASSERT_TRUE(go);
    EXPECT_FALSE(*go);
    auto j = jobs_->job(id);
    EXPECT_EQ(j->done, 3);
    EXPECT_EQ(j->total, 10);
    auto flagged = jobs_->cancel(id);
    ASSERT_TRUE(flagged);
    EXPECT_EQ(flagged->state, store::JobState::running);  // its worker stops it
    EXPECT_TRUE(flagged->cancel_requested);
    auto stop = jobs_->progress(id, "w1", 4, 10);
    ASSERT_TRUE(stop);
    EXPECT_TRUE(*stop);
    auto not_mine = jobs_->progress(id, "w2", 5, 10);
    ASSERT_FALSE(not_mine);
    EXPECT_EQ(not_mine.error().code, "store.job_owner");
}

// A running handler checks the flag inside its own write transaction: a read only.
TEST_P(JobStoreTest, TheCancelFlagIsReadWithoutWriting) {
    const auto id = queue("check");
    ASSERT_TRUE(jobs_->claim("w1", {"check"}));
    auto before = jobs_->cancel_requested(id);
    ASSERT_TRUE(before) << before.error().describe(true);
    EXPECT_FALSE(*before);
    ASSERT_TRUE(jobs_->cancel(id));
    auto after = jobs_->cancel_requested(id);
    ASSERT_TRUE(after);
    EXPECT_TRUE(*after);
    auto missing = jobs_->cancel_requested(id + 100);
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "store.not_found");
}

// The audit entry of a job's work is written in the transaction that marks it succeeded: a job
// that is not (killed, failed, another worker's) has none.
TEST_P(JobStoreTest, ASuccessAndItsAuditEntryAreWrittenTogether) {
    auto wf = workflow();
    auto count = [&] {
        auto entries = wf->audit_entries();
        EXPECT_TRUE(entries);
        int n = 0;
        if (entries)
            for (const auto& e : *entries) n += e.action == "batch.render" ? 1 : 0;
        return n;
    };
    const store::JobAudit entry{"batch.render", "batch:7", R"({"rows":1})"};
    const auto id = queue("batch.render");
    ASSERT_TRUE(jobs_->claim("w1", {"batch.render"}));
    // Another worker's finish writes neither.
    auto stolen = jobs_->finish(id, "w2", store::JobState::succeeded, "{}", "", entry);
    ASSERT_FALSE(stolen);
    EXPECT_EQ(stolen.error().code, "store.job_owner");
    EXPECT_EQ(count(), 0);
    ASSERT_TRUE(jobs_->finish(id, "w1", store::JobState::succeeded, "{}", "", entry));
    EXPECT_EQ(count(), 1);
    auto entries = wf->audit_entries();
    ASSERT_TRUE(entries);
    EXPECT_EQ(entries->back().actor, "officer1");  // the job's actor
    EXPECT_EQ(entries->back().object, "batch:7");
    EXPECT_EQ(entries->back().detail, R"({"rows":1})");
    EXPECT_EQ(jobs_->job(id)->state, store::JobState::succeeded);
}

TEST_P(JobStoreTest, AQueuedJobIsCancelledAtOnceAndAFinishedOneStaysAsItIs) {
    const auto id = queue("check");
    auto c = jobs_->cancel(id);
    ASSERT_TRUE(c);
    EXPECT_EQ(c->state, store::JobState::cancelled);
    auto none = jobs_->claim("w1", {"check"});
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
    const auto done = queue("check");
    ASSERT_TRUE(jobs_->claim("w1", {"check"}));
    ASSERT_TRUE(jobs_->finish(done, "w1", store::JobState::succeeded, R"({"ok":1})", ""));
    auto after = jobs_->cancel(done);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->state, store::JobState::succeeded);
    EXPECT_EQ(after->result, R"({"ok":1})");
    EXPECT_FALSE(after->finished_at.empty());
}

TEST_P(JobStoreTest, StaleRunningJobsAreFailedAndTheirWorkerCanNoLongerFinishThem) {
    const auto stale = queue("import.bundle");
    const auto fresh = queue("check");
    ASSERT_TRUE(jobs_->claim("dead", {"import.bundle"}));
    ASSERT_TRUE(jobs_->claim("alive", {"check"}));
    run_sql(("UPDATE jobs SET heartbeat_at = '2020-01-01T00:00:00.000Z' WHERE id = " +
             std::to_string(stale))
                .c_str());
    auto n = jobs_->fail_stale(60s, R"({"code":"job.server_stopped"})");
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 1);
    EXPECT_EQ(jobs_->job(stale)->state, store::JobState::failed);
    EXPECT_EQ(jobs_->job(stale)->error, R"({"code":"job.server_stopped"})");
    EXPECT_EQ(jobs_->job(fresh)->state, store::JobState::running);
    auto late = jobs_->finish(stale, "dead", store::JobState::succeeded, "{}", "");
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, "store.job_owner");
    EXPECT_EQ(jobs_->job(stale)->state, store::JobState::failed);
}

TEST_P(JobStoreTest, ListsAreNewestFirstFilteredAndPaged) {
    for (int i = 0; i < 5; ++i) queue(i % 2 ? "plan" : "check");
    store::JobQuery q;
    q.page_size = 2;
    auto page = jobs_->jobs(q);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->total, 5);
    ASSERT_EQ(page->items.size(), 2u);
    EXPECT_GT(page->items[0].id, page->items[1].id);
    q = {};
    q.kind = "plan";
    auto plans = jobs_->jobs(q);
    ASSERT_TRUE(plans);
    EXPECT_EQ(plans->total, 2);
    q = {};
    q.actor = "someone-else";
    EXPECT_EQ(jobs_->jobs(q)->total, 0);
    q = {};
    q.page_size = 500;
    EXPECT_FALSE(jobs_->jobs(q));
}

KYSO_STORE_BACKENDS(JobStoreTest);

}  // namespace
}  // namespace kyso::store_test
