// Intake's records keep their identity (issue 10): people keyed by CCCD or the registry's id,
// certificates and devices by serial linked to the registry's records, nothing moved in silence.
#include <gtest/gtest.h>

#include <algorithm>

#include "intake/intake_identity.h"
#include "intake/intake_records.h"

namespace kyso::intake {

namespace {

using F = IntakeField;

// A registry: two units, two people with a certificate and a token each, an unlinked
// certificate and an organization's certificate.
Registry registry() {
    Registry r;
    auto org = [](const char* id, const char* name, const char* superior) {
        return Organization{
            id,
            {OrgVersion{Date{2020, 1, 1}, name, superior, "Tỉnh Phú Sơn", "", "", {}, ""}},
            {},
            {},
            {}};
    };
    r.organizations = {org("T01", "Ủy ban nhân dân tỉnh Phú Sơn", ""),
                       org("T01-stc", "Sở Tài chính tỉnh Phú Sơn", "T01")};
    r.people = {
        Person{"p-huong", "Nguyễn Thị Hường", "038185012345", "1985-04-12", "huong@ps.gov.vn",
               "0912345678", "T01-stc", "Chuyên viên", "", ""},
        Person{"p-duc", "Trần Văn Đức", "001079004321", "1979-11-02", "", "", "T01-stc", "", "",
               ""},
    };
    r.devices = {
        Device{
            "tok-1", DeviceKind::usb_token, "TK10000001", "", "", {HolderType::person, "p-huong"}},
        Device{"tok-2", DeviceKind::usb_token, "TK10000002", "", "", {HolderType::person, "p-duc"}},
    };
    auto cert = [](const char* serial, HolderRef holder, const char* device) {
        Certificate c;
        c.serial = serial;
        c.holder = std::move(holder);
        c.device_id = device;
        c.subject_text = "CN=x,C=VN";
        c.not_before = "2024-01-01";
        c.not_after = "2027-01-01";
        c.not_after_date = Date{2027, 1, 1};
        return c;
    };
    r.certificates = {cert("9F0011", {HolderType::person, "p-huong"}, ""),
                      cert("7277F52A", {HolderType::person, "p-duc"}, "tok-2"),
                      cert("0ABC", {}, ""), cert("5A00", {HolderType::org, "T01-stc"}, "")};
    r.reindex();
    return r;
}

IntakeRow row(std::int64_t n, const char* name, const char* cccd, const char* dob,
              const char* serial = "", const char* device_serial = "") {
    IntakeRow r;
    r.sheet = "DS";
    r.row = n;
    r[F::full_name] = name;
    r[F::cccd] = cccd;
    r[F::date_of_birth] = dob;
    r[F::organization] = "Sở Tài chính tỉnh Phú Sơn";
    r[F::serial] = serial;
    if (*device_serial != '\0') {
        r[F::device_kind] = "TOKEN";
        r[F::device_serial] = device_serial;
    }
    return r;
}

std::vector<std::string> codes(const checks::Findings& f) {
    std::vector<std::string> out;
    for (const auto& i : f.items) out.push_back(i.code);
    return out;
}

const checks::Finding* find(const checks::Findings& f, const std::string& code) {
    const auto it = std::find_if(f.items.begin(), f.items.end(),
                                 [&](const checks::Finding& i) { return i.code == code; });
    return it == f.items.end() ? nullptr : &*it;
}

}  // namespace

TEST(IntakeIdentity, IdsComeFromWhatIdentifiesTheRecord) {
    EXPECT_EQ(person_id_from_cccd("001079004321"), "cccd-001079004321");
    const std::string a = person_id_without_cccd("Lê Văn Tám", "1990-03-04", "");
    EXPECT_EQ(a, person_id_without_cccd("LÊ VĂN  TÁM", "1990-03-04", ""));
    EXPECT_NE(a, person_id_without_cccd("Lê Văn Tám", "1990-03-05", ""));
    EXPECT_EQ(a.rfind("p-", 0), 0u);
    EXPECT_EQ(a.size(), 14u);
    EXPECT_EQ(unit_id_from_name("Phòng Văn hóa  và Thông tin"), "dv-phong-van-hoa-va-thong-tin");
    EXPECT_EQ(unit_id_from_name("PHÒNG VĂN HÓA VÀ THÔNG TIN"), "dv-phong-van-hoa-va-thong-tin");
    const std::string long_id =
        unit_id_from_name("Trung tâm Công nghệ thông tin và Truyền thông tỉnh Phú Sơn");
    EXPECT_LE(long_id.size(), 3u + 40u + 9u);
    EXPECT_NE(long_id, unit_id_from_name("Trung tâm Công nghệ thông tin và Truyền thông tỉnh X"));
    EXPECT_EQ(device_id_from_serial("tk 1000/0001"), "d-TK1000-0001");
}

TEST(IntakeIdentity, RegistryKeysFindRecordsByWhatIdentifiesThem) {
    const Registry reg = registry();
    const RegistryKeys keys(reg);
    ASSERT_NE(keys.person_by_cccd("001079004321"), nullptr);
    EXPECT_EQ(keys.person_by_cccd("001079004321")->id, "p-duc");
    EXPECT_EQ(keys.person_by_name_and_birth("TRẦN VĂN ĐỨC", "1979-11-02")->id, "p-duc");
    EXPECT_EQ(keys.person_by_name_and_birth("Trần Văn Đức", ""), nullptr);
    EXPECT_EQ(keys.certificate("009F0011")->serial, "9F0011") << "leading zero byte";
    EXPECT_EQ(keys.device_by_serial("tk-1000-0002")->id, "tok-2");
    EXPECT_EQ(keys.organization_by_name("SỞ TÀI CHÍNH TỈNH PHÚ SƠN")->id, "T01-stc");
}

TEST(IntakeRecords, ResentSheetWithARowInsertedAndOneDeletedKeepsEveryId) {
    const RegistryKeys none;
    IntakeRecords first(none, "Tỉnh Phú Sơn", "");
    first.add(row(5, "Lê Văn Tám", "001090012346", "1990-03-04"));
    first.add(row(6, "Ngô Thị Chín", "001190012347", "1990-03-05"));
    first.add(row(7, "Đỗ Văn Mười", "", "1990-03-06"));
    IntakeRecords again(none, "Tỉnh Phú Sơn", "");
    again.add(row(5, "Phạm Thu Trang", "001195012345", "1995-01-02"));  // inserted
    again.add(row(6, "Đỗ Văn Mười", "", "1990-03-06"));                 // Tám deleted
    again.add(row(7, "Ngô Thị Chín", "001190012347", "1990-03-05"));
    auto id_of = [](const IntakeRecords& r, const std::string& name) {
        for (const Person& p : r.people())
            if (p.full_name == name) return p.id;
        return std::string();
    };
    EXPECT_EQ(id_of(first, "Ngô Thị Chín"), "cccd-001190012347");
    EXPECT_EQ(id_of(again, "Ngô Thị Chín"), "cccd-001190012347");
    EXPECT_EQ(id_of(first, "Đỗ Văn Mười"), id_of(again, "Đỗ Văn Mười"));
    EXPECT_EQ(first.people()[0].org_id, again.people()[1].org_id);
    EXPECT_EQ(again.people().size(), 3u);
    const checks::Finding* f = find(again.findings(), "person_without_cccd");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->severity, checks::Severity::warning);
    EXPECT_EQ(f->row, 2);
}

TEST(IntakeRecords, RegistryPersonKeepsTheRegistryIdAndValuesTheSheetLeavesEmpty) {
    const Registry reg = registry();
    const RegistryKeys keys(reg);
    IntakeRecords r(keys, "Tỉnh Phú Sơn", "");
    r.add(row(4, "Nguyễn Thị Hường", "038185012345", "1985-04-12"));
    ASSERT_EQ(r.people().size(), 1u);
    EXPECT_EQ(r.people()[0].id, "p-huong");
    EXPECT_EQ(r.people()[0].email, "huong@ps.gov.vn");
    EXPECT_EQ(r.people()[0].position, "Chuyên viên");
    EXPECT_TRUE(r.findings().items.empty()) << codes(r.findings())[0];
    EXPECT_EQ(r.organizations().size(), 2u) << "the registry's units, nothing new";
}

TEST(IntakeRecords, SameCccdWithAnotherNameAndBirthIsAnIdentityConflict) {
    const Registry reg = registry();
    const RegistryKeys keys(reg);
    IntakeRecords r(keys, "Tỉnh Phú Sơn", "");
    r.add(row(9, "Phạm Minh Khôi", "038185012345", "1996-03-08", "9F0011", "TK10000001"));
    const checks::Finding* f = find(r.findings(), "identity_conflict");
    ASSERT_NE(f, nullptr) << ::testing::PrintToString(codes(r.findings()));
    EXPECT_EQ(f->severity, checks::Severity::error);
    EXPECT_EQ(f->id, "p-huong");
    EXPECT_NE(f->message.find("dòng 9"), std::string::npos) << f->message;
    EXPECT_NE(f->message.find("p-huong"), std::string::npos) << f->message;
    // Written as the sheet says, under the registry id (the import refuses it); the row's
    // certificate and token are not linked.
    EXPECT_EQ(r.people()[0].full_name, "Phạm Minh Khôi");
    EXPECT_TRUE(r.certificates().empty());
    EXPECT_TRUE(r.devices().empty());

    // A name corrected with the same date of birth is an update, not a conflict.
    IntakeRecords fix(keys, "Tỉnh Phú Sơn", "");
    fix.add(row(9, "Nguyễn Thị Hương", "038185012345", "1985-04-12"));
    EXPECT_EQ(find(fix.findings(), "identity_conflict"), nullptr);
    EXPECT_EQ(fix.people()[0].full_name, "Nguyễn Thị Hương");
}

TEST(IntakeRecords, TwoRowsWithOneCccdAreOnePersonUnlessBothNameAndBirthDiffer) {
    const RegistryKeys none;
    IntakeRecords r(none, "Tỉnh Phú Sơn", "");
    r.add(row(5, "Lê Văn Tám", "001090012346", "1990-03-04"));
    IntakeRow second = row(6, "Lê Văn Tám", "001090012346", "");
    second[F::position] = "Chuyên viên";
    r.add(second);
    r.add(row(7, "Ngô Thị Chín", "001090012346", "1991-01-01"));
    ASSERT_EQ(r.people().size(), 1u);
    EXPECT_EQ(r.people()[0].position, "Chuyên viên");
    EXPECT_EQ(r.people()[0].date_of_birth, "1990-03-04");
    const checks::Finding* f = find(r.findings(), "identity_conflict");
    ASSERT_NE(f, nullptr);
    EXPECT_NE(f->message.find("dòng 7"), std::string::npos) << f->message;
}

TEST(IntakeRecords, SerialWrittenOtherwiseLinksTheRegistryCertificate) {
    const Registry reg = registry();
    const RegistryKeys keys(reg);
    IntakeRecords r(keys, "Tỉnh Phú Sơn", "");
    // "00:9f:00:11" as the sheet has it after clean_serial: upper case, no colons.
    r.add(row(4, "Nguyễn Thị Hường", "038185012345", "1985-04-12", "009F0011;0abc", "tk-10000001"));
    ASSERT_EQ(r.certificates().size(), 2u) << ::testing::PrintToString(codes(r.findings()));
    EXPECT_EQ(r.certificates()[0].serial, "9F0011") << "the registry's serial";
    EXPECT_EQ(r.certificates()[0].holder, (HolderRef{HolderType::person, "p-huong"}));
    EXPECT_EQ(r.certificates()[0].device_id, "tok-1") << "put on the row's token";
    EXPECT_EQ(r.certificates()[1].serial, "0ABC");
    EXPECT_EQ(r.certificates()[1].holder.id, "p-huong") << "an unlinked certificate is linked";
    ASSERT_EQ(r.devices().size(), 1u);
    EXPECT_EQ(r.devices()[0].id, "tok-1") << "the registry's device id";
    EXPECT_EQ(r.serials_read(), 2u);
    EXPECT_EQ(r.serials_linked(), 2u);
    EXPECT_TRUE(r.findings().items.empty());
}

TEST(IntakeRecords, SerialOfAnotherPersonsCertificateIsAnErrorAndNothingMoves) {
    const Registry reg = registry();
    const RegistryKeys keys(reg);
    IntakeRecords r(keys, "Tỉnh Phú Sơn", "");
    r.add(row(4, "Nguyễn Thị Hường", "038185012345", "1985-04-12", "7277F52A", "TK10000002"));
    EXPECT_TRUE(r.certificates().empty());
    EXPECT_TRUE(r.devices().empty());
    const checks::Finding* c = find(r.findings(), "certificate_holder_conflict");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->severity, checks::Severity::error);
    EXPECT_EQ(c->field, "serial");
    EXPECT_NE(c->message.find("p-duc"), std::string::npos) << c->message;
    const checks::Finding* d = find(r.findings(), "device_holder_conflict");
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->severity, checks::Severity::error);
    EXPECT_NE(d->message.find("tok-2"), std::string::npos) << d->message;
}

TEST(IntakeRecords, UnknownSerialIsReportedAndANewTokenIsKeyedBySerial) {
    const Registry reg = registry();
    const RegistryKeys keys(reg);
    IntakeRecords r(keys, "Tỉnh Phú Sơn", "");
    r.add(row(4, "Phạm Minh Khôi", "036196004455", "1996-03-08", "5A11;xyz", "TK10000004"));
    EXPECT_TRUE(r.certificates().empty());
    const checks::Finding* f = find(r.findings(), "serial_not_found");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->severity, checks::Severity::warning);
    EXPECT_EQ(f->id, "cccd-036196004455");
    EXPECT_NE(f->message.find("5A11"), std::string::npos);
    EXPECT_NE(find(r.findings(), "serial_invalid"), nullptr);
    ASSERT_EQ(r.devices().size(), 1u);
    EXPECT_EQ(r.devices()[0].id, "d-TK10000004");
    EXPECT_EQ(r.devices()[0].holder.id, "cccd-036196004455");
}

TEST(IntakeRecords, OrganizationRowsHoldTheirCertificatesAndTokens) {
    const Registry reg = registry();
    const RegistryKeys keys(reg);
    IntakeRecords r(keys, "Tỉnh Phú Sơn", "");
    IntakeRow org;
    org.sheet = "Tổ chức";
    org.row = 2;
    org[F::organization] = "Sở Tài chính tỉnh Phú Sơn";
    org[F::serial] = "5A00";
    org[F::device_kind] = "HSM";
    org[F::device_serial] = "HSM-9";
    EXPECT_EQ(row_subject(org).kind, RowSubject::Kind::org);
    r.add(org);
    IntakeRow typed = row(3, "Người đại diện", "", "", "0ABC");
    typed[F::holder_type] = "Tổ chức";
    typed[F::organization] = "Phòng Mới";
    EXPECT_EQ(row_subject(typed).kind, RowSubject::Kind::org);
    r.add(typed);
    IntakeRow odd = row(4, "Lê Văn Tám", "001090012346", "1990-03-04");
    odd[F::holder_type] = "Khác";
    r.add(odd);
    ASSERT_EQ(r.certificates().size(), 2u) << ::testing::PrintToString(codes(r.findings()));
    EXPECT_EQ(r.certificates()[0].holder, (HolderRef{HolderType::org, "T01-stc"}));
    EXPECT_EQ(r.certificates()[1].holder, (HolderRef{HolderType::org, "dv-phong-moi"}));
    ASSERT_EQ(r.devices().size(), 1u);
    EXPECT_EQ(r.devices()[0].kind, DeviceKind::hsm);
    EXPECT_EQ(r.devices()[0].holder, (HolderRef{HolderType::org, "T01-stc"}));
    EXPECT_EQ(r.people().size(), 1u) << "only Tám is a person";
    EXPECT_NE(find(r.findings(), "unknown_unit"), nullptr);
    EXPECT_NE(find(r.findings(), "unknown_holder_type"), nullptr);
}

}  // namespace kyso::intake
