// Tests: input errors refuse the plan and name the event (FORMATS.md §3 "Input errors").
#include "plan_fixture.h"

using kyso::testing::PlanFixture;

namespace {

PlanFixture base() {
    PlanFixture f;
    f.org("P", "Ủy ban nhân dân tỉnh Sông Lam").org("A", "Sở A", "P").org("B", "Sở B", "P");
    f.person("u1", "Nguyễn Văn An", "A");
    return f;
}

kyso::Error error_for(const std::string& events) {
    auto f = base();
    f.events(events);
    return f.plan_error();
}

}  // namespace

TEST(PlanErrors, UnknownOrganizationNamesTheEvent) {
    auto e = error_for(
        R"([{"id":"E7","type":"rename","effective_date":"2025-03-01","org":"ZZ","name":"x"}])");
    EXPECT_EQ(e.code, "event.unknown_reference");
    EXPECT_EQ(e.where.id, "E7");
    EXPECT_EQ(e.where.field, "org");
}

TEST(PlanErrors, CeasedOrganization) {
    auto e = error_for(
        R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["A","B"],"keep":"A"},
                           {"id":"E2","type":"rename","effective_date":"2025-04-01","org":"B","name":"x"}])");
    EXPECT_EQ(e.code, "event.ceased");
    EXPECT_EQ(e.where.id, "E2");
}

TEST(PlanErrors, TransferToCeasedOrganization) {
    auto e = error_for(R"([{"id":"E1","type":"dissolve","effective_date":"2025-03-01","org":"B"},
                           {"id":"E2","type":"transfer","effective_date":"2025-04-01","person":"u1","to_org":"B"}])");
    EXPECT_EQ(e.code, "event.ceased");
    EXPECT_EQ(e.where.id, "E2");
}

TEST(PlanErrors, KeepOutsideSources) {
    auto e = error_for(
        R"([{"id":"E3","type":"merge","effective_date":"2025-03-01","sources":["A"],"keep":"B"}])");
    EXPECT_EQ(e.code, "event.not_a_source");
    EXPECT_EQ(e.where.id, "E3");
}

TEST(PlanErrors, CertCarrierOutsideSources) {
    auto e = error_for(R"([{"id":"E3","type":"merge","effective_date":"2025-03-01","sources":["A"],
                            "new":{"id":"N","name":"x"},"cert_carrier":"B"}])");
    EXPECT_EQ(e.code, "event.not_a_source");
}

TEST(PlanErrors, SourceListedTwice) {
    auto e = error_for(
        R"([{"id":"E3","type":"merge","effective_date":"2025-03-01","sources":["A","A"],"keep":"A"}])");
    EXPECT_EQ(e.code, "event.duplicate_source");
}

TEST(PlanErrors, NewIdAlreadyExists) {
    auto e = error_for(R"([{"id":"E3","type":"merge","effective_date":"2025-03-01","sources":["A"],
                            "new":{"id":"B","name":"x"}}])");
    EXPECT_EQ(e.code, "event.new_exists");
}

TEST(PlanErrors, UnknownPersonAndSuccessor) {
    EXPECT_EQ(
        error_for(
            R"([{"id":"E1","type":"person_leaves","effective_date":"2025-03-01","person":"u9"}])")
            .code,
        "event.unknown_reference");
    EXPECT_EQ(
        error_for(
            R"([{"id":"E1","type":"dissolve","effective_date":"2025-03-01","org":"A","successor":"Q"}])")
            .where.field,
        "successor");
}

TEST(PlanErrors, ChangeOfSuperiorThatMakesACycle) {
    EXPECT_EQ(
        error_for(
            R"([{"id":"E1","type":"change_superior","effective_date":"2025-03-01","org":"P","superior_id":"A"}])")
            .code,
        "event.bad_field");
}

TEST(PlanErrors, UnknownOrCeasedPartsFromNamesTheEventAndField) {
    auto e = error_for(R"([{"id":"E4","type":"merge","effective_date":"2025-03-01","sources":["A"],
                            "keep":"A","parts_from":["Q"]}])");
    EXPECT_EQ(e.code, "event.unknown_reference");
    EXPECT_EQ(e.where.id, "E4");
    EXPECT_EQ(e.where.field, "parts_from");
    e = error_for(R"([{"id":"E4","type":"create","effective_date":"2025-03-01",
                       "new":{"id":"N","name":"x","superior_id":"P","province":"Tỉnh Sông Lam"},
                       "parts_from":["B","Q"]}])");
    EXPECT_EQ(e.code, "event.unknown_reference");
    EXPECT_EQ(e.where.field, "parts_from");
    e = error_for(R"([{"id":"E1","type":"dissolve","effective_date":"2025-03-01","org":"B"},
                      {"id":"E5","type":"create","effective_date":"2025-04-01",
                       "new":{"id":"N","name":"x","superior_id":"P","province":"Tỉnh Sông Lam"},
                       "parts_from":["B"]}])");
    EXPECT_EQ(e.code, "event.ceased");
    EXPECT_EQ(e.where.id, "E5");
}

TEST(PlanErrors, CreateWhoseNewIdExistsOrWhoseSuperiorIsUnknown) {
    auto e = error_for(R"([{"id":"E6","type":"create","effective_date":"2025-03-01",
                            "new":{"id":"A","name":"x","superior_id":"P","province":"Tỉnh Sông Lam"}}])");
    EXPECT_EQ(e.code, "event.new_exists");
    EXPECT_EQ(e.where.id, "E6");
    // Created by an earlier event counts too.
    e = error_for(R"([{"id":"E1","type":"create","effective_date":"2025-03-01",
                       "new":{"id":"N","name":"x","superior_id":"P","province":"Tỉnh Sông Lam"}},
                      {"id":"E2","type":"merge","effective_date":"2025-04-01","sources":["A"],
                       "new":{"id":"N","name":"y"}}])");
    EXPECT_EQ(e.code, "event.new_exists");
    EXPECT_EQ(e.where.id, "E2");
    e = error_for(R"([{"id":"E7","type":"create","effective_date":"2025-03-01",
                       "new":{"id":"N","name":"x","superior_id":"ZZ","province":"Tỉnh Sông Lam"}}])");
    EXPECT_EQ(e.code, "event.unknown_reference");
    EXPECT_EQ(e.where.field, "new.superior_id");
    // Without a province and nothing to take one from.
    e = error_for(R"([{"id":"E8","type":"create","effective_date":"2025-03-01",
                       "new":{"id":"N","name":"x","superior_id":"P"}}])");
    EXPECT_EQ(e.code, "event.missing_field");
    EXPECT_EQ(e.where.id, "E8");
}

TEST(EventsJson, CreateNeedsItsNewOrganization) {
    auto r = kyso::bundle::parse_events_json(
        R"({"events":[{"id":"E1","type":"create","effective_date":"2025-03-01","parts_from":["A"]}]})");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "event.missing_field");
    EXPECT_EQ(r.error().where.field, "new");
    r = kyso::bundle::parse_events_json(
        R"({"events":[{"id":"E1","type":"create","effective_date":"2025-03-01","new":{"name":"x"}}]})");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().where.field, "new.id");
    r = kyso::bundle::parse_events_json(
        R"({"events":[{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["A"],"keep":"A","parts_from":"B"}]})");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().where.field, "parts_from");
}

TEST(EventsJson, CreatePartsFromAndAdminUnitRoundTrip) {
    auto r = kyso::bundle::parse_events_json(
        R"({"events":[{"id":"E1","type":"create","effective_date":"2025-03-01","legal_basis":"QĐ 12",
                       "new":{"id":"N","name":"Sở Dân tộc và Tôn giáo","superior_id":"P","province":"Tỉnh Sông Lam",
                              "agency_code":"H41.70","admin_unit":"40"},"parts_from":["A","B"]},
                      {"id":"E2","type":"merge","effective_date":"2025-03-01","sources":["C","D"],
                       "new":{"id":"M","name":"Xã Mới","admin_unit":"06799"},"parts_from":["E"]}]})");
    ASSERT_TRUE(r) << r.error().describe(true);
    ASSERT_EQ(r->size(), 2u);
    const auto& create = (*r)[0];
    EXPECT_EQ(create.type, kyso::EventType::create);
    EXPECT_EQ(create.new_org->admin_unit, "40");
    EXPECT_EQ(create.new_org->agency_code, "H41.70");
    EXPECT_EQ(create.parts_from, (std::vector<std::string>{"A", "B"}));
    EXPECT_EQ((*r)[1].new_org->admin_unit, "06799");
    EXPECT_EQ((*r)[1].parts_from, (std::vector<std::string>{"E"}));
    const std::string text = kyso::bundle::events_to_json(*r);
    EXPECT_NE(text.find("\"admin_unit\": \"06799\""), std::string::npos) << text;
    EXPECT_NE(text.find("\"type\": \"create\""), std::string::npos) << text;
    auto again = kyso::bundle::parse_events_json(text);
    ASSERT_TRUE(again);
    EXPECT_EQ(kyso::bundle::events_to_json(*again), text);
    EXPECT_EQ((*again)[0].parts_from, create.parts_from);
    EXPECT_EQ((*again)[0].new_org->superior_id, std::optional<std::string>("P"));
}

TEST(EventsJson, BothOrNeitherKeepAndNewIsAnError) {
    auto both = kyso::bundle::parse_events_json(
        R"({"events":[{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["A"],"keep":"A","new":{"id":"N","name":"x"}}]})");
    ASSERT_FALSE(both);
    EXPECT_EQ(both.error().code, "event.keep_and_new");
    auto neither = kyso::bundle::parse_events_json(
        R"({"events":[{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["A"]}]})");
    ASSERT_FALSE(neither);
    EXPECT_EQ(neither.error().where.id, "E1");
}

TEST(EventsJson, BadDateNamesTheEvent) {
    auto r = kyso::bundle::parse_events_json(
        R"({"events":[{"id":"E9","type":"rename","effective_date":"2025-02-30","org":"A","name":"x"}]})");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().where.id, "E9");
    EXPECT_EQ(r.error().where.field, "effective_date");
}

TEST(EventsJson, MalformedJsonNamesTheLineAndColumn) {
    auto r = kyso::bundle::parse_events_json(R"({"events":[{"id":"E1",}]})");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "json.syntax");
    EXPECT_NE(r.error().message_en.find("events.json, line 1, column 23"), std::string::npos)
        << r.error().message_en;
}

TEST(EventsJson, UnknownTypeAndMissingField) {
    EXPECT_EQ(kyso::bundle::parse_events_json(
                  R"({"events":[{"id":"E1","type":"split","effective_date":"2025-03-01"}]})")
                  .error()
                  .code,
              "event.unknown_type");
    EXPECT_EQ(
        kyso::bundle::parse_events_json(
            R"({"events":[{"id":"E1","type":"rename","effective_date":"2025-03-01","org":"A"}]})")
            .error()
            .where.field,
        "name");
}

TEST(EventsJson, RoundTripsThroughText) {
    auto r = kyso::bundle::parse_events_json(
        R"({"events":[{"id":"E1","type":"merge","effective_date":"2025-03-01","legal_basis":"NQ 1","sources":["A","B"],
                       "new":{"id":"N","name":"Sở Mới","superior_id":""},"cert_carrier":"B"},
                      {"id":"E2","type":"change_superior","effective_date":"2025-03-01","org":"A","superior_id":""}]})");
    ASSERT_TRUE(r);
    auto again = kyso::bundle::parse_events_json(kyso::bundle::events_to_json(*r));
    ASSERT_TRUE(again);
    EXPECT_EQ(kyso::bundle::events_to_json(*again), kyso::bundle::events_to_json(*r));
    EXPECT_EQ((*again)[0].new_org->superior_id, std::optional<std::string>(""));
    EXPECT_FALSE((*again)[0].new_org->province.has_value());
}

TEST(EventsJson, NumberTooLargeIsAnErrorNotACrash) {
    // Found by fuzz_events: nlohmann reports this as out_of_range, not as a parse error.
    auto r = kyso::bundle::parse_events_json(R"({"events":[{"id":"E1","x":7e7777777}]})");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "event.json");
}
