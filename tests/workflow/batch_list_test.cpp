// `kyso batch list` (issue 12): every batch with its letter number, issuer, kind, the states of
// its requests and their count; a DoST's combined batch counts the requests it gathers.
#include <gtest/gtest.h>

#include <filesystem>

#include "store/store.h"
#include "store/workflow_store.h"
#include "workflow/batch_list.h"

namespace kyso::workflow {

namespace fs = std::filesystem;

namespace {

class BatchList : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("kyso-batch-list-" +
                std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
        const std::string db = (dir_ / "k.db").string();
        auto reg = store::open_store(db);
        ASSERT_TRUE(reg.ok()) << reg.error().describe(true);
        registry_ = std::move(*reg);
        Registry r;
        for (auto [id, name, sup] : {std::tuple{"P", "UBND tỉnh Phú Sơn", ""},
                                     {"P-skhcn", "Sở Khoa học và Công nghệ", "P"},
                                     {"P-stc", "Sở Tài chính", "P"},
                                     {"P-syt", "Sở Y tế", "P"}}) {
            Organization o;
            o.id = id;
            o.versions.push_back(OrgVersion{});
            o.versions.back().valid_from = *Date::parse("2020-01-01");
            o.versions.back().name = name;
            o.versions.back().superior_id = sup;
            r.organizations.push_back(o);
        }
        r.reindex();
        ASSERT_TRUE(registry_->import_registry(r, {}, "test", "test").ok());
        auto wf = store::open_workflow_store(db);
        ASSERT_TRUE(wf.ok());
        workflow_ = std::move(*wf);
    }
    void TearDown() override { fs::remove_all(dir_); }

    // `n` approved revocations managed by `org`; their ids.
    std::vector<std::int64_t> approved(const std::string& org, int n) {
        std::vector<Request> rs;
        for (int i = 0; i < n; ++i) {
            Request r;
            r.kind = RequestKind::revoke;
            r.state = RequestState::approved;
            r.managing_org_id = org;
            r.certificate = org + "-" + std::to_string(i);
            rs.push_back(r);
        }
        auto ids = workflow_->add_requests(rs, "officer");
        EXPECT_TRUE(ids.ok());
        return ids.ok() ? *ids : std::vector<std::int64_t>{};
    }

    std::int64_t batch(const std::string& org, const std::vector<std::int64_t>& ids,
                       const std::string& number, const std::string& symbol) {
        store::Batch b;
        b.org_id = org;
        b.kind = RequestKind::revoke;
        b.form = "mau-05";
        b.level = "organization";
        b.number = number;
        b.symbol = symbol;
        auto id = workflow_->create_batch(b, ids, "officer");
        EXPECT_TRUE(id.ok());
        return id.ok() ? *id : 0;
    }

    fs::path dir_;
    std::unique_ptr<store::Store> registry_;
    std::unique_ptr<store::WorkflowStore> workflow_;
};

}  // namespace

TEST_F(BatchList, NoBatchGivesAnEmptyList) {
    auto lines = list_batches(*registry_, *workflow_, {});
    ASSERT_TRUE(lines.ok()) << lines.error().describe(true);
    EXPECT_TRUE(lines->empty());
}

TEST_F(BatchList, EachBatchWithIssuerNumberStatesAndCountAndTheCombinedOneGathersThem) {
    const auto stc = approved("P-stc", 3);
    const auto syt = approved("P-syt", 2);
    const auto b1 = batch("P-stc", stc, "12", "STC-VP");
    const auto b2 = batch("P-syt", syt, "", "");
    // Two of the first batch's requests go on to the DoST.
    std::vector<Request> moving;
    for (const auto id : {stc[0], stc[1]}) {
        auto r = workflow_->request(id);
        ASSERT_TRUE(r.ok() && r->has_value());
        Request after = **r;
        after.state = RequestState::submitted;
        moving.push_back(after);
    }
    ASSERT_TRUE(workflow_->transition_all(moving, RequestState::approved, "officer", "").ok());

    auto lines = list_batches(*registry_, *workflow_, {});
    ASSERT_TRUE(lines.ok()) << lines.error().describe(true);
    ASSERT_EQ(lines->size(), 2u);
    const BatchLine& first = (*lines)[0];
    EXPECT_EQ(first.batch.id, b1);
    EXPECT_EQ(letter_number(first.batch), "12/STC-VP");
    EXPECT_EQ(first.issuer_name, "Sở Tài chính");
    EXPECT_EQ(first.requests, 3u);
    EXPECT_EQ(first.states.at(RequestState::submitted), 2u);
    EXPECT_EQ(first.states.at(RequestState::approved), 1u);
    EXPECT_EQ((*lines)[1].batch.id, b2);
    EXPECT_EQ(letter_number((*lines)[1].batch), "1");  // numbered by the store: its issuer's first
    EXPECT_EQ((*lines)[1].requests, 2u);

    // The DoST's combined batch over both: it counts their five requests and names them.
    store::Batch province;
    province.org_id = "P-skhcn";
    province.kind = RequestKind::revoke;
    province.form = "mau-05";
    province.level = "province";
    province.number = "9";
    province.symbol = "SKHCN";
    auto combined = workflow_->combine_batches(province, {b1, b2}, "dost");
    ASSERT_TRUE(combined.ok()) << combined.error().describe(true);
    lines = list_batches(*registry_, *workflow_, {});
    ASSERT_TRUE(lines.ok());
    ASSERT_EQ(lines->size(), 3u);
    const BatchLine& dost = (*lines)[2];
    EXPECT_EQ(dost.batch.id, *combined);
    EXPECT_EQ(dost.issuer_name, "Sở Khoa học và Công nghệ");
    EXPECT_EQ(dost.requests, 5u);
    EXPECT_EQ(dost.gathers, (std::vector<std::int64_t>{b1, b2}));
    EXPECT_EQ((*lines)[0].batch.parent_id, *combined);

    // Filtered by issuer and by kind.
    BatchListFilter f;
    f.org_id = "P-syt";
    lines = list_batches(*registry_, *workflow_, f);
    ASSERT_TRUE(lines.ok());
    ASSERT_EQ(lines->size(), 1u);
    EXPECT_EQ(lines->front().batch.id, b2);
    f = {};
    f.kind = RequestKind::issue;
    lines = list_batches(*registry_, *workflow_, f);
    ASSERT_TRUE(lines.ok());
    EXPECT_TRUE(lines->empty());
}

}  // namespace kyso::workflow
