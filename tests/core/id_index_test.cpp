// Tests: the flat id index (first insertion wins, growth, copies own their keys).
#include <gtest/gtest.h>

#include <string>

#include "core/id_index.h"

TEST(IdIndex, FindsWhatWasInsertedAndKeepsTheFirst) {
    kyso::IdIndex idx;
    EXPECT_EQ(idx.find("a"), idx.end());
    EXPECT_TRUE(idx.try_emplace("a", 1).second);
    EXPECT_FALSE(idx.try_emplace("a", 2).second);
    ASSERT_NE(idx.find("a"), nullptr);
    EXPECT_EQ(idx.find("a")->second, 1u);
    EXPECT_EQ(idx.count("b"), 0u);
    EXPECT_EQ(idx.size(), 1u);
}

TEST(IdIndex, GrowsPastManyKeysAndKeepsThemAll) {
    kyso::IdIndex idx;
    for (std::size_t i = 0; i < 100000; ++i) idx.try_emplace("u" + std::to_string(i), i);
    EXPECT_EQ(idx.size(), 100000u);
    for (std::size_t i = 0; i < 100000; i += 7)
        EXPECT_EQ(idx.find("u" + std::to_string(i))->second, i);
    EXPECT_EQ(idx.find("u100000"), nullptr);
}

TEST(IdIndex, CopyOwnsItsKeys) {
    kyso::IdIndex copy;
    {
        kyso::IdIndex original;
        std::string key = "serial-0A1B";
        original.try_emplace(key, 5);
        key.assign("overwritten");
        copy = original;
    }
    ASSERT_NE(copy.find("serial-0A1B"), nullptr);
    EXPECT_EQ(copy.find("serial-0A1B")->first, "serial-0A1B");
    copy.clear();
    EXPECT_TRUE(copy.empty());
    EXPECT_EQ(copy.find("serial-0A1B"), nullptr);
}
