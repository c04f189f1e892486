// Tests: certificates the planner must take as they come — unlinked ones (FORMATS.md §1/§3),
// serials as integers (negative ones included), validity that ends before it begins, and
// multi-valued subjects — never crash it and are counted and ordered as §3 says.
#include "plan_fixture.h"
#include "reorg/plan_json.h"

using kyso::Certificate;
using kyso::CertStatus;
using kyso::HolderType;
using kyso::reorg::ActionKind;
using kyso::testing::find_action;
using kyso::testing::PlanFixture;

namespace {

constexpr auto kOrg = HolderType::org;
constexpr auto kPerson = HolderType::person;

PlanFixture province() {
    PlanFixture f;
    f.org("P", "Ủy ban nhân dân tỉnh Sông Lam")
        .org("A", "Sở Tài chính tỉnh Sông Lam", "P")
        .org("B", "Sở Xây dựng tỉnh Sông Lam", "P")
        .person("u1", "Nguyễn Văn An", "A", "an@x.gov.vn");
    return f;
}

// A certificate with no holder, e.g. a CA certificate from `import --certs`.
void add_unlinked(PlanFixture& f, const std::string& serial, const std::string& device = "") {
    Certificate c;
    c.serial = serial;
    c.device_id = device;
    c.subject_text = "CN=CA thử nghiệm,O=Đơn vị thử nghiệm,C=VN";
    c.subject = *kyso::parse_rfc4514(c.subject_text);
    c.not_before = "2020-01-01T00:00:00Z";
    c.not_after = "2035-01-01T00:00:00Z";
    c.not_after_date = *kyso::Date::parse("2035-01-01");
    f.reg.certificates.push_back(std::move(c));
    f.reg.reindex();
}

std::string json_of(const kyso::reorg::Plan& p) {
    std::string out;
    kyso::reorg::plan_to_json(p, [&](std::string_view s) { out += s; });
    return out;
}

}  // namespace

// Regression: `plan --db` crashed (segmentation fault) on a CA certificate imported with
// `import --certs`, which has no holder: its holder position indexed past the people.
TEST(PlanCertificates, UnlinkedCertificateIsSkippedNotPlanned) {
    auto f = province();
    f.cert("0A", kOrg, "A").cert("01", kPerson, "u1");
    add_unlinked(f, "0C");
    f.events(R"([{"id":"E1","type":"transfer","effective_date":"2025-07-01","person":"u1",
                  "to_org":"B"},
                 {"id":"E2","type":"dissolve","effective_date":"2025-07-01","org":"A"}])");
    auto p = f.plan();
    EXPECT_EQ(find_action(p, "0C"), nullptr);
    EXPECT_EQ(p.summary.skipped, 1U);
    EXPECT_EQ(p.summary.considered, 2U);
    EXPECT_EQ(p.summary.considered,
              p.summary.change_info + p.summary.revoke + p.summary.review + p.summary.unchanged);
    for (const auto& w : p.warnings) EXPECT_NE(w.certificate, "0C") << w.code;
    EXPECT_EQ(json_of(p).find("\"0C\""), std::string::npos);
}

TEST(PlanCertificates, UnlinkedCertificateWithoutEventsIsSkippedToo) {
    PlanFixture f;
    f.org("P", "Ủy ban nhân dân tỉnh Sông Lam");
    add_unlinked(f, "0C");
    auto p = f.plan("2025-07-01");
    EXPECT_TRUE(p.actions.empty());
    EXPECT_TRUE(p.warnings.empty());
    EXPECT_EQ(p.summary.skipped, 1U);
    EXPECT_EQ(p.summary.considered, 0U);
}

TEST(PlanCertificates, UnlinkedCertificateOnARevokedTokenDoesNotKeepItBack) {
    // The token's only considered certificate is revoked; the unlinked one on it is not
    // considered, so the token still goes back (rules 2.1/2.2).
    auto f = province();
    f.device("t1", kyso::DeviceKind::usb_token, kOrg, "A");
    f.cert("0A", kOrg, "A", "t1");
    add_unlinked(f, "0C", "t1");
    f.events(R"([{"id":"E1","type":"dissolve","effective_date":"2025-07-01","org":"A"}])");
    auto p = f.plan();
    const auto* back = find_action(p, "t1");
    ASSERT_NE(back, nullptr);
    EXPECT_EQ(back->action, ActionKind::return_device);
    EXPECT_EQ(back->certificates, std::vector<std::string>{"0A"});
}

TEST(PlanCertificates, HolderThatNamesNothingIsAnInputErrorNotACrash) {
    // A database is not read through the bundle reader's reference checks.
    auto f = province();
    f.cert("0A", kOrg, "A");
    f.reg.certificates.front().holder.id = "gone";
    f.reg.reindex();
    const auto e = f.plan_error();
    EXPECT_EQ(e.code, "bundle.unknown_reference");
    EXPECT_EQ(e.where.id, "0A");
    EXPECT_EQ(e.where.field, "holder_id");
}

TEST(PlanCertificates, ActionsAreOrderedBySerialAsASignedInteger) {
    auto f = province();
    f.org("D", "Sở D tỉnh Sông Lam", "P").org("E", "Sở E tỉnh Sông Lam", "P");
    f.cert("0100", kOrg, "A").cert("-05", kOrg, "B").cert("7F", kOrg, "D").cert("-FF00", kOrg, "E");
    f.events(R"([{"id":"E1","type":"merge_province","effective_date":"2025-07-01",
                  "sources":["Tỉnh Sông Lam"],"into":"Tỉnh Hồng Lĩnh"}])");
    auto p = f.plan();
    std::vector<std::string> order;
    for (const auto& a : p.actions) order.push_back(a.certificate);
    EXPECT_EQ(order, (std::vector<std::string>{"-FF00", "-05", "7F", "0100"}));
}

TEST(PlanCertificates, ValidityEndingBeforeItStartsIsPlannedByNotAfter) {
    // not_after before not_before: `check` reports validity_order; the plan goes by not_after.
    auto f = province();
    f.cert("0A", kOrg, "A", "", "2019-01-01").cert("0B", kOrg, "B", "", "2028-01-01");
    f.reg.certificates[0].not_before = "2024-01-01";
    f.reg.certificates[1].not_before = "2030-01-01";
    f.events(R"([{"id":"E1","type":"dissolve","effective_date":"2025-07-01","org":"B"}])");
    auto p = f.plan();
    EXPECT_EQ(find_action(p, "0A"), nullptr);  // expired: skipped
    ASSERT_NE(find_action(p, "0B"), nullptr);
    EXPECT_EQ(find_action(p, "0B")->action, ActionKind::revoke);
    EXPECT_EQ(p.summary.skipped, 1U);
}

TEST(PlanCertificates, MultiValuedSubjectIsNotTheProfileSubject) {
    // CN+E in one RDN is another name than CN and E as two RDNs (FORMATS.md §3/§4).
    auto f = province();
    f.cert("01", kPerson, "u1", "", "2028-01-01", CertStatus::valid,
           "CN=Nguyễn Văn An+E=an@x.gov.vn,OU=Sở Tài chính tỉnh Sông Lam,"
           "O=Ủy ban nhân dân tỉnh Sông Lam,L=Tỉnh Sông Lam,C=VN");
    auto p = f.plan("2025-07-01");
    const auto* a = find_action(p, "01");
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(a->action, ActionKind::change_info);
    ASSERT_FALSE(p.warnings.empty());
    EXPECT_EQ(p.warnings.front().code, "subject_mismatch");
    // The same subject written as separate RDNs is unchanged.
    auto g = province();
    g.cert("01", kPerson, "u1", "", "2028-01-01", CertStatus::valid,
           "E=an@x.gov.vn,CN=Nguyễn Văn An,OU=Sở Tài chính tỉnh Sông Lam,"
           "O=Ủy ban nhân dân tỉnh Sông Lam,L=Tỉnh Sông Lam,C=VN");
    auto q = g.plan("2025-07-01");
    EXPECT_EQ(find_action(q, "01"), nullptr);
    EXPECT_EQ(q.summary.unchanged, 1U);
}
