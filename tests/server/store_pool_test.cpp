// Tests: the server's pool of store connections (server/store_pool.h): a set is lent to one
// request at a time and kept for the next, so the sets number the most requests handled at once.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <string>

#include "server/store_pool.h"
#include "store/store.h"

namespace fs = std::filesystem;
using kyso::server::StorePool;

namespace {

class StorePoolTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::random_device rd;
        dir_ = fs::temp_directory_path() / ("kyso-store-pool-test-" + std::to_string(rd()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

}  // namespace

TEST_F(StorePoolTest, ASetGivenBackIsLentAgainAndSetsNumberTheLeasesHeldAtOnce) {
    StorePool pool((dir_ / "kyso.db").string());
    EXPECT_EQ(pool.size(), 0u);
    kyso::store::Store* first = nullptr;
    {
        auto lease = pool.take();
        ASSERT_TRUE(lease) << lease.error().describe(true);
        first = lease->stores().registry;
        ASSERT_NE(first, nullptr);
        EXPECT_NE(lease->stores().workflow, nullptr);
        EXPECT_NE(lease->stores().accounts, nullptr);
        EXPECT_NE(lease->stores().query, nullptr);
        EXPECT_NE(lease->stores().jobs, nullptr);
        EXPECT_TRUE(first->schema_version());  // a working store: migrated and readable
    }
    for (int i = 0; i < 5; ++i) {
        auto lease = pool.take();
        ASSERT_TRUE(lease);
        EXPECT_EQ(lease->stores().registry, first);  // the same set, not a new one
    }
    EXPECT_EQ(pool.size(), 1u);
    {
        auto a = pool.take();
        auto b = pool.take();
        auto c = pool.take();
        ASSERT_TRUE(a && b && c);
        EXPECT_NE(a->stores().registry, b->stores().registry);
        EXPECT_NE(b->stores().registry, c->stores().registry);
        EXPECT_NE(a->stores().registry, c->stores().registry);
        EXPECT_EQ(pool.size(), 3u);
    }
    {
        auto again = pool.take();
        ASSERT_TRUE(again);
    }
    EXPECT_EQ(pool.size(), 3u);  // three were given back: none opened anew
}

TEST_F(StorePoolTest, ASetThatCannotOpenIsAnErrorAndNothingIsKept) {
    StorePool pool((dir_ / "no" / "such" / "folder" / "kyso.db").string());
    auto lease = pool.take();
    ASSERT_FALSE(lease);
    EXPECT_EQ(lease.error().code, "store.open");
    EXPECT_EQ(pool.size(), 0u);
    // The folder made afterwards: the next request opens it.
    fs::create_directories(dir_ / "no" / "such" / "folder");
    auto later = pool.take();
    ASSERT_TRUE(later) << later.error().describe(true);
    EXPECT_EQ(pool.size(), 1u);
}
