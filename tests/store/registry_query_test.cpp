// Tests: RegistryQuery on SQLite and PostgreSQL (Backends/…/sqlite, …/postgres) — lists with
// filters, subtree, search without tone marks, sorting and pages; details with ETags; corrections
// and removals under If-Match, audited.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "store/registry_query.h"
#include "store/workflow_store.h"
#include "store_fixture.h"
#include "store_test_data.h"

namespace kyso::store_test {
namespace {

class RegistryQueryTest : public StoreTest {
protected:
    // SQL run behind the store's back; the test fails when it does not run.
    void run_sql(const std::string& sql) { ASSERT_EQ(raw_sql(sql), "") << sql; }

    void SetUp() override {
        StoreTest::SetUp();
        // GTEST_SKIP in the base (no KYSO_TEST_PG) returns from it only: stop here too.
        if (IsSkipped() || HasFatalFailure()) return;
        Registry r = sample_registry();
        Certificate orphan = r.certificates[1];
        orphan.serial = "7A";
        orphan.holder = {};
        orphan.subject_text = "CN=Test CA,C=VN";
        orphan.subject = {{"C", "VN"}, {"CN", "Test CA"}};
        r.certificates.push_back(orphan);
        r.reindex();
        import(r);
        auto q = store::open_registry_query(location_);
        ASSERT_TRUE(q) << q.error().describe(true);
        query_ = std::move(*q);
    }
    void TearDown() override {
        query_.reset();
        StoreTest::TearDown();
    }

    template <typename T, typename Key>
    static std::vector<std::string> keys(const store::ListPage<T>& page, Key key) {
        std::vector<std::string> out;
        for (const T& item : page.items) out.push_back(key(item));
        return out;
    }
    std::vector<std::string> person_ids(const store::PersonQuery& q) {
        auto page = query_->people(q);
        EXPECT_TRUE(page) << page.error().describe(true);
        return page ? keys(*page, [](const Person& p) { return p.id; })
                    : std::vector<std::string>{};
    }
    std::vector<std::string> person_search(const std::string& text) {
        store::PersonQuery q;
        q.search = text;
        return person_ids(q);
    }
    std::vector<std::string> serials(const store::CertificateQuery& q) {
        auto page = query_->certificates(q);
        EXPECT_TRUE(page) << page.error().describe(true);
        return page ? keys(*page, [](const Certificate& c) { return c.serial; })
                    : std::vector<std::string>{};
    }
    std::vector<std::string> org_ids(const store::OrganizationQuery& q) {
        auto page = query_->organizations(q);
        EXPECT_TRUE(page) << page.error().describe(true);
        return page ? keys(*page, [](const Organization& o) { return o.id; })
                    : std::vector<std::string>{};
    }
    std::vector<store::AuditEntry> audit() {
        auto wf = store::open_workflow_store(location_);
        EXPECT_TRUE(wf);
        auto entries = (*wf)->audit_entries();
        EXPECT_TRUE(entries);
        return entries ? *entries : std::vector<store::AuditEntry>{};
    }
    store::EditContext ctx(const std::string& etag, const std::string& reason = "sai chính tả") {
        return store::EditContext{etag, reason, "officer1"};
    }

    std::unique_ptr<store::RegistryQuery> query_;
};

using V = std::vector<std::string>;

TEST_P(RegistryQueryTest, SearchFindsNamesWithoutToneMarksAndInAnyCase) {
    EXPECT_EQ(person_search("nguyen van an"), V{"p1"});
    EXPECT_EQ(person_search("NGUYỄN Văn"), V{"p1"});
    EXPECT_EQ(person_search("le van cuong"), V{"p3"});
    EXPECT_EQ(person_search("tran thi"), V{"p2"});
    EXPECT_EQ(person_search("nguyen cuong"), V{});  // every word must match
    store::OrganizationQuery q;
    q.search = "dong";  // "Đông": đ → d
    EXPECT_EQ(org_ids(q), V{"HUYEN"});
    q.search = "song lam";  // a former name of UBT
    EXPECT_EQ(org_ids(q), V{"UBT"});
    q.search = "tai chinh";
    EXPECT_EQ(org_ids(q), V{"STC"});
}

TEST_P(RegistryQueryTest, SearchWordsAreWholeWordsButALastOneOfThreeLettersMayStartAWord) {
    EXPECT_EQ(person_search("nguyen van an"), V{"p1"});
    EXPECT_EQ(person_search("nguyen va"), V{});     // "va" is not a word of "Nguyễn Văn An"
    EXPECT_EQ(person_search("nguy van an"), V{});   // only the last word may be a start
    EXPECT_EQ(person_search("van nguy"), V{"p1"});  // "nguy…": three letters or more
    EXPECT_EQ(person_search("le van cuo"), V{"p3"});
    EXPECT_EQ(person_search("le va"), V{});
}

TEST(SearchTerms, OnlyTheLastWordOfThreeOrMoreCharactersIsAPrefix) {
    const auto t = store::search_terms("Nguyễn  Văn An");
    ASSERT_EQ(t.size(), 3u);
    EXPECT_EQ(t[0].forms, V{"nguyen"});
    EXPECT_FALSE(t[0].prefix);
    EXPECT_FALSE(t[2].prefix);  // "an": two letters, a whole word
    EXPECT_TRUE(store::search_terms("nguyen van anh").back().prefix);
    const auto serial = store::search_terms("a1b");
    ASSERT_EQ(serial.size(), 1u);
    EXPECT_EQ(serial[0].forms, (V{"a1b", "0a1b"}));
    EXPECT_TRUE(serial[0].prefix);
    EXPECT_TRUE(store::search_terms(" ,; ").empty());
}

TEST_P(RegistryQueryTest, SearchFindsCccdEmailSerialAndSubject) {
    EXPECT_EQ(person_search("040088012345"), V{"p1"});
    EXPECT_EQ(person_search("0400880"), V{"p1"});  // the start of a number
    EXPECT_EQ(person_search("an@stc.gov.vn"), V{"p1"});
    store::CertificateQuery q;
    q.search = "0a:1b";
    EXPECT_EQ(serials(q), V{"0A1B"});
    q.search = "0a:1";  // its last byte being typed
    EXPECT_EQ(serials(q), V{"0A1B"});
    q.search = "0A1B";
    EXPECT_EQ(serials(q), V{"0A1B"});
    q.search = "a1b";  // without the leading zero
    EXPECT_EQ(serials(q), V{"0A1B"});
    q.search = "cuong";  // in the subject
    EXPECT_EQ(serials(q), V{"1F"});
    q.search = "test ca";
    EXPECT_EQ(serials(q), V{"7A"});
}

TEST_P(RegistryQueryTest, SubtreeIsComputedOnTheCurrentSuperiorChain) {
    store::PersonQuery q;
    q.org_subtree = "UBT";
    EXPECT_EQ(person_ids(q), (V{"p1", "p3"}));  // p1 in STC under UBT; p2 unassigned
    q.org_subtree = "STC";
    EXPECT_EQ(person_ids(q), V{"p1"});
    // A scoped user asking for another subtree sees the intersection only.
    q.scope = "STC";
    q.org_subtree = "UBT";
    EXPECT_EQ(person_ids(q), V{"p1"});

    store::CertificateQuery c;
    c.scope = "STC";
    EXPECT_EQ(serials(c), (V{"0A1B", "0C"}));  // p1's and STC's own; never the unlinked one
    store::DeviceQuery d;
    d.scope = "STC";
    auto devices = query_->devices(d);
    ASSERT_TRUE(devices);
    EXPECT_EQ(keys(*devices, [](const Device& x) { return x.id; }), (V{"d1", "d3"}));
    store::OrganizationQuery o;
    o.scope = "UBT";
    EXPECT_EQ(org_ids(o), (V{"HUYEN", "STC", "UBT"}));
    o.scope = "STC";
    EXPECT_EQ(org_ids(o), V{"STC"});
}

TEST_P(RegistryQueryTest, SubtreeFollowsPeopleMovedByEvents) {
    import(Registry{}, sample_events());
    auto applied = store_->apply_events({}, {{"p2", day("2025-08-01"), "STC", "E4"}}, {"E4"},
                                        day("2025-08-01"), "tester");
    ASSERT_TRUE(applied) << applied.error().describe(true);
    store::PersonQuery q;
    q.org_subtree = "STC";
    EXPECT_EQ(person_ids(q), (V{"p1", "p2"}));
    auto p2 = query_->person("p2");
    ASSERT_TRUE(p2);
    EXPECT_EQ(p2->record.person.org_id, "STC");
    EXPECT_EQ(p2->record.registered_org_id, "");
    store::PersonPatch patch;
    patch.org_id = "UBT";
    auto refused = query_->correct_person("p2", patch, ctx(p2->etag));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "store.person_moved");
}

// A search in a subtree: the index holds each record's organizations now (migration 0012), and
// keeps them when a person moves, a certificate changes holder or an organization superior.
TEST_P(RegistryQueryTest, SearchInASubtreeFindsItsRecordsOnly) {
    store::PersonQuery p;
    p.search = "van";
    p.scope = "UBT";
    EXPECT_EQ(person_ids(p), (V{"p1", "p3"}));
    p.scope = "STC";
    EXPECT_EQ(person_ids(p), V{"p1"});
    p.org_subtree = "HUYEN";  // a scoped user asking for another subtree: none of it is theirs
    EXPECT_EQ(person_ids(p), V{});
    store::CertificateQuery c;
    c.search = "van";
    c.scope = "STC";
    EXPECT_EQ(serials(c), V{"0A1B"});
    c.scope = "UBT";
    EXPECT_EQ(serials(c), (V{"0A1B", "1F"}));
    c.search = "test ca";  // the unlinked certificate sits under no organization
    EXPECT_EQ(serials(c), V{});
    store::OrganizationQuery o;
    o.search = "tai chinh";
    o.scope = "UBT";
    EXPECT_EQ(org_ids(o), V{"STC"});
    o.scope = "HUYEN";
    EXPECT_EQ(org_ids(o), V{});
}

TEST_P(RegistryQueryTest, SearchInASubtreeFollowsMovesHoldersAndSuperiors) {
    // A person moved by an event, and with them what they hold.
    import(Registry{}, sample_events());
    ASSERT_TRUE(store_->apply_events({}, {{"p3", day("2025-08-01"), "STC", "E4"}}, {"E4"},
                                     day("2025-08-01"), "tester"));
    store::PersonQuery p;
    p.search = "le van cuong";
    p.scope = "STC";
    EXPECT_EQ(person_ids(p), V{"p3"});
    store::CertificateQuery c;
    c.search = "cuong";
    c.scope = "STC";
    EXPECT_EQ(serials(c), V{"1F"});

    // A certificate given a holder.
    auto orphan = query_->certificate("7A");
    ASSERT_TRUE(orphan);
    store::CertificatePatch holder;
    holder.holder = HolderRef{HolderType::org, "STC"};
    ASSERT_TRUE(query_->correct_certificate("7A", holder, ctx(orphan->etag)));
    c.search = "test ca";
    EXPECT_EQ(serials(c), V{"7A"});

    // An organization put under another: everything under it follows.
    auto stc = query_->organization("STC");
    ASSERT_TRUE(stc);
    store::OrganizationPatch superior;
    superior.superior_id = "HUYEN";
    ASSERT_TRUE(query_->correct_organization("STC", superior, ctx(stc->etag)));
    p.scope = "HUYEN";
    p.search = "van";
    EXPECT_EQ(person_ids(p), (V{"p1", "p3"}));
    c.scope = "HUYEN";
    c.search = "van";
    EXPECT_EQ(serials(c), (V{"0A1B", "1F"}));
    c.search = "test ca";
    EXPECT_EQ(serials(c), V{"7A"});
    store::DeviceQuery d;
    d.scope = "HUYEN";
    d.search = "hsm";
    auto devices = query_->devices(d);
    ASSERT_TRUE(devices);
    EXPECT_EQ(keys(*devices, [](const Device& x) { return x.id; }), V{"d3"});
    store::OrganizationQuery o;
    o.scope = "HUYEN";
    o.search = "tai chinh";
    EXPECT_EQ(org_ids(o), V{"STC"});
}

TEST_P(RegistryQueryTest, FiltersByStatusExpiryHolderKindAndCessation) {
    store::CertificateQuery c;
    c.status = CertStatus::revoked;
    EXPECT_EQ(serials(c), (V{"0C", "7A"}));
    c = {};
    c.expiring_before = day("2026-06-01");
    EXPECT_EQ(serials(c), (V{"0C", "1F", "7A"}));
    c.expiring_before = day("2026-01-01");  // before, not on
    EXPECT_EQ(serials(c), V{});
    c = {};
    c.holder_type = HolderType::person;  // not the unlinked one
    EXPECT_EQ(serials(c), (V{"0A1B", "1F"}));
    c = {};
    c.unlinked = true;
    EXPECT_EQ(serials(c), V{"7A"});
    store::DeviceQuery d;
    d.kind = DeviceKind::hsm;
    auto devices = query_->devices(d);
    ASSERT_TRUE(devices);
    EXPECT_EQ(keys(*devices, [](const Device& x) { return x.id; }), V{"d3"});
    store::OrganizationQuery o;
    o.ceased = true;
    EXPECT_EQ(org_ids(o), V{"HUYEN"});
    o.ceased = false;
    EXPECT_EQ(org_ids(o), (V{"STC", "UBT"}));
    o = {};
    o.superior_id = "UBT";
    EXPECT_EQ(org_ids(o), (V{"HUYEN", "STC"}));
    store::PersonQuery p;
    p.unassigned = true;
    EXPECT_EQ(person_ids(p), V{"p2"});
}

TEST_P(RegistryQueryTest, OrganizationsListShowsTheCurrentVersion) {
    store::OrganizationQuery q;
    q.search = "hong linh";
    auto page = query_->organizations(q);
    ASSERT_TRUE(page);
    ASSERT_EQ(page->items.size(), 1u);
    ASSERT_EQ(page->items[0].versions.size(), 1u);
    EXPECT_EQ(page->items[0].current().name, "Ủy ban nhân dân tỉnh Hồng Lĩnh");
}

TEST_P(RegistryQueryTest, PagesAreBoundedSortedAndCounted) {
    store::CertificateQuery q;
    q.page_size = 3;
    auto first = query_->certificates(q);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->total, 4);
    EXPECT_EQ(first->items.size(), 3u);
    q.page = 2;
    auto second = query_->certificates(q);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->total, 4);
    ASSERT_EQ(second->items.size(), 1u);
    EXPECT_EQ(second->items[0].serial, "7A");
    EXPECT_TRUE(second->items[0].der.empty());  // lists do not carry the certificate file

    store::PersonQuery p;
    p.sort = "name";
    p.descending = true;
    EXPECT_EQ(person_ids(p), (V{"p2", "p1", "p3"}));  // Trần, Nguyễn, Lê

    q = {};
    q.page_size = store::kMaxPageSize + 1;
    auto too_big = query_->certificates(q);
    ASSERT_FALSE(too_big);
    EXPECT_EQ(too_big.error().code, "store.invalid_query");
    q = {};
    q.sort = "der; DROP TABLE certificates";
    auto bad_sort = query_->certificates(q);
    ASSERT_FALSE(bad_sort);
    EXPECT_EQ(bad_sort.error().code, "store.invalid_query");
    q = {};
    q.page = 0;
    EXPECT_FALSE(query_->certificates(q));
}

TEST_P(RegistryQueryTest, SearchTextWithSqlOrFtsSyntaxMatchesNothingAndFailsNothing) {
    for (const char* text : {"\"", "' OR 1=1 --", "NEAR(a b)", "*", "a AND", "p1\" OR \"p2"}) {
        store::PersonQuery q;
        q.search = text;
        auto page = query_->people(q);
        EXPECT_TRUE(page) << text << ": " << page.error().describe(true);
    }
}

TEST_P(RegistryQueryTest, DetailCarriesAnEtagThatChangesWithTheRecord) {
    auto p = query_->person("p1");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->record.person.full_name, "Nguyễn Văn An");
    EXPECT_EQ(p->etag.size(), 64u);
    auto again = query_->person("p1");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->etag, p->etag);
    auto other = query_->person("p3");
    ASSERT_TRUE(other);
    EXPECT_NE(other->etag, p->etag);
    auto missing = query_->person("nobody");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "store.not_found");
    auto c = query_->certificate("0a:1b");  // any written form of the serial
    ASSERT_TRUE(c);
    EXPECT_EQ(c->record.serial, "0A1B");
    EXPECT_FALSE(c->record.der.empty());
}

TEST_P(RegistryQueryTest, CorrectionUnderTheRightEtagIsWrittenAuditedAndSearchable) {
    auto p = query_->person("p1");
    ASSERT_TRUE(p);
    store::PersonPatch patch;
    patch.full_name = "Nguyễn Văn Anh";
    patch.email = "anh@stc.gov.vn";
    auto etag = query_->correct_person("p1", patch, ctx("\"" + p->etag + "\""));
    ASSERT_TRUE(etag) << etag.error().describe(true);
    EXPECT_NE(*etag, p->etag);
    auto after = query_->person("p1");
    ASSERT_TRUE(after);
    EXPECT_EQ(after->record.person.full_name, "Nguyễn Văn Anh");
    EXPECT_EQ(after->etag, *etag);
    EXPECT_EQ(person_search("nguyen van anh"), V{"p1"});
    EXPECT_EQ(person_search("anh@stc"), V{"p1"});
    const auto entries = audit();
    ASSERT_FALSE(entries.empty());
    const auto& last = entries.back();
    EXPECT_EQ(last.action, "registry.correct");
    EXPECT_EQ(last.actor, "officer1");
    EXPECT_EQ(last.object, "person:p1");
    const auto detail = nlohmann::json::parse(last.detail);
    EXPECT_EQ(detail["reason"], "sai chính tả");
    EXPECT_EQ(detail["before"]["full_name"], "Nguyễn Văn An");
    EXPECT_EQ(detail["after"]["full_name"], "Nguyễn Văn Anh");
}

TEST_P(RegistryQueryTest, StaleEtagIsRefusedAndNothingChanges) {
    auto p = query_->person("p1");
    ASSERT_TRUE(p);
    store::PersonPatch first;
    first.full_name = "Nguyễn Văn Anh";
    ASSERT_TRUE(query_->correct_person("p1", first, ctx(p->etag)));
    const std::size_t audited = audit().size();
    store::PersonPatch second;
    second.full_name = "Nguyễn Văn Ánh";
    auto late = query_->correct_person("p1", second, ctx(p->etag));  // read before the first
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, "store.etag_mismatch");
    auto now = query_->person("p1");
    ASSERT_TRUE(now);
    EXPECT_EQ(now->record.person.full_name, "Nguyễn Văn Anh");
    EXPECT_EQ(audit().size(), audited);
}

TEST_P(RegistryQueryTest, EditsNeedAnEtagAReasonAndValidValues) {
    auto p = query_->person("p1");
    ASSERT_TRUE(p);
    store::PersonPatch patch;
    patch.full_name = "X";
    auto no_etag = query_->correct_person("p1", patch, ctx(""));
    ASSERT_FALSE(no_etag);
    EXPECT_EQ(no_etag.error().code, "store.precondition_required");
    auto no_reason = query_->correct_person("p1", patch, ctx(p->etag, "  "));
    ASSERT_FALSE(no_reason);
    EXPECT_EQ(no_reason.error().code, "store.reason_required");
    store::PersonPatch bad;
    bad.cccd = "12345";
    auto invalid = query_->correct_person("p1", bad, ctx(p->etag));
    ASSERT_FALSE(invalid);
    EXPECT_EQ(invalid.error().code, "store.invalid_field");
    EXPECT_EQ(invalid.error().where.field, "cccd");
    store::PersonPatch nowhere;
    nowhere.org_id = "NOWHERE";
    auto fk = query_->correct_person("p1", nowhere, ctx(p->etag));
    ASSERT_FALSE(fk);
    EXPECT_EQ(fk.error().code, "store.foreign_key");
}

TEST_P(RegistryQueryTest, AnotherPersonsCccdAndAnIfMatchStarAreRefusedAndNothingChanges) {
    auto p1 = query_->person("p1");
    auto p2 = query_->person("p2");
    ASSERT_TRUE(p1);
    ASSERT_TRUE(p2);
    ASSERT_NE(p1->record.person.cccd, p2->record.person.cccd);
    const std::size_t audited = audit().size();
    store::PersonPatch taken;
    taken.cccd = p2->record.person.cccd;
    auto dup = query_->correct_person("p1", taken, ctx(p1->etag));
    ASSERT_FALSE(dup);
    EXPECT_EQ(dup.error().code, "store.cccd_taken");
    EXPECT_EQ(dup.error().where.field, "cccd");
    store::PersonPatch name;
    name.full_name = "Nguyễn Văn Anh";
    auto star = query_->correct_person("p1", name, ctx("*"));
    ASSERT_FALSE(star);
    EXPECT_EQ(star.error().code, "store.etag_mismatch");
    auto now = query_->person("p1");
    ASSERT_TRUE(now);
    EXPECT_EQ(now->record.person.cccd, p1->record.person.cccd);
    EXPECT_EQ(now->record.person.full_name, p1->record.person.full_name);
    EXPECT_EQ(audit().size(), audited);
}

TEST_P(RegistryQueryTest, OrganizationCorrectionRefusesACycleAndRewritesTheCurrentVersion) {
    auto ubt = query_->organization("UBT");
    ASSERT_TRUE(ubt);
    store::OrganizationPatch cycle;
    cycle.superior_id = "STC";  // STC is under UBT
    auto refused = query_->correct_organization("UBT", cycle, ctx(ubt->etag));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "store.superior_cycle");
    store::OrganizationPatch rename;
    rename.name = "Ủy ban nhân dân tỉnh Hồng Lĩnh (sửa)";
    ASSERT_TRUE(query_->correct_organization("UBT", rename, ctx(ubt->etag)));
    auto after = query_->organization("UBT");
    ASSERT_TRUE(after);
    ASSERT_EQ(after->record.versions.size(), 2u);  // corrected in place, no new version
    EXPECT_EQ(after->record.current().name, "Ủy ban nhân dân tỉnh Hồng Lĩnh (sửa)");
    EXPECT_EQ(after->record.versions[0].name, "Ủy ban nhân dân tỉnh Sông Lam");
}

TEST_P(RegistryQueryTest, CertificateCorrectionLinksTheHolderAndAuditsItsState) {
    auto c = query_->certificate("7A");
    ASSERT_TRUE(c);
    store::CertificatePatch patch;
    patch.holder = HolderRef{HolderType::org, "STC"};
    patch.status = CertStatus::valid;
    ASSERT_TRUE(query_->correct_certificate("7A", patch, ctx(c->etag)));
    store::CertificateQuery q;
    q.scope = "STC";
    EXPECT_EQ(serials(q), (V{"0A1B", "0C", "7A"}));
    const auto entries = audit();
    ASSERT_GE(entries.size(), 2u);
    EXPECT_EQ(entries.back().action, "registry.certificates");
    EXPECT_NE(entries.back().detail.find("\"7A\":[\"valid\",\"org:STC\"]"), std::string::npos)
        << entries.back().detail;
}

TEST_P(RegistryQueryTest, OrphanCertificateIsRemovedWithAReasonAndAuditEntry) {
    auto c = query_->certificate("7A");
    ASSERT_TRUE(c);
    ASSERT_TRUE(query_->remove(store::RecordKind::certificate, "7A",
                               ctx(c->etag, "chứng thư thừa, không có chủ")));
    auto gone = query_->certificate("7A");
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().code, "store.not_found");
    store::CertificateQuery q;
    q.search = "test ca";
    EXPECT_EQ(serials(q), V{});  // gone from the index too
    const auto entries = audit();
    EXPECT_EQ(entries.back().action, "registry.remove");
    EXPECT_EQ(entries.back().object, "certificate:7A");
    EXPECT_NE(entries.back().detail.find("chứng thư thừa"), std::string::npos);
}

TEST_P(RegistryQueryTest, RemovalOfARecordStillNamedIsRefused) {
    auto d = query_->device("d1");
    ASSERT_TRUE(d);
    auto used = query_->remove(store::RecordKind::device, "d1", ctx(d->etag));
    ASSERT_FALSE(used);
    EXPECT_EQ(used.error().code, "store.record_in_use");
    auto p = query_->person("p1");
    ASSERT_TRUE(p);
    auto holder = query_->remove(store::RecordKind::person, "p1", ctx(p->etag));
    ASSERT_FALSE(holder);
    EXPECT_EQ(holder.error().code, "store.record_in_use");
    // The kind in the user's language (it was the code "person" inside the Vietnamese text).
    EXPECT_NE(holder.error().describe(false).find("người \"p1\" vẫn"), std::string::npos)
        << holder.error().describe(false);
    EXPECT_NE(holder.error().describe(true).find("person \"p1\" is still"), std::string::npos)
        << holder.error().describe(true);
    auto p2 = query_->person("p2");
    ASSERT_TRUE(p2);
    EXPECT_TRUE(query_->remove(store::RecordKind::person, "p2", ctx(p2->etag)));
    auto ubt = query_->organization("UBT");
    ASSERT_TRUE(ubt);
    EXPECT_FALSE(query_->remove(store::RecordKind::organization, "UBT", ctx(ubt->etag)));
}

TEST_P(RegistryQueryTest, HistoryShowsVersionsLineageAndEvents) {
    auto h = query_->organization_history("UBT");
    ASSERT_TRUE(h) << h.error().describe(true);
    EXPECT_EQ(h->organization.versions.size(), 2u);
    EXPECT_EQ(h->predecessors, V{"HUYEN"});
    EXPECT_EQ(h->children, (V{"HUYEN", "STC"}));
    ASSERT_EQ(h->events.size(), 1u);
    EXPECT_EQ(h->events[0].event_id, "E1");
    EXPECT_EQ(h->events[0].role, "version");
    auto huyen = query_->organization_history("HUYEN");
    ASSERT_TRUE(huyen);
    EXPECT_EQ(huyen->became, V{"UBT"});
    ASSERT_EQ(huyen->events.size(), 1u);
    EXPECT_EQ(huyen->events[0].role, "ceased");
}

TEST_P(RegistryQueryTest, InSubtreeAnswersForEachKind) {
    auto yes = query_->in_subtree(store::RecordKind::certificate, "0A1B", "UBT");
    ASSERT_TRUE(yes);
    EXPECT_TRUE(*yes);
    auto no = query_->in_subtree(store::RecordKind::person, "p3", "STC");
    ASSERT_TRUE(no);
    EXPECT_FALSE(*no);
    auto orphan = query_->in_subtree(store::RecordKind::certificate, "7A", "UBT");
    ASSERT_TRUE(orphan);
    EXPECT_FALSE(*orphan);
    auto all = query_->in_subtree(store::RecordKind::certificate, "7A", "");
    ASSERT_TRUE(all);
    EXPECT_TRUE(*all);
    EXPECT_FALSE(query_->in_subtree(store::RecordKind::device, "nope", ""));
}

TEST_P(RegistryQueryTest, AnUpgradedDatabaseIsIndexedWhenOpened) {
    query_.reset();
    store_.reset();
    // As migration 0010 leaves an older database: no text, every record stale.
    run_sql(
        "DELETE FROM search_text; INSERT INTO search_stale SELECT 'person', id FROM "
        "people WHERE true ON CONFLICT DO NOTHING");
    auto q = store::open_registry_query(location_);
    ASSERT_TRUE(q);
    query_ = std::move(*q);
    EXPECT_EQ(person_search("nguyen van an"), V{"p1"});
}

TEST_P(RegistryQueryTest, WritesOutsideKysoAreIndexedByTheNextWrite) {
    run_sql("UPDATE people SET full_name = 'Phạm Thị Dung' WHERE id = 'p2'");
    EXPECT_EQ(person_search("pham thi dung"), V{});  // not yet folded
    Registry more;
    more.people.push_back(
        Person{"p9", "Đỗ Văn Đức", "040088099999", "1988-04-02", "", "", "", "", "", ""});
    import(more);
    EXPECT_EQ(person_search("pham thi dung"), V{"p2"});
    EXPECT_EQ(person_search("do van duc"), V{"p9"});
}

KYSO_STORE_BACKENDS(RegistryQueryTest);

}  // namespace
}  // namespace kyso::store_test
