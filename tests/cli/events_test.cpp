// Tests: `kyso events apply|list` through the real binary: the registry takes the new state,
// history is kept, and the plan from the database stays the plan of the decisions.
#include <nlohmann/json.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "bundle/bundle.h"
#include "bundle/events_json.h"
#include "cli_harness.h"
#include "reorg/replay.h"
#include "store/store.h"

using namespace kyso::testing;

namespace {

// The lines of `text` that contain `what`.
std::vector<std::string> lines_with(const std::string& text, const std::string& what) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.find(what) != std::string::npos) out.push_back(line);
    }
    return out;
}

kyso::Date day(const char* text) {
    return *kyso::Date::parse(text);
}

// FORMATS.md §2: one event more, appended to the sample's events.json.
void append_event(const std::string& bundle, const std::string& event_json) {
    const std::string file = bundle + "/events.json";
    auto doc = nlohmann::ordered_json::parse(read_file(file));
    doc["events"].push_back(nlohmann::ordered_json::parse(event_json));
    write_file(file, doc.dump(1));
}

}  // namespace

class EventsApply : public ScratchDir {
protected:
    void SetUp() override {
        ScratchDir::SetUp();
        db = path("kyso.db");
        auto imported = run_kyso("import --db " + db + " --bundle " + kSampleBundle);
        ASSERT_EQ(imported.exit_code, 0) << imported.out;
    }
    RunResult kyso(const std::string& args) { return run_kyso(args + " --db " + db); }

    std::string db;
};

TEST_F(EventsApply, AppliesEveryEventOnceAndSaysSo) {
    auto first = kyso("events apply");
    ASSERT_EQ(first.exit_code, 0) << first.out;
    EXPECT_NE(first.out.find("Applied 110 events as of 2025-07-01: 10 organizations changed, 8 "
                             "created, 65 ceased; 177 people moved."),
              std::string::npos)
        << first.out;

    // Idempotent: the second run finds nothing to do and says so.
    auto second = kyso("events apply");
    ASSERT_EQ(second.exit_code, 0) << second.out;
    EXPECT_NE(second.out.find("No events to apply as of 2025-07-01 (110 events already applied)"),
              std::string::npos)
        << second.out;
    auto vi = run_kyso("events apply --db " + db, "KYSO_LANG=vi");
    EXPECT_NE(vi.out.find("Không có sự kiện nào cần áp dụng"), std::string::npos) << vi.out;
}

TEST_F(EventsApply, StatusShowsTheOrganizationsThatCeased) {
    EXPECT_NE(kyso("status").out.find("organizations: 98 (98 active)"), std::string::npos);
    ASSERT_EQ(kyso("events apply").exit_code, 0);
    // 8 organizations created by merges under a new name, 65 ceased.
    const auto after = kyso("status");
    EXPECT_NE(after.out.find("organizations: 106 (41 active)"), std::string::npos) << after.out;
    EXPECT_NE(after.out.find("people: 303"), std::string::npos);
    EXPECT_NE(after.out.find("certificates: 370 (363 valid, 7 revoked)"), std::string::npos);
}

TEST_F(EventsApply, AsOfAppliesTheEventsUpToThatDayInWaves) {
    auto spring = kyso("events apply --as-of 2025-03-01");
    ASSERT_EQ(spring.exit_code, 0) << spring.out;
    EXPECT_NE(spring.out.find("Applied 19 events as of 2025-03-01"), std::string::npos)
        << spring.out;
    EXPECT_NE(spring.out.find("91 events taking effect after 2025-03-01 are not applied yet."),
              std::string::npos);
    auto summer = kyso("events apply");
    ASSERT_EQ(summer.exit_code, 0) << summer.out;
    EXPECT_NE(summer.out.find("Applied 91 events as of 2025-07-01"), std::string::npos);
    EXPECT_NE(kyso("status").out.find("organizations: 106 (41 active)"), std::string::npos);
}

TEST_F(EventsApply, ListMarksTheAppliedEvents) {
    ASSERT_EQ(kyso("events apply --as-of 2025-03-01").exit_code, 0);
    const auto list = kyso("events list");
    ASSERT_EQ(list.exit_code, 0) << list.out;
    EXPECT_NE(list.out.find("2025-03-01  E00001  merge  applied\n"), std::string::npos) << list.out;
    EXPECT_NE(list.out.find("2025-07-01  E00110  person_leaves  not applied\n"), std::string::npos);
    EXPECT_EQ(lines_with(list.out, "2025-03-01  ").size(), 19u);
    EXPECT_EQ(lines_with(list.out, "  not applied").size(), 91u);
    EXPECT_NE(list.out.find("110 events: 19 applied, 91 not applied."), std::string::npos);
    const auto vi = run_kyso("events list --db " + db, "KYSO_LANG=vi");
    EXPECT_NE(vi.out.find("E00001  Hợp nhất/sáp nhập  đã áp dụng"), std::string::npos) << vi.out;
}

// `events apply` changes the registry, not the certificates, so the actions the applied events
// call for are still owed: the plan from the database stays the plan of the original bundle,
// byte for byte, with or without --as-of, after some or all events are applied.
TEST_F(EventsApply, PlanFromTheDatabaseStaysThePlanOfTheBundle) {
    ASSERT_EQ(
        run_kyso("plan --bundle " + kSampleBundle + " --out " + path("bundle.json")).exit_code, 0);
    ASSERT_EQ(run_kyso("plan --bundle " + kSampleBundle + " --as-of 2025-03-01 --out " +
                       path("bundle-march.json"))
                  .exit_code,
              0);
    const std::string bundle_plan = read_file(path("bundle.json"));
    const std::string bundle_march = read_file(path("bundle-march.json"));

    ASSERT_EQ(kyso("events apply --as-of 2025-03-01").exit_code, 0);
    ASSERT_EQ(kyso("plan --out " + path("partly.json")).exit_code, 0);
    EXPECT_EQ(read_file(path("partly.json")), bundle_plan);

    ASSERT_EQ(kyso("events apply").exit_code, 0);
    ASSERT_EQ(kyso("plan --out " + path("all.json")).exit_code, 0);
    EXPECT_EQ(read_file(path("all.json")), bundle_plan);
    ASSERT_EQ(kyso("plan --as-of 2025-07-01 --out " + path("july.json")).exit_code, 0);
    EXPECT_EQ(read_file(path("july.json")), bundle_plan);
    ASSERT_EQ(kyso("plan --as-of 2025-03-01 --out " + path("march.json")).exit_code, 0);
    EXPECT_EQ(read_file(path("march.json")), bundle_march);

    // The revocations of certificates of organizations that ceased are still there.
    const auto plan = nlohmann::json::parse(read_file(path("all.json")));
    EXPECT_EQ(plan["summary"]["revoke"], 59);
    EXPECT_EQ(plan["summary"]["change_info"], 179);
}

// History kept: the registry loaded as of a past day is the state the events gave on that day.
TEST_F(EventsApply, RegistryAsOfAPastDayIsTheStateTheEventsGaveThatDay) {
    ASSERT_EQ(kyso("events apply --as-of 2025-03-01").exit_code, 0);
    ASSERT_EQ(kyso("events apply").exit_code, 0);
    auto bundle = kyso::bundle::read_bundle(kSampleBundle);
    ASSERT_TRUE(bundle) << bundle.error().describe(true);
    const kyso::Registry& original = bundle->registry;
    auto store = kyso::store::open_store(db);
    ASSERT_TRUE(store);

    const auto before = (*store)->load_registry(day("2025-02-28"));
    ASSERT_TRUE(before);
    ASSERT_EQ(before->organizations.size(), original.organizations.size());
    for (const auto& p : original.people) EXPECT_EQ(before->person(p.id)->org_id, p.org_id);

    for (const char* when : {"2025-03-01", "2025-06-30", "2025-07-01"}) {
        SCOPED_TRACE(when);
        auto rp = kyso::reorg::replay(original, bundle->events, day(when));
        ASSERT_TRUE(rp);
        const auto loaded = (*store)->load_registry(day(when));
        ASSERT_TRUE(loaded);
        ASSERT_EQ(loaded->organizations.size(), rp->orgs.size());
        for (const auto& s : rp->orgs) {
            const kyso::Organization* o = loaded->org(s.id);
            ASSERT_NE(o, nullptr) << s.id;
            EXPECT_EQ(o->ceased_on, s.ceased_on) << s.id;
            EXPECT_EQ(o->successor_id, s.successor) << s.id;
            if (!s.active) continue;  // a ceased organization keeps its last version
            EXPECT_EQ(o->current().name, s.name) << s.id;
            EXPECT_EQ(o->current().superior_id, s.superior_id) << s.id;
            EXPECT_EQ(o->current().province, s.province) << s.id;
        }
        std::size_t moved = 0;
        for (std::size_t i = 0; i < original.people.size(); ++i) {
            const auto& state = rp->people[i];
            const kyso::Person* p = loaded->person(original.people[i].id);
            if (state.org_id.empty()) {
                // Left without organization by a dissolve: stays where it was, now ceased.
                EXPECT_TRUE(loaded->org(p->org_id)->ceased_on) << p->id;
                continue;
            }
            EXPECT_EQ(p->org_id, state.org_id) << p->id;
            moved += p->org_id != original.people[i].org_id ? 1 : 0;
        }
        EXPECT_GT(moved, 0u);
    }
}

TEST_F(EventsApply, ExportAfterApplyPlansLikeTheOriginalBundle) {
    ASSERT_EQ(kyso("events apply").exit_code, 0);
    // A bundle is the registered state plus its events: the export after `events apply` holds
    // the state before the first applied event and every event, so nothing is applied twice.
    auto exported = run_kyso("export --db " + db + " --bundle " + path("out"));
    ASSERT_EQ(exported.exit_code, 0) << exported.out;
    EXPECT_NE(exported.out.find("98 organizations, 303 people"), std::string::npos) << exported.out;
    auto out = kyso::bundle::read_bundle(path("out"));
    ASSERT_TRUE(out) << out.error().describe(true);
    EXPECT_EQ(out->registry.org("P81-snnmt"), nullptr);  // E00005 creates it again
    EXPECT_EQ(out->events.size(), 110u);
    ASSERT_EQ(run_kyso("plan --bundle " + path("out") + " --out " + path("a.json")).exit_code, 0);
    ASSERT_EQ(run_kyso("plan --bundle " + kSampleBundle + " --out " + path("b.json")).exit_code, 0);
    EXPECT_EQ(read_file(path("a.json")), read_file(path("b.json")));
}

TEST_F(EventsApply, BadAsOfIsAnErrorAndChangesNothing) {
    auto bad = kyso("events apply --as-of 2025-02-30");
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.out.find("--as-of: invalid date \"2025-02-30\""), std::string::npos) << bad.out;
    EXPECT_NE(kyso("events list").out.find("110 events: 0 applied, 110 not applied."),
              std::string::npos);
    EXPECT_NE(kyso("status").out.find("organizations: 98 (98 active)"), std::string::npos);
}

TEST_F(EventsApply, NothingEffectiveYetAppliesNothing) {
    auto early = kyso("events apply --as-of 2025-01-01");
    ASSERT_EQ(early.exit_code, 0) << early.out;
    EXPECT_NE(early.out.find("No events to apply as of 2025-01-01 (0 events already applied)"),
              std::string::npos)
        << early.out;
    EXPECT_NE(early.out.find("110 events taking effect after 2025-01-01 are not applied yet."),
              std::string::npos);
    EXPECT_NE(kyso("events list").out.find("110 events: 0 applied"), std::string::npos);
}

TEST_F(EventsApply, ReplayErrorIsReportedAndNothingIsWritten) {
    // `import --bundle` refuses such an event (events_entry_test.cpp); one stored anyway, by
    // an older kyso or straight through the store, is refused by `events apply` too.
    auto bad = kyso::bundle::parse_events_json(
        R"({"events":[{"id": "E99999", "type": "rename", "effective_date": "2025-07-01",
                       "org": "NOWHERE", "name": "Sở Không Có"}]})");
    ASSERT_TRUE(bad);
    {
        auto store = kyso::store::open_store(db);
        ASSERT_TRUE(store);
        ASSERT_TRUE((*store)->import_registry(kyso::Registry{}, *bad, "test", "test"));
    }
    auto r = kyso("events apply");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("E99999"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("NOWHERE"), std::string::npos) << r.out;
    EXPECT_NE(kyso("events list").out.find("111 events: 0 applied"), std::string::npos);
    EXPECT_NE(kyso("status").out.find("organizations: 98 (98 active)"), std::string::npos);
}

// Versions are dated by their event: an event earlier than one already applied cannot be
// slotted into the recorded history.
TEST_F(EventsApply, EventEarlierThanAnAppliedOneIsRefused) {
    ASSERT_EQ(kyso("events apply").exit_code, 0);
    const std::string bundle = copy_bundle(kSampleBundle, "late");
    append_event(bundle, R"({"id": "E99999", "type": "rename", "effective_date": "2025-05-01",
                             "org": "P81", "name": "Ủy ban nhân dân tỉnh Sông Lam mới"})");
    ASSERT_EQ(run_kyso("import --db " + db + " --bundle " + bundle).exit_code, 0);
    auto r = kyso("events apply");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("event \"E99999\" takes effect on 2025-05-01, before the applied event"),
              std::string::npos)
        << r.out;
    EXPECT_NE(kyso("events list").out.find("111 events: 110 applied, 1 not applied."),
              std::string::npos);
    // Still plannable from the stored history.
    auto plan = kyso("plan --out " + path("p.json"));
    EXPECT_EQ(plan.exit_code, 0) << plan.out;
}

// FORMATS.md §1/§2 amendments: organizations' admin_unit, and a `create` event (a new
// organization from parts of others, which continue) applied, kept, planned and exported.
TEST_F(EventsApply, CreateAndAdminUnitAreAppliedPlannedAndRoundTrip) {
    const std::string bundle = copy_bundle(kSampleBundle, "with-create");
    {
        std::istringstream in(read_file(bundle + "/organizations.csv"));
        std::string out, line;
        for (bool header = true; std::getline(in, line); header = false) {
            if (line.ends_with('\r')) line.pop_back();  // the sample has CRLF line ends
            out += line + (header ? ",admin_unit" : line.starts_with("P81,") ? ",40" : ",") + "\n";
        }
        write_file(bundle + "/organizations.csv", out);
    }
    append_event(bundle, R"({"id": "E90001", "type": "create", "effective_date": "2025-03-01",
                             "legal_basis": "Quyết định số 12/QĐ-UBND",
                             "new": {"id": "P81-sdttg", "name": "Sở Dân tộc và Tôn giáo tỉnh Sông Lam",
                                     "superior_id": "P81", "province": "Tỉnh Sông Lam",
                                     "admin_unit": "40"},
                             "parts_from": ["P81-snv", "P81-vp"]})");
    const std::string created_db = path("created.db");
    auto r = run_kyso("import --db " + created_db + " --bundle " + bundle);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    r = run_kyso("events apply --db " + created_db);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("9 created, 65 ceased"), std::string::npos) << r.out;

    {
        auto store = kyso::store::open_store(created_db);
        ASSERT_TRUE(store);
        auto reg = (*store)->load_registry();
        ASSERT_TRUE(reg);
        const kyso::Organization* made = reg->org("P81-sdttg");
        ASSERT_NE(made, nullptr);
        EXPECT_EQ(made->versions.front().event_id, "E90001");
        EXPECT_EQ(made->current().admin_unit, "40");
        EXPECT_EQ(reg->org("P81")->versions.front().admin_unit, "40");
        EXPECT_EQ(reg->org("P81-snv")->versions.front().admin_unit, "");
        // The organizations that gave a part continue: the create ends neither (the province's
        // merger in July does).
        for (const char* id : {"P81-snv", "P81-vp"}) {
            EXPECT_NE(reg->org(id)->ceased_by_event, "E90001") << id;
            EXPECT_NE(reg->org(id)->ceased_on, std::optional<kyso::Date>(day("2025-03-01"))) << id;
        }
    }

    // Planned like a merge under a new name without a carrier, from the bundle and the database.
    ASSERT_EQ(run_kyso("plan --bundle " + bundle + " --out " + path("b.json")).exit_code, 0);
    ASSERT_EQ(run_kyso("plan --db " + created_db + " --out " + path("d.json")).exit_code, 0);
    EXPECT_EQ(read_file(path("b.json")), read_file(path("d.json")));
    const auto plan = nlohmann::json::parse(read_file(path("b.json")));
    bool issued = false;
    for (const auto& a : plan["actions"]) {
        if (a["action"] == "issue" && a["holder"]["id"] == "P81-sdttg") {
            issued = true;
            EXPECT_EQ(a["rule"], "1.1a");
            // P81 merged into P82 in July: the final subject is under P82.
            EXPECT_EQ(a["new_subject"][2][0], "O");
            EXPECT_NE(a["new_subject"][2][1].get<std::string>().find("Ủy ban nhân dân tỉnh"),
                      std::string::npos);
            EXPECT_EQ(a["new_subject"].back()[1], "Sở Dân tộc và Tôn giáo tỉnh Sông Lam");
        }
    }
    EXPECT_TRUE(issued) << plan["summary"];
    const auto sample = nlohmann::json::parse(read_file(kSampleBundle + "/expected-plan.json"));
    EXPECT_EQ(plan["summary"]["issue"].get<int>(), sample["summary"]["issue"].get<int>() + 1);
    EXPECT_EQ(plan["summary"]["considered"], sample["summary"]["considered"]);

    // Export → import → export: the same bytes, admin_unit and the event's fields included.
    ASSERT_EQ(run_kyso("export --db " + created_db + " --bundle " + path("out1")).exit_code, 0);
    const std::string orgs = read_file(path("out1/organizations.csv"));
    EXPECT_TRUE(orgs.starts_with("id,name,superior_id,province,agency_code,kind,admin_unit\n"));
    EXPECT_NE(
        orgs.find("\nP81,Ủy ban nhân dân tỉnh Sông Lam,,Tỉnh Sông Lam,,people_committee,40\n"),
        std::string::npos);
    const std::string events = read_file(path("out1/events.json"));
    EXPECT_NE(events.find("\"parts_from\""), std::string::npos);
    EXPECT_NE(events.find("\"admin_unit\": \"40\""), std::string::npos);
    ASSERT_EQ(run_kyso("import --db " + path("again.db") + " --bundle " + path("out1")).exit_code,
              0);
    ASSERT_EQ(run_kyso("export --db " + path("again.db") + " --bundle " + path("out2")).exit_code,
              0);
    for (const char* f :
         {"organizations.csv", "people.csv", "devices.csv", "certificates.csv", "events.json"}) {
        EXPECT_EQ(read_file(path("out1/") + f), read_file(path("out2/") + f)) << f;
    }
}
