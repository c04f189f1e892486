// Tests: events.json is read one event at a time within its size and depth limits (issue 11,
// docs/security.md "Input limits"), with the same results as a whole-document parse.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "bundle/events_json.h"

using kyso::bundle::kMaxEventListItems;
using kyso::bundle::kMaxEventsJson;
using kyso::bundle::kMaxEventsJsonDepth;
using kyso::bundle::parse_events_json;

namespace {

std::string rename_event(const std::string& id) {
    return R"({"id":")" + id +
           R"(","type":"rename","effective_date":"2025-03-01","org":"A","name":"B"})";
}

}  // namespace

TEST(EventsJsonLimits, NestingPastTheDepthLimitIsRefusedNamingTheFileAndLimit) {
    const std::string deep = "{\"events\":" + std::string(1000, '[');
    auto r = parse_events_json(deep, "events.json");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "event.too_deep");
    EXPECT_EQ(r.error().where.file, "events.json");
    EXPECT_NE(r.error().message_en.find(std::to_string(kMaxEventsJsonDepth)), std::string::npos)
        << r.error().message_en;
    // Deep in a member that is skipped counts too: depth is checked before anything is kept.
    auto skipped = parse_events_json("{\"x\":" + std::string(100, '['), "events.json");
    ASSERT_FALSE(skipped);
    EXPECT_EQ(skipped.error().code, "event.too_deep");
}

TEST(EventsJsonLimits, NestingWithinTheLimitIsRead) {
    // An unknown member of an event nested to the limit (document 1, events 2, event 3).
    std::string nested;
    for (int i = 3; i < kMaxEventsJsonDepth; ++i) nested += "[";
    for (int i = 3; i < kMaxEventsJsonDepth; ++i) nested += "]";
    auto r = parse_events_json(
        R"({"events":[{"id":"E1","type":"rename","effective_date":"2025-03-01","org":"A","name":"B","x":)" +
        nested + "}]}");
    ASSERT_TRUE(r) << r.error().describe(true);
    EXPECT_EQ(r->size(), 1u);
    auto over = parse_events_json(
        R"({"events":[{"id":"E1","type":"rename","effective_date":"2025-03-01","org":"A","name":"B","x":[)" +
        nested + "]}]}");
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().code, "event.too_deep");
}

TEST(EventsJsonLimits, TextOverTheSizeLimitIsRefusedUnparsed) {
    const std::string text = "{\"events\":[" + rename_event("E1") + "]}";
    auto r = parse_events_json(text, "events.json", text.size() - 1);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "event.too_large");
    EXPECT_TRUE(parse_events_json(text, "events.json", text.size()));
    EXPECT_EQ(kMaxEventsJson, std::size_t{16} << 20);
}

TEST(EventsJsonLimits, EventsKeepFileOrderAndOtherMembersAreIgnored) {
    auto r =
        parse_events_json(R"({"version":{"a":[1,2,{"b":null}]},"events":[)" + rename_event("E2") +
                          "," + rename_event("E1") + R"(],"after":[true]})");
    ASSERT_TRUE(r) << r.error().describe(true);
    ASSERT_EQ(r->size(), 2u);
    EXPECT_EQ((*r)[0].id, "E2");
    EXPECT_EQ((*r)[0].file_order, 0u);
    EXPECT_EQ((*r)[1].id, "E1");
    EXPECT_EQ((*r)[1].file_order, 1u);
}

TEST(EventsJsonLimits, BadShapesAreStillErrors) {
    // An event that is not an object, by its position.
    for (const char* bad : {R"({"events":[1]})", R"({"events":[[]]})", R"({"events":["x"]})"}) {
        auto r = parse_events_json(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, "event.bad_field") << bad;
        EXPECT_NE(r.error().message_en.find("#1"), std::string::npos) << r.error().message_en;
    }
    for (const char* bad : {R"([])", R"({"events":{}})", R"({"events":{"a":{"id":"E1"}}})",
                            R"({"other":[]})", R"("events")"}) {
        auto r = parse_events_json(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, "event.json") << bad;
    }
    auto dup =
        parse_events_json("{\"events\":[" + rename_event("E1") + "," + rename_event("E1") + "]}");
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, "event.duplicate_id");
    // A second "events" member replaces the first, as a whole-document parse keeps the last.
    auto twice = parse_events_json("{\"events\":[" + rename_event("E1") + "],\"events\":[" +
                                   rename_event("E2") + "]}");
    ASSERT_TRUE(twice) << twice.error().describe(true);
    ASSERT_EQ(twice->size(), 1u);
    EXPECT_EQ((*twice)[0].id, "E2");
}

namespace {

// A merge whose list `list` (sources, parts_from or an unknown member) has `n` items, with the
// event's id before or after it.
std::string merge_of(std::size_t n, bool id_first, const std::string& list = "sources") {
    std::string items;
    for (std::size_t i = 0; i < n; ++i) items += (i ? ",\"S" : "\"S") + std::to_string(i) + "\"";
    std::string ev = id_first ? R"("id":"M1",)" : "";
    ev += R"("type":"merge","effective_date":"2025-03-01","keep":"S0",)";
    if (list != "sources") ev += R"("sources":["S0","S1"],)";
    ev += "\"" + list + "\":[" + items + "]";
    if (!id_first) ev += R"(,"id":"M1")";
    return R"({"events":[{)" + ev + "}]}";
}

}  // namespace

TEST(EventsJsonLimits, ListsInAnEventAreCappedWhileParsingNamingTheEventAndLimit) {
    EXPECT_EQ(kMaxEventListItems, 1000u);
    for (const std::string list : {"sources", "parts_from", "x"}) {
        auto at = parse_events_json(merge_of(kMaxEventListItems, true, list));
        ASSERT_TRUE(at) << list << ": " << at.error().describe(true);
        if (list == "sources") {
            EXPECT_EQ((*at)[0].sources.size(), kMaxEventListItems);
        }
        if (list == "parts_from") {
            EXPECT_EQ((*at)[0].parts_from.size(), kMaxEventListItems);
        }
        auto over = parse_events_json(merge_of(kMaxEventListItems + 1, true, list));
        ASSERT_FALSE(over) << list;
        EXPECT_EQ(over.error().code, "event.too_many_items");
        EXPECT_EQ(over.error().where.id, "M1");
        EXPECT_EQ(over.error().where.field, list);
        EXPECT_NE(over.error().message_en.find("M1"), std::string::npos);
        EXPECT_NE(over.error().message_en.find("1000"), std::string::npos)
            << over.error().message_en;
    }
    // The id after the list: the event is named by its position.
    auto later = parse_events_json(merge_of(kMaxEventListItems + 1, false));
    ASSERT_FALSE(later);
    EXPECT_EQ(later.error().code, "event.too_many_items");
    EXPECT_EQ(later.error().where.id, "#1");
    // Lists nested in an event that is itself a list count too.
    std::string ones = "1";
    for (std::size_t i = 0; i < kMaxEventListItems; ++i) ones += ",1";
    auto nested = parse_events_json("{\"events\":[[[" + ones + "]]]}");
    ASSERT_FALSE(nested);
    EXPECT_EQ(nested.error().code, "event.too_many_items");
    EXPECT_EQ(nested.error().where.field, "events[][]");
    // The store's own events (it wrote them) are not capped.
    auto stored =
        parse_events_json(merge_of(kMaxEventListItems + 1, true), "events", SIZE_MAX, SIZE_MAX);
    ASSERT_TRUE(stored) << stored.error().describe(true);
    EXPECT_EQ((*stored)[0].sources.size(), kMaxEventListItems + 1);
}
