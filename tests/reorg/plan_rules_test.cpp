// Tests: the planner's rules, one behaviour per case (FORMATS.md §3, guiding letter sections).
#include "plan_fixture.h"

using kyso::CertStatus;
using kyso::DeviceKind;
using kyso::HolderType;
using kyso::reorg::ActionKind;
using kyso::testing::find_action;
using kyso::testing::PlanFixture;
using kyso::testing::subject_text;

namespace {

constexpr auto kOrg = HolderType::org;
constexpr auto kPerson = HolderType::person;

// Tỉnh Sông Lam: P (province committee) with departments A, B, C and district H with commune X.
PlanFixture province() {
    PlanFixture f;
    f.org("P", "Ủy ban nhân dân tỉnh Sông Lam")
        .org("A", "Sở Tài chính tỉnh Sông Lam", "P")
        .org("B", "Sở Kế hoạch và Đầu tư tỉnh Sông Lam", "P")
        .org("C", "Sở Xây dựng tỉnh Sông Lam", "P")
        .org("H", "Ủy ban nhân dân huyện Hưng Nguyên", "P")
        .org("X", "Ủy ban nhân dân xã Hưng Tây", "H");
    return f;
}

}  // namespace

TEST(PlanRule11a, MergeUnderNewNameCarriesTheCarriersCertificate) {
    auto f = province();
    f.cert("0A", kOrg, "A").cert("0B", kOrg, "B");
    f.events(R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["A","B"],
                  "new":{"id":"N","name":"Sở Tài chính và Đầu tư tỉnh Sông Lam"},"cert_carrier":"B"}])");
    auto p = f.plan();
    const auto* carried = find_action(p, "0B");
    ASSERT_NE(carried, nullptr);
    EXPECT_EQ(carried->action, ActionKind::change_info);
    EXPECT_EQ(carried->rule, "1.1a");
    EXPECT_EQ(carried->holder->id, "B");  // the holder named in certificates.csv
    EXPECT_EQ(subject_text(carried->new_subject()),
              "CN=Sở Tài chính và Đầu tư tỉnh Sông Lam,O=Ủy ban nhân dân tỉnh Sông Lam,L=Tỉnh Sông "
              "Lam,C=VN");
    const auto* other = find_action(p, "0A");
    ASSERT_NE(other, nullptr);
    EXPECT_EQ(other->action, ActionKind::revoke);
    EXPECT_EQ(other->rule, "1.1a");
    EXPECT_EQ(other->reason, "cessationOfOperation");
    EXPECT_EQ(p.summary.issue, 0u);
}

TEST(PlanRule11a, CarrierWithoutCertificateFallsBackToFirstSourceWithOne) {
    auto f = province();
    f.cert("0B", kOrg, "B", "", "2020-01-01").cert("0C", kOrg, "C");  // B's only cert is expired
    f.events(R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["A","C","B"],
                  "new":{"id":"N","name":"Sở Mới tỉnh Sông Lam"},"cert_carrier":"B"}])");
    auto p = f.plan();
    EXPECT_EQ(find_action(p, "0C")->action, ActionKind::change_info);
    EXPECT_EQ(find_action(p, "0C")->rule, "1.1a");
    EXPECT_EQ(find_action(p, "0B"), nullptr);  // skipped
    EXPECT_EQ(p.summary.skipped, 1u);
}

TEST(PlanRule11a, CarrierKeepsLatestNotAfterSmallestSerialAndSupersedesTheRest) {
    auto f = province();
    f.cert("20", kOrg, "A", "", "2028-05-01")
        .cert("05", kOrg, "A", "", "2028-05-01")
        .cert("FF", kOrg, "A", "", "2027-01-01")
        .cert("0B", kOrg, "B", "", "2029-01-01");
    f.events(R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["A","B"],
                  "new":{"id":"N","name":"Sở Mới tỉnh Sông Lam"},"cert_carrier":"A"}])");
    auto p = f.plan();
    EXPECT_EQ(find_action(p, "05")->action, ActionKind::change_info);
    EXPECT_EQ(find_action(p, "20")->reason, "superseded");
    EXPECT_EQ(find_action(p, "20")->rule, "1.1a");
    EXPECT_EQ(find_action(p, "FF")->reason, "superseded");
    EXPECT_EQ(find_action(p, "0B")->reason, "cessationOfOperation");
}

TEST(PlanRule11a, NewOrganizationWithoutAnyCertificateGetsAnIssue) {
    auto f = province();
    f.person("u1", "Nguyễn Văn An", "A", "an@x.gov.vn").cert("01", kPerson, "u1");
    f.events(R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["A","B"],
                  "new":{"id":"N","name":"Sở Mới tỉnh Sông Lam"}}])");
    auto p = f.plan();
    const auto* issue = find_action(p, "N");
    ASSERT_NE(issue, nullptr);
    EXPECT_EQ(issue->action, ActionKind::issue);
    EXPECT_EQ(issue->rule, "1.1a");
    EXPECT_EQ(issue->holder->type, kOrg);
    EXPECT_EQ(subject_text(issue->new_subject()),
              "CN=Sở Mới tỉnh Sông Lam,O=Ủy ban nhân dân tỉnh Sông Lam,L=Tỉnh Sông Lam,C=VN");
    EXPECT_TRUE(p.actions.front().certificate.empty());  // actions without a serial come first
    EXPECT_EQ(find_action(p, "01")->rule, "1.2");
}

TEST(PlanRule11a, NoIssueWhenTheNewOrganizationIsMergedAwayLater) {
    auto f = province();
    f.events(R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["A","B"],
                  "new":{"id":"N","name":"Sở Mới tỉnh Sông Lam"}},
                 {"id":"E2","type":"merge","effective_date":"2025-07-01","sources":["C","N"],"keep":"C"}])");
    EXPECT_EQ(f.plan().summary.issue, 0u);
}

TEST(PlanRule11a, IssueCarriesTheFinalSubject) {
    auto f = province();
    f.events(R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["A","B"],
                  "new":{"id":"N","name":"Sở Mới tỉnh Sông Lam"}},
                 {"id":"E2","type":"rename","effective_date":"2025-04-01","org":"N","name":"Sở Mới Hơn"}])");
    auto p = f.plan();
    EXPECT_EQ(subject_text(find_action(p, "N")->new_subject()),
              "CN=Sở Mới Hơn,O=Ủy ban nhân dân tỉnh Sông Lam,L=Tỉnh Sông Lam,C=VN");
}

TEST(PlanRule11a, CarriedInMarchThenMergedAwayInJulyIsRevoked) {
    auto f = province();
    f.cert("0A", kOrg, "A");
    f.events(R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["A","B"],
                  "new":{"id":"N","name":"Sở Mới tỉnh Sông Lam"}},
                 {"id":"E2","type":"merge","effective_date":"2025-07-01","sources":["C","N"],"keep":"C"}])");
    auto p = f.plan();
    const auto* a = find_action(p, "0A");
    EXPECT_EQ(a->action, ActionKind::revoke);
    EXPECT_EQ(a->rule, "1.1b");
    EXPECT_EQ(a->event, "E2");
    EXPECT_EQ(a->holder->id, "A");
}

TEST(PlanRule11a, NewOrganizationWhoseDefaultSuperiorIsACeasingSourceTakesItsSuperior) {
    auto f = province();
    f.cert("0P", kOrg, "P").cert("0C", kOrg, "C");
    // A's superior P is itself a source: the new organization takes P's superior (none).
    f.events(R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["A","P"],
                  "new":{"id":"N","name":"Ủy ban nhân dân tỉnh Mới"}}])");
    auto p = f.plan();
    EXPECT_EQ(subject_text(find_action(p, "0P")->new_subject()),
              "CN=Ủy ban nhân dân tỉnh Mới,L=Tỉnh Sông Lam,C=VN");
    // P's other children now sit under the new organization.
    EXPECT_EQ(subject_text(find_action(p, "0C")->new_subject()),
              "CN=Sở Xây dựng tỉnh Sông Lam,O=Ủy ban nhân dân tỉnh Mới,L=Tỉnh Sông Lam,C=VN");
    EXPECT_EQ(find_action(p, "0C")->rule, "1.1c");
}

TEST(PlanRuleCreate, ANewOrganizationFromPartsOfOthersGetsAnIssueAndTheOthersContinue) {
    auto f = province();
    f.cert("0A", kOrg, "A").cert("0B", kOrg, "B");
    f.person("u1", "Nguyễn Văn An", "A", "an@x.gov.vn").cert("01", kPerson, "u1");
    f.events(R"([{"id":"E1","type":"create","effective_date":"2025-03-01",
                  "new":{"id":"N","name":"Sở Dân tộc và Tôn giáo tỉnh Sông Lam","superior_id":"P",
                         "province":"Tỉnh Sông Lam","admin_unit":"40"},
                  "parts_from":["A","B"]}])");
    auto p = f.plan();
    const auto* issue = find_action(p, "N");
    ASSERT_NE(issue, nullptr);
    EXPECT_EQ(issue->action, ActionKind::issue);
    EXPECT_EQ(issue->rule, "1.1a");
    EXPECT_EQ(issue->event, "E1");
    EXPECT_EQ(issue->holder->type, kOrg);
    EXPECT_EQ(subject_text(issue->new_subject()),
              "CN=Sở Dân tộc và Tôn giáo tỉnh Sông Lam,O=Ủy ban nhân dân tỉnh Sông Lam,L=Tỉnh "
              "Sông Lam,C=VN");
    // The organizations that gave a part continue: their certificates and people are untouched.
    EXPECT_EQ(find_action(p, "0A"), nullptr);
    EXPECT_EQ(find_action(p, "0B"), nullptr);
    EXPECT_EQ(find_action(p, "01"), nullptr);
    EXPECT_EQ(p.summary.unchanged, 3u);
    EXPECT_EQ(p.summary.issue, 1u);
    EXPECT_EQ(p.summary.revoke, 0u);
}

TEST(PlanRuleCreate, NoIssueWhenTheCreatedOrganizationCeasesLater) {
    auto f = province();
    f.events(R"([{"id":"E1","type":"create","effective_date":"2025-03-01",
                  "new":{"id":"N","name":"Ban Mới","superior_id":"P","province":"Tỉnh Sông Lam"}},
                 {"id":"E2","type":"dissolve","effective_date":"2025-07-01","org":"N"}])");
    EXPECT_EQ(f.plan().summary.issue, 0u);
    auto g = province();
    g.events(R"([{"id":"E1","type":"create","effective_date":"2025-03-01",
                  "new":{"id":"N","name":"Ban Mới","superior_id":"P","province":"Tỉnh Sông Lam"}},
                 {"id":"E2","type":"merge","effective_date":"2025-07-01","sources":["C","N"],"keep":"C"}])");
    EXPECT_EQ(g.plan().summary.issue, 0u);
}

TEST(PlanRuleCreate,
     PeopleTransferredToTheCreatedOrganizationAreChangedAndItsIssueHasTheFinalSubject) {
    auto f = province();
    f.person("u1", "Nguyễn Văn An", "A").cert("01", kPerson, "u1");
    f.events(R"([{"id":"E1","type":"create","effective_date":"2025-03-01",
                  "new":{"id":"N","name":"Ban Mới","superior_id":"","province":"Tỉnh Sông Lam"},
                  "parts_from":["A"]},
                 {"id":"E2","type":"transfer","effective_date":"2025-03-01","person":"u1","to_org":"N"},
                 {"id":"E3","type":"change_superior","effective_date":"2025-04-01","org":"N","superior_id":"P"}])");
    auto p = f.plan();
    EXPECT_EQ(subject_text(find_action(p, "01")->new_subject()),
              "CN=Nguyễn Văn An,OU=Ban Mới,O=Ủy ban nhân dân tỉnh Sông Lam,L=Tỉnh Sông Lam,C=VN");
    EXPECT_EQ(subject_text(find_action(p, "N")->new_subject()),
              "CN=Ban Mới,O=Ủy ban nhân dân tỉnh Sông Lam,L=Tỉnh Sông Lam,C=VN");
}

TEST(PlanRuleCreate, AbsentSuperiorAndProvinceAreThoseOfTheFirstOrganizationGivingAPart) {
    auto f = province();
    f.events(R"([{"id":"E1","type":"create","effective_date":"2025-03-01",
                  "new":{"id":"N","name":"Ban Mới"},"parts_from":["X","A"]}])");
    auto p = f.plan();
    EXPECT_EQ(subject_text(find_action(p, "N")->new_subject()),
              "CN=Ban Mới,OU=Ủy ban nhân dân huyện Hưng Nguyên,O=Ủy ban nhân dân tỉnh Sông "
              "Lam,L=Tỉnh Sông Lam,C=VN");
}

TEST(PlanRuleCreate, NoIssueOnceTheCreatedOrganizationHoldsACertificate) {
    // From a database: the CA answered the issue, and the registry holds the new certificate of
    // an organization that only the events create.
    auto f = province();
    f.cert("6C", kOrg, "N", "", "2028-01-01", CertStatus::valid,
           "CN=Ban Mới,O=Ủy ban nhân dân tỉnh Sông Lam,L=Tỉnh Sông Lam,C=VN");
    f.events(R"([{"id":"E1","type":"create","effective_date":"2025-03-01",
                  "new":{"id":"N","name":"Ban Mới","superior_id":"P","province":"Tỉnh Sông Lam"}}])");
    auto p = f.plan();
    EXPECT_EQ(p.summary.issue, 0u);
    EXPECT_EQ(p.summary.unchanged, 1u);
    EXPECT_TRUE(p.warnings.empty());
}

TEST(PlanRuleMerge, PartsFromIsLineageOnly) {
    auto with = province();
    auto without = province();
    for (auto* f : {&with, &without}) {
        f->cert("0A", kOrg, "A").cert("0B", kOrg, "B").cert("0C", kOrg, "C");
        f->person("u1", "Nguyễn Văn An", "C").cert("01", kPerson, "u1");
    }
    with.events(R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["A","B"],
                     "new":{"id":"N","name":"Sở Mới tỉnh Sông Lam","admin_unit":"40"},
                     "parts_from":["C"]}])");
    without.events(R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["A","B"],
                        "new":{"id":"N","name":"Sở Mới tỉnh Sông Lam"}}])");
    const auto a = with.plan();
    const auto b = without.plan();
    ASSERT_EQ(a.actions.size(), b.actions.size());
    for (std::size_t i = 0; i < a.actions.size(); ++i) {
        EXPECT_EQ(a.actions[i].certificate, b.actions[i].certificate);
        EXPECT_EQ(a.actions[i].action, b.actions[i].action);
        EXPECT_EQ(a.actions[i].rule, b.actions[i].rule);
        EXPECT_EQ(subject_text(a.actions[i].new_subject()),
                  subject_text(b.actions[i].new_subject()));
    }
    EXPECT_EQ(find_action(a, "0C"), nullptr);  // C gave a part and continues
    EXPECT_EQ(find_action(a, "01"), nullptr);
}

TEST(PlanRule11b, MergeKeepingANameRevokesTheOthersAndMovesPeople) {
    auto f = province();
    f.person("u1", "Trần Thị Bình", "B", "binh@x.gov.vn");
    f.cert("0A", kOrg, "A").cert("0B", kOrg, "B").cert("01", kPerson, "u1");
    f.events(
        R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["B","A"],"keep":"A"}])");
    auto p = f.plan();
    EXPECT_EQ(find_action(p, "0A"), nullptr);
    EXPECT_EQ(p.summary.unchanged, 1u);
    EXPECT_EQ(find_action(p, "0B")->rule, "1.1b");
    EXPECT_EQ(find_action(p, "0B")->reason, "cessationOfOperation");
    const auto* person = find_action(p, "01");
    EXPECT_EQ(person->action, ActionKind::change_info);
    EXPECT_EQ(person->rule, "1.2");
    EXPECT_EQ(subject_text(person->new_subject()),
              "E=binh@x.gov.vn,CN=Trần Thị Bình,OU=Sở Tài chính tỉnh Sông Lam,O=Ủy ban nhân dân "
              "tỉnh Sông Lam,"
              "L=Tỉnh Sông Lam,C=VN");
}

TEST(PlanRule11b, KeptOrganizationWithoutCertificateGetsNothing) {
    auto f = province();
    f.cert("0B", kOrg, "B");
    f.events(
        R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["A","B"],"keep":"A"}])");
    auto p = f.plan();
    EXPECT_EQ(p.summary.issue, 0u);
    EXPECT_EQ(p.actions.size(), 1u);
}

TEST(PlanRule11b, KeptOrganizationThatAlsoChangesSuperiorIsChanged) {
    auto f = province();
    f.cert("0A", kOrg, "A").cert("0B", kOrg, "B");
    f.events(
        R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["A","B"],"keep":"A"},
                 {"id":"E2","type":"change_superior","effective_date":"2025-03-01","org":"A","superior_id":"C"}])");
    auto p = f.plan();
    const auto* a = find_action(p, "0A");
    EXPECT_EQ(a->action, ActionKind::change_info);
    EXPECT_EQ(a->rule, "1.1c");
    EXPECT_EQ(subject_text(a->new_subject()),
              "CN=Sở Tài chính tỉnh Sông Lam,OU=Sở Xây dựng tỉnh Sông Lam,O=Ủy ban nhân dân tỉnh "
              "Sông Lam,"
              "L=Tỉnh Sông Lam,C=VN");
}

TEST(PlanRule11b, ParentMergedIntoItsChildTakesTheParentsSuperior) {
    auto f = province();
    f.cert("0X", kOrg, "X");
    f.events(
        R"([{"id":"E1","type":"merge","effective_date":"2025-07-01","sources":["H","X"],"keep":"X"}])");
    auto p = f.plan();
    EXPECT_EQ(
        subject_text(find_action(p, "0X")->new_subject()),
        "CN=Ủy ban nhân dân xã Hưng Tây,O=Ủy ban nhân dân tỉnh Sông Lam,L=Tỉnh Sông Lam,C=VN");
}

TEST(PlanRule11c, RenameChangesTheOrganizationAndItsChildren) {
    auto f = province();
    f.person("u1", "Lê Văn Cường", "X")
        .cert("0H", kOrg, "H")
        .cert("0X", kOrg, "X")
        .cert("01", kPerson, "u1");
    f.events(
        R"([{"id":"E1","type":"rename","effective_date":"2025-03-01","org":"H","name":"Ủy ban nhân dân thị xã Hưng Nguyên"}])");
    auto p = f.plan();
    EXPECT_EQ(find_action(p, "0H")->rule, "1.1c");
    EXPECT_EQ(find_action(p, "0X")->rule, "1.1c");
    EXPECT_EQ(find_action(p, "01")->rule, "1.2");
    EXPECT_EQ(p.summary.change_info, 3u);
}

TEST(PlanRule11c, ProvinceMergerChangesLocality) {
    auto f = province();
    f.org("Q", "Ủy ban nhân dân tỉnh Hồng Lĩnh", "", "Tỉnh Hồng Lĩnh")
        .cert("0A", kOrg, "A")
        .cert("0Q", kOrg, "Q");
    f.events(
        R"([{"id":"E1","type":"merge_province","effective_date":"2025-07-01","sources":["Tỉnh Sông Lam","Tỉnh Không Có"],
                  "into":"Tỉnh Hồng Lĩnh"}])");
    auto p = f.plan();
    EXPECT_EQ(
        subject_text(find_action(p, "0A")->new_subject()),
        "CN=Sở Tài chính tỉnh Sông Lam,O=Ủy ban nhân dân tỉnh Sông Lam,L=Tỉnh Hồng Lĩnh,C=VN");
    EXPECT_EQ(find_action(p, "0Q"), nullptr);
}

TEST(PlanRule21, DissolveWithoutSuccessorRevokesMovesChildrenUpAndLeavesPeopleForReview) {
    auto f = province();
    f.person("u1", "Phạm Minh Đức", "H", "duc@x.gov.vn")
        .device("t1", DeviceKind::usb_token, kOrg, "H")
        .cert("0H", kOrg, "H", "t1")
        .cert("0X", kOrg, "X")
        .cert("01", kPerson, "u1");
    f.events(R"([{"id":"E1","type":"dissolve","effective_date":"2025-07-01","org":"H"}])");
    auto p = f.plan();
    EXPECT_EQ(find_action(p, "0H")->rule, "2.1");
    EXPECT_EQ(find_action(p, "0H")->reason, "cessationOfOperation");
    EXPECT_EQ(
        subject_text(find_action(p, "0X")->new_subject()),
        "CN=Ủy ban nhân dân xã Hưng Tây,O=Ủy ban nhân dân tỉnh Sông Lam,L=Tỉnh Sông Lam,C=VN");
    EXPECT_EQ(find_action(p, "01")->action, ActionKind::review);
    EXPECT_EQ(find_action(p, "01")->rule, "1.2");
    const auto* ret = find_action(p, "t1");
    ASSERT_NE(ret, nullptr);
    EXPECT_EQ(ret->rule, "2.1");
    EXPECT_EQ(ret->certificates, std::vector<std::string>{"0H"});
}

TEST(PlanRule21, DissolveWithSuccessorMovesPeopleAndChildrenThere) {
    auto f = province();
    f.person("u1", "Phạm Minh Đức", "H").cert("01", kPerson, "u1").cert("0X", kOrg, "X");
    f.events(
        R"([{"id":"E1","type":"dissolve","effective_date":"2025-07-01","org":"H","successor":"C"}])");
    auto p = f.plan();
    EXPECT_EQ(find_action(p, "01")->action, ActionKind::change_info);
    EXPECT_EQ(subject_text(find_action(p, "0X")->new_subject()),
              "CN=Ủy ban nhân dân xã Hưng Tây,OU=Sở Xây dựng tỉnh Sông Lam,O=Ủy ban nhân dân tỉnh "
              "Sông Lam,"
              "L=Tỉnh Sông Lam,C=VN");
}

TEST(PlanRule21, DissolveOfATopOrganizationLeavesChildrenAtTheTop) {
    auto f = province();
    f.cert("0A", kOrg, "A");
    f.events(R"([{"id":"E1","type":"dissolve","effective_date":"2025-07-01","org":"P"}])");
    EXPECT_EQ(subject_text(find_action(f.plan(), "0A")->new_subject()),
              "CN=Sở Tài chính tỉnh Sông Lam,L=Tỉnh Sông Lam,C=VN");
}

TEST(PlanRule12, TransferAfterDissolveIsAChangeNotAReview) {
    auto f = province();
    f.person("u1", "Phạm Minh Đức", "H").cert("01", kPerson, "u1");
    f.events(R"([{"id":"E1","type":"dissolve","effective_date":"2025-07-01","org":"H"},
                 {"id":"E2","type":"transfer","effective_date":"2025-07-01","person":"u1","to_org":"X"}])");
    auto p = f.plan();
    EXPECT_EQ(find_action(p, "01")->action, ActionKind::change_info);
    EXPECT_EQ(subject_text(find_action(p, "01")->new_subject()),
              "CN=Phạm Minh Đức,OU=Ủy ban nhân dân xã Hưng Tây,O=Ủy ban nhân dân tỉnh Sông "
              "Lam,L=Tỉnh Sông Lam,C=VN");
}

TEST(PlanRule12, PersonLeavingIsRevokedAndTheTokenGoesBack) {
    auto f = province();
    f.person("u1", "Hoàng Thu Hà", "A")
        .device("t1", DeviceKind::usb_token, kPerson, "u1")
        .cert("01", kPerson, "u1", "t1");
    f.events(R"([{"id":"E1","type":"person_leaves","effective_date":"2025-05-01","person":"u1"},
                 {"id":"E2","type":"transfer","effective_date":"2025-06-01","person":"u1","to_org":"B"}])");
    auto p = f.plan();
    EXPECT_EQ(find_action(p, "01")->action,
              ActionKind::revoke);  // a later transfer does not bring it back
    EXPECT_EQ(find_action(p, "01")->rule, "1.2");
    EXPECT_EQ(find_action(p, "01")->reason, "cessationOfOperation");
    EXPECT_EQ(find_action(p, "t1")->rule, "2.2");
}

TEST(PlanRule12, LeavingWinsOverReview) {
    auto f = province();
    f.person("u1", "Hoàng Thu Hà", "H").cert("01", kPerson, "u1");
    f.events(R"([{"id":"E1","type":"dissolve","effective_date":"2025-07-01","org":"H"},
                 {"id":"E2","type":"person_leaves","effective_date":"2025-07-01","person":"u1"}])");
    EXPECT_EQ(find_action(f.plan(), "01")->action, ActionKind::revoke);
}

TEST(PlanRule23, PkiSimCertificatesCarryRule23AndTheSimStays) {
    auto f = province();
    f.person("u1", "Đỗ Văn Em", "B")
        .person("u2", "Vũ Thị Gấm", "B")
        .device("s1", DeviceKind::pki_sim, kPerson, "u1")
        .device("s2", DeviceKind::pki_sim, kPerson, "u2")
        .cert("01", kPerson, "u1", "s1")
        .cert("02", kPerson, "u2", "s2");
    f.events(
        R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["B","A"],"keep":"A"},
                 {"id":"E2","type":"person_leaves","effective_date":"2025-03-01","person":"u2"}])");
    auto p = f.plan();
    EXPECT_EQ(find_action(p, "01")->action, ActionKind::change_info);
    EXPECT_EQ(find_action(p, "01")->rule, "2.3");
    EXPECT_EQ(find_action(p, "02")->rule, "2.3");
    EXPECT_EQ(find_action(p, "s2"), nullptr);
    EXPECT_EQ(p.summary.return_device, 0u);
}

TEST(PlanRule22, DeviceWithTwoCertificatesReturnsOnlyWhenAllAreRevoked) {
    auto f = province();
    f.person("u1", "Ngô Văn Hải", "B")
        .device("t1", DeviceKind::usb_token, kPerson, "u1")
        .device("t2", DeviceKind::usb_token, kOrg, "B")
        .cert("0100", kPerson, "u1", "t1")
        .cert("FF", kPerson, "u1", "t1")
        .cert("0B", kOrg, "B", "t2")
        .cert("01", kOrg, "B", "t2", "2020-01-01");
    f.events(
        R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["B","A"],"keep":"A"},
                 {"id":"E2","type":"person_leaves","effective_date":"2025-03-01","person":"u1"}])");
    auto p = f.plan();
    EXPECT_EQ(find_action(p, "t1")->certificates,
              (std::vector<std::string>{"FF", "0100"}));  // as numbers
    EXPECT_EQ(find_action(p, "t2")->certificates,
              std::vector<std::string>{"0B"});  // expired one not listed
}

TEST(PlanRule22, DeviceKeptWhileOneCertificateStaysInPlay) {
    auto f = province();
    f.person("u1", "Ngô Văn Hải", "B")
        .device("t1", DeviceKind::usb_token, kOrg, "B")
        .cert("0B", kOrg, "B", "t1")
        .cert("01", kPerson, "u1", "t1");
    f.events(
        R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["B","A"],"keep":"A"}])");
    EXPECT_EQ(find_action(f.plan(), "t1"), nullptr);
}

TEST(PlanScope, ExpiredAndRevokedCertificatesAreSkipped) {
    auto f = province();
    f.cert("01", kOrg, "A", "", "2025-06-30T23:59:59Z")
        .cert("02", kOrg, "A", "", "2025-07-01T01:00:00+07:00")  // 2025-06-30 18:00 UTC
        .cert("03", kOrg, "A", "", "2025-07-01")                 // the as-of day itself is in scope
        .cert("04", kOrg, "A", "", "2029-01-01", CertStatus::revoked);
    auto p = f.plan("2025-07-01");
    EXPECT_EQ(p.summary.skipped, 3u);
    EXPECT_EQ(p.summary.considered, 1u);
    EXPECT_EQ(p.summary.unchanged, 1u);
}

TEST(PlanScope, EventsAfterAsOfDoNotApply) {
    auto f = province();
    f.cert("0B", kOrg, "B");
    f.events(
        R"([{"id":"E1","type":"merge","effective_date":"2025-07-01","sources":["B","A"],"keep":"A"}])");
    EXPECT_EQ(f.plan("2025-06-30").summary.revoke, 0u);
    EXPECT_EQ(f.plan().summary.revoke, 1u);
    EXPECT_EQ(f.plan().as_of.str(), "2025-07-01");
}

TEST(PlanScope, EventsApplyByDateThenFileOrder) {
    auto f = province();
    f.cert("0A", kOrg, "A");
    f.events(
        R"([{"id":"E2","type":"rename","effective_date":"2025-07-01","org":"A","name":"Tên Sau"},
                 {"id":"E1","type":"rename","effective_date":"2025-03-01","org":"A","name":"Tên Trước"},
                 {"id":"E3","type":"rename","effective_date":"2025-07-01","org":"A","name":"Tên Cuối"}])");
    EXPECT_EQ(find_action(f.plan(), "0A")->new_subject()->back().value, "Tên Cuối");
}

TEST(PlanSubjects, SpecialCharactersAreKeptAsValues) {
    auto f = province();
    f.org("Z", "Trung tâm \"A\", B + C; <D>", "P").cert("0Z", kOrg, "Z");
    f.events(
        R"([{"id":"E1","type":"rename","effective_date":"2025-03-01","org":"P","name":"UBND, tỉnh #1"}])");
    auto p = f.plan();
    const auto* a = find_action(p, "0Z");
    EXPECT_EQ(a->old_subject()->back().value, "Trung tâm \"A\", B + C; <D>");
    EXPECT_EQ(
        subject_text(a->new_subject()),
        "CN=Trung tâm \\\"A\\\"\\, B \\+ C\\; \\<D\\>,O=UBND\\, tỉnh #1,L=Tỉnh Sông Lam,C=VN");
}

TEST(PlanSubjects, ValuesOverTheirBoundAreWarnedButStillPlanned) {
    auto f = province();
    const std::string long_name(70, 'a');
    f.person("u1", "Lý Văn Kiên", "A").cert("01", kPerson, "u1").cert("0A", kOrg, "A");
    f.events(R"([{"id":"E1","type":"rename","effective_date":"2025-03-01","org":"A","name":")" +
             long_name + R"("}])");
    auto p = f.plan();
    EXPECT_EQ(p.summary.change_info, 2u);
    ASSERT_EQ(p.warnings.size(), 2u);
    EXPECT_EQ(p.warnings[0].code, "value_too_long");
    EXPECT_EQ(p.warnings[0].certificate, "01");
    EXPECT_EQ(p.warnings[0].detail, "OU: 70 > 64");
    EXPECT_EQ(p.warnings[1].detail, "CN: 70 > 64");
    EXPECT_EQ(p.warnings[1].holder->id, "A");
}

TEST(PlanSubjects, WrongSubjectIsChangedAndWarnedEvenWithoutEvents) {
    auto f = province();
    f.cert("0A", kOrg, "A", "", "2028-01-01", CertStatus::valid,
           "CN=SỞ TÀI CHÍNH TỈNH SÔNG LAM,O=Ủy ban nhân dân tỉnh Sông Lam,L=Tỉnh Sông Lam,C=VN");
    auto p = f.plan("2025-07-01");
    EXPECT_EQ(find_action(p, "0A")->rule, "1.1c");
    ASSERT_EQ(p.warnings.size(), 1u);
    EXPECT_EQ(p.warnings[0].code, "subject_mismatch");
}

TEST(PlanSubjects, ACertificateReissuedAfterTheEventsEndsUnchangedWithoutWarning) {
    // FORMATS.md §3: the registered subject differs, but the certificate already has the final
    // one (the CA re-issued it after the merge), so it is neither changed nor warned about.
    auto f = province();
    f.person("u1", "Nguyễn Văn An", "B", "an@x.gov.vn");
    f.cert("02", kPerson, "u1", "", "2028-01-01", CertStatus::valid,
           "E=an@x.gov.vn,CN=Nguyễn Văn An,OU=Sở Tài chính tỉnh Sông Lam,O=Ủy ban nhân dân tỉnh "
           "Sông Lam,L=Tỉnh Sông Lam,C=VN");
    f.events(
        R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["A","B"],"keep":"A"}])");
    auto p = f.plan();
    EXPECT_EQ(find_action(p, "02"), nullptr);
    EXPECT_EQ(p.summary.unchanged, 1u);
    EXPECT_TRUE(p.warnings.empty());
}

TEST(PlanSubjects, AMisspeltCertificateIsStillWarnedWhenItIsChangedOrRevoked) {
    auto f = province();
    f.person("u1", "Nguyễn Thị Hường", "B").person("u2", "Trần Văn Đức", "C");
    f.cert("01", kPerson, "u1", "", "2028-01-01", CertStatus::valid,
           "CN=Nguyễn Thị Hương,OU=Sở Kế hoạch và Đầu tư tỉnh Sông Lam,O=Ủy ban nhân dân tỉnh Sông "
           "Lam,L=Tỉnh Sông Lam,C=VN");
    f.cert("02", kPerson, "u2", "", "2028-01-01", CertStatus::valid,
           "CN=Trần Văn Đúc,OU=Sở Xây dựng tỉnh Sông Lam,O=Ủy ban nhân dân tỉnh Sông Lam,L=Tỉnh "
           "Sông Lam,C=VN");
    f.events(
        R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["A","B"],"keep":"A"},
                 {"id":"E2","type":"person_leaves","effective_date":"2025-03-01","person":"u2"}])");
    auto p = f.plan();
    EXPECT_EQ(find_action(p, "01")->action, ActionKind::change_info);
    EXPECT_EQ(find_action(p, "02")->action, ActionKind::revoke);
    ASSERT_EQ(p.warnings.size(), 2u);
    EXPECT_EQ(p.warnings[0].code, "subject_mismatch");
    EXPECT_EQ(p.warnings[0].certificate, "01");
    EXPECT_EQ(p.warnings[1].certificate, "02");
}

TEST(PlanSubjects, AttributeNamesCompareCaseInsensitively) {
    auto f = province();
    f.person("u1", "Lý Văn Kiên", "A", "kien@x.gov.vn");
    f.cert("01", kPerson, "u1", "", "2028-01-01", CertStatus::valid,
           "emailAddress=kien@x.gov.vn,cn=Lý Văn Kiên,ou=Sở Tài chính tỉnh Sông Lam,o=Ủy ban nhân "
           "dân tỉnh Sông Lam,"
           "l=Tỉnh Sông Lam,c=VN");
    auto p = f.plan("2025-07-01");
    EXPECT_EQ(p.summary.unchanged, 1u);
    EXPECT_TRUE(p.warnings.empty());
}

TEST(PlanSummary, CountsAddUp) {
    auto f = province();
    f.person("u1", "A Văn Một", "H")
        .person("u2", "B Văn Hai", "B")
        .person("u3", "C Văn Ba", "C")
        .cert("01", kPerson, "u1")
        .cert("02", kPerson, "u2")
        .cert("03", kPerson, "u3")
        .cert("0B", kOrg, "B")
        .cert("0C", kOrg, "C")
        .cert("09", kOrg, "C", "", "2019-01-01");
    f.events(
        R"([{"id":"E1","type":"merge","effective_date":"2025-03-01","sources":["B","A"],"keep":"A"},
                 {"id":"E2","type":"dissolve","effective_date":"2025-07-01","org":"H"}])");
    auto p = f.plan();
    const auto& s = p.summary;
    EXPECT_EQ(s.considered, s.change_info + s.revoke + s.review + s.unchanged);
    EXPECT_EQ(s.considered, 5u);
    EXPECT_EQ(s.skipped, 1u);
    EXPECT_EQ(s.review, 1u);
    EXPECT_EQ(s.revoke, 1u);
    EXPECT_EQ(s.change_info, 1u);
    EXPECT_EQ(s.unchanged, 2u);
}
