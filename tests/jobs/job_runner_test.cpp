// Tests: the job runner — progress, result, failure, cancel, a stale job failed at start, a job
// stopped with the server, and the built-in kinds (bundle import, check, plan) on real data.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <thread>

#include "../store/sqlite_fixture.h"
#include "core/messages.h"
#include "jobs/job_kinds.h"
#include "jobs/job_runner.h"
#include "store/job_store.h"

namespace kyso::jobs_test {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class JobRunnerTest : public store_test::SqliteStoreTest {
protected:
    void SetUp() override {
        SqliteStoreTest::SetUp();
        auto j = store::open_job_store(path_.string());
        ASSERT_TRUE(j);
        jobs_ = std::move(*j);
    }
    void TearDown() override {
        jobs_.reset();
        SqliteStoreTest::TearDown();
    }
    std::int64_t queue(const std::string& kind, std::vector<store::JobFile> files = {},
                       const std::string& params = "{}") {
        store::Job j;
        j.kind = kind;
        j.actor = "dost1";
        j.params = params;
        auto id = jobs_->create(j, files);
        EXPECT_TRUE(id) << id.error().describe(true);
        return id ? *id : 0;
    }
    // Waits (up to 60 s) until the job is in `state`.
    store::Job wait_for(std::int64_t id, store::JobState state) {
        for (int i = 0; i < 6000; ++i) {
            auto j = jobs_->job(id);
            if (j && j->state == state) return *j;
            std::this_thread::sleep_for(10ms);
        }
        auto j = jobs_->job(id);
        ADD_FAILURE() << "job " << id << " is " << (j ? to_string(j->state) : "?") << ", not "
                      << to_string(state) << " " << (j ? j->error : "");
        return j ? *j : store::Job{};
    }
    jobs::RunnerOptions fast() {
        jobs::RunnerOptions o;
        o.poll = 20ms;
        o.heartbeat = 50ms;
        o.stale_after = 10s;
        return o;
    }
    std::unique_ptr<store::JobStore> jobs_;
};

TEST_F(JobRunnerTest, AJobReportsProgressAndEndsWithItsResult) {
    const auto id = queue("count");
    jobs::JobRunner runner(path_.string(),
                           {{"count",
                             [](jobs::JobContext& ctx) -> Result<std::string> {
                                 for (int i = 1; i <= 3; ++i) ctx.progress(i, 3);
                                 return std::string(R"({"counted":3})");
                             }}},
                           fast());
    ASSERT_TRUE(runner.start());
    const auto j = wait_for(id, store::JobState::succeeded);
    EXPECT_EQ(j.done, 3);
    EXPECT_EQ(j.total, 3);
    EXPECT_EQ(j.result, R"({"counted":3})");
    EXPECT_EQ(j.owner, runner.owner());
    EXPECT_FALSE(j.finished_at.empty());
}

TEST_F(JobRunnerTest, AFailingJobKeepsItsErrorAndTheWorkerGoesOn) {
    const auto bad = queue("fail");
    const auto good = queue("ok");
    jobs::JobRunner runner(
        path_.string(),
        {{"fail",
          [](jobs::JobContext&) -> Result<std::string> {
              return make_error("store.not_found", Location{}, {"person", "p9"});
          }},
         {"ok", [](jobs::JobContext&) -> Result<std::string> { return std::string("{}"); }}},
        fast());
    ASSERT_TRUE(runner.start());
    const auto j = wait_for(bad, store::JobState::failed);
    const auto e = nlohmann::json::parse(j.error);
    EXPECT_EQ(e["code"], "store.not_found");
    EXPECT_NE(e["message"].get<std::string>().find("p9"), std::string::npos);
    wait_for(good, store::JobState::succeeded);
}

TEST_F(JobRunnerTest, ACancelledJobStopsAtItsNextProgressReport) {
    const auto id = queue("long");
    jobs::JobRunner runner(path_.string(),
                           {{"long",
                             [](jobs::JobContext& ctx) -> Result<std::string> {
                                 for (int i = 0; i < 100000; ++i) {
                                     if (!ctx.progress(i, 100000)) return ctx.job_stopped();
                                     std::this_thread::sleep_for(5ms);
                                 }
                                 return std::string("{}");
                             }}},
                           fast());
    ASSERT_TRUE(runner.start());
    wait_for(id, store::JobState::running);
    ASSERT_TRUE(jobs_->cancel(id));
    const auto j = wait_for(id, store::JobState::cancelled);
    EXPECT_EQ(nlohmann::json::parse(j.error)["code"], "job.stopped");
    EXPECT_LT(j.done, 100000);
}

TEST_F(JobRunnerTest, AJobLeftRunningByAStoppedServerIsFailedAtStart) {
    const auto id = queue("long");
    ASSERT_TRUE(jobs_->claim("dead-server", {"long"}));
    store_test::execute_sql(path_, "UPDATE jobs SET heartbeat_at = '2020-01-01T00:00:00.000Z'");
    const auto waiting = queue("ok");
    jobs::JobRunner runner(
        path_.string(),
        {{"ok", [](jobs::JobContext&) -> Result<std::string> { return std::string("{}"); }},
         {"long", [](jobs::JobContext&) -> Result<std::string> { return std::string("{}"); }}},
        fast());
    ASSERT_TRUE(runner.start());
    const auto j = jobs_->job(id);
    ASSERT_TRUE(j);
    EXPECT_EQ(j->state, store::JobState::failed);
    EXPECT_EQ(nlohmann::json::parse(j->error)["code"], "job.server_stopped");
    wait_for(waiting, store::JobState::succeeded);  // queued work still runs
}

TEST_F(JobRunnerTest, StoppingTheRunnerFailsTheRunningJobCleanly) {
    const auto id = queue("long");
    auto runner = std::make_unique<jobs::JobRunner>(
        path_.string(),
        std::map<std::string, jobs::JobHandler>{{"long",
                                                 [](jobs::JobContext& ctx) -> Result<std::string> {
                                                     while (ctx.progress(1, 2))
                                                         std::this_thread::sleep_for(5ms);
                                                     return ctx.job_stopped();
                                                 }}},
        fast());
    ASSERT_TRUE(runner->start());
    wait_for(id, store::JobState::running);
    runner->stop();
    const auto j = jobs_->job(id);
    ASSERT_TRUE(j);
    EXPECT_EQ(j->state, store::JobState::failed);
    EXPECT_EQ(nlohmann::json::parse(j->error)["code"], "job.server_stopped");
}

std::vector<store::JobFile> bundle_files(const fs::path& dir) {
    std::vector<store::JobFile> out;
    for (const char* name :
         {"organizations.csv", "people.csv", "devices.csv", "certificates.csv", "events.json"}) {
        std::ifstream in(dir / name, std::ios::binary);
        out.push_back({name, std::string(std::istreambuf_iterator<char>(in), {})});
    }
    return out;
}

TEST_F(JobRunnerTest, BuiltInKindsImportABundleThenCheckAndPlanIt) {
    const fs::path sample = fs::path(KYSO_TEST_DATA) / "reorg-sample";
    const auto import = queue(std::string(jobs::kImportBundle), bundle_files(sample));
    jobs::JobRunner runner(path_.string(), jobs::builtin_handlers(), fast());
    ASSERT_TRUE(runner.start());
    const auto imported = wait_for(import, store::JobState::succeeded);
    const auto stats = nlohmann::json::parse(imported.result);
    EXPECT_GT(stats["certificates"]["inserted"].get<int>(), 0);
    EXPECT_GT(imported.total, 0);
    auto counts = store_->counts();
    ASSERT_TRUE(counts);
    EXPECT_EQ(counts->certificates(), stats["certificates"]["inserted"].get<int>());

    const auto plan = queue(std::string(jobs::kPlan));
    const auto planned = wait_for(plan, store::JobState::succeeded);
    const auto p = nlohmann::json::parse(planned.result);
    std::ifstream expected_file(sample / "expected-plan.json");
    const auto expected = nlohmann::json::parse(expected_file);
    EXPECT_EQ(p["summary"], expected["summary"]);

    const auto check = queue(std::string(jobs::kCheck));
    const auto checked = wait_for(check, store::JobState::succeeded);
    EXPECT_TRUE(nlohmann::json::parse(checked.result).is_object());

    // The same import again changes nothing and duplicates nothing.
    const auto again = queue(std::string(jobs::kImportBundle), bundle_files(sample));
    const auto second = nlohmann::json::parse(wait_for(again, store::JobState::succeeded).result);
    EXPECT_EQ(second["certificates"]["inserted"], 0);
    EXPECT_EQ(store_->counts()->certificates(), counts->certificates());
}

TEST_F(JobRunnerTest, AnIntakeSpreadsheetBecomesABundleAndIsImportedInOneJob) {
    const fs::path dir = fs::path(KYSO_TEST_DATA) / "real-world" / "csv-semicolon";
    std::vector<store::JobFile> registry;
    for (const auto& entry : fs::directory_iterator(dir / "registry")) {
        std::ifstream in(entry.path(), std::ios::binary);
        registry.push_back({entry.path().filename().string(),
                            std::string(std::istreambuf_iterator<char>(in), {})});
    }
    const auto base = queue(std::string(jobs::kImportBundle), registry);
    std::ifstream sheet(dir / "vi-locale-semicolon.csv", std::ios::binary);
    const auto id =
        queue(std::string(jobs::kIntake),
              {{"vi-locale-semicolon.csv", std::string(std::istreambuf_iterator<char>(sheet), {})}},
              R"({"import": true})");
    jobs::JobRunner runner(path_.string(), jobs::builtin_handlers(), fast());
    ASSERT_TRUE(runner.start());
    wait_for(base, store::JobState::succeeded);
    const auto before = store_->counts()->people;
    const auto j = wait_for(id, store::JobState::succeeded);
    const auto r = nlohmann::json::parse(j.result);
    EXPECT_GT(r["people"].get<int>(), 0);
    EXPECT_TRUE(r["bundle"].contains("people.csv"));
    ASSERT_TRUE(r["findings"].is_object());
    const bool clean = r["findings"]["summary"]["error"] == 0;
    EXPECT_EQ(r["imported"].is_object(), clean) << r["findings"].dump();
    if (clean) {
        EXPECT_GE(store_->counts()->people, before);
    }
}

TEST_F(JobRunnerTest, AnImportWithABadBundleFailsAndWritesNothing) {
    auto files = bundle_files(fs::path(KYSO_TEST_DATA) / "reorg-sample");
    files[1].content = "this is not,a people file\n";
    const auto id = queue(std::string(jobs::kImportBundle), files);
    jobs::JobRunner runner(path_.string(), jobs::builtin_handlers(), fast());
    ASSERT_TRUE(runner.start());
    wait_for(id, store::JobState::failed);
    EXPECT_EQ(store_->counts()->certificates(), 0);
    EXPECT_EQ(store_->counts()->organizations, 0);
}

TEST_F(JobRunnerTest, FileNamesThatWouldLeaveTheJobFolderAreRefused) {
    for (const char* bad : {"../x.csv", "/etc/passwd", "a/../../b", "a\\b", "", ".", "a//b", "x\ny",
                            "certs/../../../tmp/z"}) {
        EXPECT_FALSE(jobs::safe_job_file_name(bad)) << bad;
    }
    for (const char* good : {"people.csv", "certs/0A1B.pem", "Danh sách (1).xlsx"}) {
        EXPECT_TRUE(jobs::safe_job_file_name(good)) << good;
    }
    const auto id = queue(std::string(jobs::kImportBundle), {{"../escape.csv", "x"}});
    jobs::JobRunner runner(path_.string(), jobs::builtin_handlers(), fast());
    ASSERT_TRUE(runner.start());
    const auto j = wait_for(id, store::JobState::failed);
    EXPECT_EQ(nlohmann::json::parse(j.error)["code"], "job.bad_file_name");
    EXPECT_FALSE(fs::exists(dir_.parent_path() / "escape.csv"));
}

}  // namespace
}  // namespace kyso::jobs_test
