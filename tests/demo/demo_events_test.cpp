// Tests: the reorganization events of the synthetic bundle (kyso demo-data), FORMATS.md §2.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <unordered_set>

#include "demo/demo_sample.h"
#include "demo/names.h"

using kyso::demo::testing::sample;

TEST(DemoEvents, EveryEventTypeIsPresentWithALegalBasis) {
    std::set<kyso::EventType> types;
    bool merge_new = false;
    bool merge_keep = false;
    bool carrier = false;
    bool successor = false;
    for (const auto& e : sample().events) {
        types.insert(e.type);
        EXPECT_FALSE(e.legal_basis.empty()) << e.id;
        EXPECT_TRUE(e.effective_date == (kyso::Date{2025, 3, 1}) ||
                    e.effective_date == (kyso::Date{2025, 7, 1}));
        merge_new = merge_new || e.new_org.has_value();
        merge_keep = merge_keep || !e.keep.empty();
        carrier = carrier || !e.cert_carrier.empty();
        successor = successor || !e.successor.empty();
    }
    EXPECT_EQ(types.size(), 7u);
    EXPECT_TRUE(merge_new && merge_keep && carrier && successor);
}

TEST(DemoEvents, EventsReferToExistingOrganizationsNotYetCeased) {
    const auto& b = sample();
    std::unordered_set<std::string> alive;
    std::unordered_set<std::string> known;
    std::unordered_set<std::string> provinces;
    for (const auto& o : b.registry.organizations) {
        alive.insert(o.id);
        known.insert(o.id);
        provinces.insert(o.current().province);
    }
    std::unordered_set<std::string> people;
    for (const auto& p : b.registry.people) people.insert(p.id);
    std::unordered_set<std::string> event_ids;
    kyso::Date last{2025, 1, 1};
    auto live = [&](const std::string& id, const kyso::ReorgEvent& e) {
        EXPECT_TRUE(alive.contains(id)) << e.id << " names " << id;
    };
    for (const auto& e : b.events) {
        EXPECT_TRUE(event_ids.insert(e.id).second) << e.id;
        EXPECT_LE(last, e.effective_date) << e.id;  // written in the order they apply
        last = e.effective_date;
        switch (e.type) {
            case kyso::EventType::merge: {
                std::set<std::string> seen;
                for (const auto& s : e.sources) {
                    live(s, e);
                    EXPECT_TRUE(seen.insert(s).second) << e.id << " repeats " << s;
                }
                EXPECT_NE(e.keep.empty(), !e.new_org.has_value()) << e.id;
                if (!e.cert_carrier.empty()) {
                    EXPECT_TRUE(seen.contains(e.cert_carrier)) << e.id;
                }
                if (!e.keep.empty()) {
                    EXPECT_TRUE(seen.contains(e.keep)) << e.id;
                }
                for (const auto& s : e.sources) {
                    if (s != e.keep) alive.erase(s);
                }
                if (e.new_org) {
                    EXPECT_TRUE(known.insert(e.new_org->id).second) << e.id;
                    if (e.new_org->superior_id) live(*e.new_org->superior_id, e);
                    alive.insert(e.new_org->id);
                }
                break;
            }
            case kyso::EventType::create:
                for (const auto& s : e.parts_from) live(s, e);
                EXPECT_TRUE(known.insert(e.new_org->id).second) << e.id;
                alive.insert(e.new_org->id);
                break;
            case kyso::EventType::rename:
                live(e.org, e);
                break;
            case kyso::EventType::change_superior:
                live(e.org, e);
                live(e.superior_id.value_or(""), e);
                break;
            case kyso::EventType::merge_province:
                for (const auto& s : e.sources) EXPECT_TRUE(provinces.contains(s)) << e.id;
                EXPECT_TRUE(provinces.contains(e.into)) << e.id;
                break;
            case kyso::EventType::dissolve:
                live(e.org, e);
                if (!e.successor.empty()) live(e.successor, e);
                alive.erase(e.org);
                break;
            case kyso::EventType::transfer:
                EXPECT_TRUE(people.contains(e.person)) << e.id;
                live(e.to_org, e);
                break;
            case kyso::EventType::person_leaves:
                EXPECT_TRUE(people.contains(e.person)) << e.id;
                break;
        }
    }
    // The district level is gone: only communes remain of what was under a district.
    for (const auto& id : alive) {
        if (id.find("-H") != std::string::npos) {
            EXPECT_NE(id.find("-X"), std::string::npos) << id;
        }
    }
}

TEST(DemoNames, FoldsAndUpperCasesVietnamese) {
    std::string ascii;
    kyso::demo::append_ascii_fold(ascii, "Đỗ Thị Hằng Ưng Ỹ");
    EXPECT_EQ(ascii, "dothihangungy");
    EXPECT_EQ(kyso::demo::vietnamese_upper("Nguyễn Văn Đức ơ ư ặ"), "NGUYỄN VĂN ĐỨC Ơ Ư Ặ");
}
