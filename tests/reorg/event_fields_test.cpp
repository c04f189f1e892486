// Tests: decisions given member by member (bundle/event_fields.h) read by the rules of
// events.json, the kind words, JSON syntax errors with line and column (bundle/json_error.h),
// and the one validator of events (reorg::validate_events) that `plan` and every import share.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "bundle/event_fields.h"
#include "bundle/events_json.h"
#include "bundle/json_error.h"
#include "reorg/replay.h"

namespace {

using kyso::EventType;
using kyso::bundle::event_from_fields;
using kyso::bundle::EventFields;
using kyso::bundle::parse_event_kind;

EventFields rename_fields() {
    EventFields f;
    f.text = {{"id", "E1"},
              {"type", "Đổi tên"},
              {"effective_date", "2025-08-01"},
              {"org", "A"},
              {"name", "Sở Mới"}};
    return f;
}

kyso::Registry two_orgs() {
    kyso::Registry r;
    for (const char* id : {"A", "B"}) {
        kyso::Organization o;
        o.id = id;
        o.versions.push_back(kyso::OrgVersion{});
        o.versions.back().name = std::string("Sở ") + id;
        o.versions.back().province = "Tỉnh X";
        r.organizations.push_back(o);
    }
    r.reindex();
    return r;
}

}  // namespace

TEST(EventFields, ReadsAsEventsJsonWouldWithAKindWordForTheType) {
    auto e = event_from_fields(rename_fields(), "events add");
    ASSERT_TRUE(e) << e.error().describe(true);
    EXPECT_EQ(e->type, EventType::rename);
    EXPECT_EQ(e->org, "A");
    EXPECT_EQ(e->name, "Sở Mới");
    // The same text as events.json gives for the same event.
    auto j = kyso::bundle::parse_events_json(
        R"({"events":[{"id":"E1","type":"rename","effective_date":"2025-08-01","org":"A","name":"Sở Mới"}]})");
    ASSERT_TRUE(j);
    EXPECT_EQ(kyso::bundle::event_to_json(*e), kyso::bundle::event_to_json(j->front()));
}

TEST(EventFields, MissingMemberIsNamed) {
    EventFields f = rename_fields();
    f.text.erase("name");
    auto e = event_from_fields(f, "events add");
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, "event.missing_field");
    EXPECT_EQ(e.error().where.field, "name");
    EXPECT_EQ(e.error().where.id, "E1");
}

TEST(EventFields, BadDateIsNamed) {
    EventFields f = rename_fields();
    f.text["effective_date"] = "2025-02-30";
    auto e = event_from_fields(f, "x");
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().where.field, "effective_date");
}

TEST(EventFields, MemberTheKindDoesNotHaveIsAnError) {
    EventFields f = rename_fields();
    f.lists["sources"] = {"A", "B"};
    auto e = event_from_fields(f, "x");
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, "event.field_not_used");
    EXPECT_EQ(e.error().where.field, "sources");
    EXPECT_NE(e.error().message.find("Đổi tên"), std::string::npos) << e.error().message;
}

TEST(EventFields, MembersOfNewAreNamedWithTheirPrefix) {
    EventFields f;
    f.text = {
        {"id", "E2"}, {"type", "Hợp nhất"}, {"effective_date", "2025-08-01"}, {"new.id", "N"}};
    f.lists["sources"] = {"A", "B"};
    auto e = event_from_fields(f, "x");
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, "event.missing_field");
    EXPECT_EQ(e.error().where.field, "new.name");
    f.text["new.name"] = "Sở Hợp Nhất";
    f.text["new.superior_id"] = "";
    auto ok = event_from_fields(f, "x");
    ASSERT_TRUE(ok) << ok.error().describe(true);
    ASSERT_TRUE(ok->new_org);
    EXPECT_EQ(ok->new_org->superior_id, std::optional<std::string>(""));
    EXPECT_EQ(ok->sources, (std::vector<std::string>{"A", "B"}));
}

TEST(EventFields, MergeNeedsKeepOrNewAsInEventsJson) {
    EventFields f;
    f.text = {{"id", "E3"}, {"type", "merge"}, {"effective_date", "2025-08-01"}};
    f.lists["sources"] = {"A", "B"};
    auto e = event_from_fields(f, "x");
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, "event.keep_and_new");
}

TEST(EventKinds, CodesAndVietnameseWordsWithOrWithoutMarksAnyCase) {
    EXPECT_EQ(parse_event_kind("merge"), EventType::merge);
    EXPECT_EQ(parse_event_kind("Hợp nhất"), EventType::merge);
    EXPECT_EQ(parse_event_kind("SÁP NHẬP"), EventType::merge);
    EXPECT_EQ(parse_event_kind("sap nhap"), EventType::merge);
    EXPECT_EQ(parse_event_kind("Hợp nhất/sáp nhập"), EventType::merge);
    EXPECT_EQ(parse_event_kind("Thành lập"), EventType::create);
    EXPECT_EQ(parse_event_kind("Đổi tên"), EventType::rename);
    EXPECT_EQ(parse_event_kind("doi co quan cap tren"), EventType::change_superior);
    EXPECT_EQ(parse_event_kind("change superior"), EventType::change_superior);
    EXPECT_EQ(parse_event_kind("Hợp nhất tỉnh"), EventType::merge_province);
    EXPECT_EQ(parse_event_kind("Giải thể"), EventType::dissolve);
    EXPECT_EQ(parse_event_kind("Điều chuyển"), EventType::transfer);
    EXPECT_EQ(parse_event_kind("Nghỉ hưu"), EventType::person_leaves);
    EXPECT_EQ(parse_event_kind(" Giải  thể "), EventType::dissolve);
    EXPECT_FALSE(parse_event_kind("Chia tách"));
    EXPECT_FALSE(parse_event_kind(""));
    // Every kind's own word reads back as that kind.
    for (EventType t : {EventType::merge, EventType::create, EventType::rename,
                        EventType::change_superior, EventType::merge_province, EventType::dissolve,
                        EventType::transfer, EventType::person_leaves}) {
        EXPECT_EQ(parse_event_kind(kyso::bundle::event_kind_word(t, false)), t);
        EXPECT_EQ(parse_event_kind(kyso::bundle::event_kind_word(t, true)), t);
    }
}

TEST(JsonSyntax, LineAndColumnCountCharactersNotBytes) {
    const std::string text = "{\n  \"tên\": 1 x";
    const auto p = kyso::bundle::text_position(text, text.find('x'));
    EXPECT_EQ(p.line, 2u);
    EXPECT_EQ(p.column, 12u);  // "  \"tên\": 1 " is 11 characters (12 bytes)
}

TEST(JsonSyntax, MissingCommaNamesLineAndColumnInVietnameseAndEnglish) {
    const std::string text = "{\"events\": [\n  {\"id\": \"E1\"\n   \"type\": \"rename\"}\n]}";
    auto r = kyso::bundle::parse_events_json(text);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "json.syntax");
    EXPECT_NE(r.error().message.find("events.json, dòng 3, cột "), std::string::npos)
        << r.error().message;
    EXPECT_NE(r.error().message.find("thiếu dấu phẩy"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message_en.find("events.json, line 3, column "), std::string::npos)
        << r.error().message_en;
    EXPECT_NE(r.error().message_en.find("comma (,) is missing"), std::string::npos);
}

TEST(JsonSyntax, EachCommonFaultHasItsOwnWords) {
    struct Case {
        const char* text;
        const char* words;
    };
    const Case cases[] = {
        {R"({"events":[{"id":"E1",}]})", "thừa dấu phẩy"},
        {R"({"x":[1,],"events":[]})", "thừa dấu phẩy"},
        {R"({"events" []})", "thiếu dấu hai chấm"},
        {R"({events:[]})", "tên trường phải đặt trong dấu nháy kép"},
        {R"({"events":[{"id":E1}]})", "giá trị không hợp lệ"},
        {"{\"events\":[{\"id\":\"E\n1\"}]}", "chuỗi không hợp lệ"},
        {R"({"events":[)", "tệp kết thúc giữa chừng"},
        {R"({"events":[]}})", "còn ký tự sau khi"},
    };
    for (const Case& c : cases) {
        auto r = kyso::bundle::parse_events_json(c.text);
        ASSERT_FALSE(r) << c.text;
        EXPECT_EQ(r.error().code, "json.syntax") << c.text;
        EXPECT_NE(r.error().message.find(c.words), std::string::npos)
            << c.text << " → " << r.error().message;
    }
}

TEST(ValidateEvents, RefusesWhatThePlanRefusesNamingEventAndField) {
    const kyso::Registry reg = two_orgs();
    EventFields f = rename_fields();
    auto ok = event_from_fields(f, "x");
    ASSERT_TRUE(ok);
    EXPECT_TRUE(kyso::reorg::validate_events(reg, {*ok}));
    f.text["org"] = "NOWHERE";
    auto bad = event_from_fields(f, "x");
    ASSERT_TRUE(bad);
    auto s = kyso::reorg::validate_events(reg, {*bad});
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, "event.unknown_reference");
    EXPECT_EQ(s.error().where.id, "E1");
    EXPECT_EQ(s.error().where.field, "org");
    // Every event is checked, whatever its date: a later event is not left for later.
    EventFields g = rename_fields();
    g.text["id"] = "E0";
    g.text["effective_date"] = "2025-01-01";
    auto early = event_from_fields(g, "x");
    ASSERT_TRUE(early);
    EXPECT_FALSE(kyso::reorg::validate_events(reg, {*early, *bad}));
}
