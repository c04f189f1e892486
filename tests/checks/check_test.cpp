// Tests: `kyso check` findings, one FORMATS.md §5 code per case, with file, row, field and id.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <tuple>

#include "checks/check.h"
#include "checks/fix.h"

namespace {

namespace fs = std::filesystem;
using kyso::checks::Severity;

// (code, severity, file, row, field, id)
using Key =
    std::tuple<std::string, std::string, std::string, std::int64_t, std::string, std::string>;

class Check : public ::testing::Test {
protected:
    void SetUp() override {
        dir = fs::temp_directory_path() /
              ("kyso-check-" +
               std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
               std::to_string(getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir);
        write("organizations.csv",
              "id,name,superior_id,province\n"
              "P,Ủy ban nhân dân tỉnh Sông Lam,,Tỉnh Sông Lam\n"
              "A,Sở Tài chính tỉnh Sông Lam,P,Tỉnh Sông Lam\n");
        people_header = "id,full_name,cccd,date_of_birth,email,phone,org_id\n";
        good_person = "u1,Nguyễn Văn An,001088012345,1988-04-02,an@x.gov.vn,0912345678,A\n";
        write("people.csv", people_header + good_person);
        write("devices.csv",
              "id,kind,serial,phone,holder_type,holder_id\nd1,usb_token,AB12,,person,u1\n");
        write(
            "certificates.csv",
            "serial,holder_type,holder_id,device_id,subject,not_before,not_after,status\n"
            "0A,person,u1,d1,\"E=an@x.gov.vn,CN=Nguyễn Văn An,OU=Sở Tài chính tỉnh Sông Lam,"
            "O=Ủy ban nhân dân tỉnh Sông Lam,L=Tỉnh Sông Lam,C=VN\",2024-01-01,2027-01-01,valid\n");
    }
    void TearDown() override { fs::remove_all(dir); }

    void write(const std::string& name, const std::string& content) {
        std::ofstream(dir / name, std::ios::binary) << content;
    }
    std::set<Key> keys() {
        auto f = kyso::checks::check_bundle(dir.string());
        EXPECT_TRUE(f) << (f ? "" : f.error().describe(true));
        std::set<Key> out;
        if (!f) return out;
        for (const auto& x : f->items) {
            out.emplace(x.code, x.severity == Severity::error ? "error" : "warning", x.file, x.row,
                        x.field, x.id);
        }
        return out;
    }

    fs::path dir;
    std::string people_header, good_person;
};

}  // namespace

TEST_F(Check, CleanBundleHasNoFindings) {
    EXPECT_TRUE(keys().empty());
}

TEST_F(Check, CccdRules) {
    write("people.csv",
          people_header + good_person +
              "u2,Trần Thị Bình,00108801234,1990-01-01,,,A\n"    // 11 digits
              "u3,Lê Văn Cường,003088012345,1988-01-01,,,A\n"    // 003 is no province
              "u4,Phạm Thị Dung,001190012345,1988-01-01,,,A\n"   // born 1990 by the CCCD
              "u5,Hoàng Văn Em,001088012345,1988-04-02,,,A\n");  // u1's CCCD, another name
    const auto k = keys();
    EXPECT_TRUE(k.count({"cccd_format", "error", "people.csv", 2, "cccd", "u2"}));
    EXPECT_TRUE(k.count({"cccd_province", "error", "people.csv", 3, "cccd", "u3"}));
    EXPECT_TRUE(k.count({"cccd_birth_mismatch", "error", "people.csv", 4, "cccd", "u4"}));
    EXPECT_TRUE(k.count({"duplicate_cccd", "error", "people.csv", 5, "cccd", "u5"}));
    EXPECT_EQ(k.size(), 4u);
}

TEST_F(Check, PhoneEmailDateAndNames) {
    write("people.csv", people_header + good_person +
                            "u2,Trần Thị Bình,001190012345,1990-02-30,binh@x,0951234567,A\n"
                            "u3,Tra\xCC\x82\xCC\x80n Văn C,001088012346,1988-01-01,,,A\n" +
                            "u4," + std::string(65, 'a') + ",001088012347,1988-01-01,,,A\n");
    const auto k = keys();
    EXPECT_TRUE(k.count({"date_format", "error", "people.csv", 2, "date_of_birth", "u2"}));
    EXPECT_TRUE(k.count({"email_format", "error", "people.csv", 2, "email", "u2"}));
    EXPECT_TRUE(k.count({"phone_format", "error", "people.csv", 2, "phone", "u2"}));
    EXPECT_TRUE(k.count({"not_nfc", "warning", "people.csv", 3, "full_name", "u3"}));
    EXPECT_TRUE(k.count({"value_too_long", "error", "people.csv", 4, "full_name", "u4"}));
    // No cccd_birth_mismatch where the date of birth is not a real date.
    EXPECT_FALSE(k.count({"cccd_birth_mismatch", "error", "people.csv", 2, "cccd", "u2"}));
}

TEST_F(Check, ReferencesDuplicatesAndCycles) {
    write("organizations.csv",
          "id,name,superior_id,province\n"
          "P,Ủy ban nhân dân tỉnh Sông Lam,,Tỉnh Sông Lam\n"
          "A,Sở Tài chính tỉnh Sông Lam,P,Tỉnh Sông Lam\n"
          "X,Sở X,Y,Tỉnh Sông Lam\n"
          "Y,Sở Y,X,Tỉnh Sông Lam\n"
          "Z,Sở Z,X,Tỉnh Sông Lam\n"  // leads into the cycle: not reported
          "S,Sở S,S,Tỉnh Sông Lam\n"  // self-reference is a cycle
          "A,Sở A trùng,P,Tỉnh Sông Lam\n"
          "Q,Sở Q,NONE,Tỉnh Sông Lam\n");
    write("people.csv",
          people_header + good_person + "u2,Trần Thị Bình,001190012345,1990-01-01,,,\n");
    write("devices.csv",
          "id,kind,serial,phone,holder_type,holder_id\nd1,usb_token,AB12,,person,u1\n"
          "d2,usb_token,AB13,,group,P\n");
    const auto k = keys();
    EXPECT_TRUE(k.count({"superior_cycle", "error", "organizations.csv", 3, "superior_id", "X"}));
    EXPECT_TRUE(k.count({"superior_cycle", "error", "organizations.csv", 4, "superior_id", "Y"}));
    EXPECT_FALSE(k.count({"superior_cycle", "error", "organizations.csv", 5, "superior_id", "Z"}));
    EXPECT_TRUE(k.count({"superior_cycle", "error", "organizations.csv", 6, "superior_id", "S"}));
    EXPECT_TRUE(k.count({"duplicate_id", "error", "organizations.csv", 7, "id", "A"}));
    EXPECT_TRUE(
        k.count({"unknown_reference", "error", "organizations.csv", 8, "superior_id", "Q"}));
    EXPECT_TRUE(
        k.count({"unknown_reference", "error", "people.csv", 2, "org_id", "u2"}));  // empty org_id
    EXPECT_TRUE(k.count({"unknown_reference", "error", "devices.csv", 2, "holder_id", "d2"}));
}

TEST_F(Check, CertificateFindings) {
    write(
        "certificates.csv",
        "serial,holder_type,holder_id,device_id,subject,not_before,not_after,status\n"
        "0A,person,u1,d1,\"CN=NGUYỄN VĂN AN,C=VN\",2024-01-01,2025-01-01,valid\n"  // expired: still
                                                                                   // checked
        "0B,org,A,d1,\"CN=Sở Tài chính tỉnh Sông Lam,O=Ủy ban nhân dân tỉnh Sông Lam,L=Tỉnh Sông "
        "Lam,C=VN\","
        "2024-01-01T00:00:00+07:00,31/12/2027,valid\n"
        "0C,org,A,d9,\"CN=x;y\",2024-01-01,2027-01-01,revoked\n");
    const auto k = keys();
    EXPECT_TRUE(k.count({"subject_mismatch", "warning", "certificates.csv", 1, "subject", "0A"}));
    EXPECT_TRUE(
        k.count({"device_holder_mismatch", "warning", "certificates.csv", 2, "device_id", "0B"}));
    EXPECT_TRUE(k.count({"date_format", "error", "certificates.csv", 2, "not_after", "0B"}));
    EXPECT_FALSE(k.count({"subject_mismatch", "warning", "certificates.csv", 2, "subject", "0B"}));
    EXPECT_TRUE(k.count({"unknown_reference", "error", "certificates.csv", 3, "device_id", "0C"}));
    EXPECT_FALSE(k.count(
        {"subject_mismatch", "warning", "certificates.csv", 3, "subject", "0C"}));  // revoked
}

TEST_F(Check, UnreadableBundlesAreErrorsNotFindings) {
    EXPECT_FALSE(kyso::checks::check_bundle((dir / "missing").string()));
    write("people.csv", "id,full_name\nu1,A\n");
    auto r = kyso::checks::check_bundle(dir.string());
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "csv.missing_column");
    fs::remove(dir / "organizations.csv");
    EXPECT_EQ(kyso::checks::check_bundle(dir.string()).error().code, "bundle.no_organizations");
}

TEST_F(Check, SampleGivesOnlyItsKnownFindings) {
    auto f = kyso::checks::check_bundle(std::string(KYSO_TEST_DATA) + "/reorg-sample");
    ASSERT_TRUE(f);
    std::set<std::string> codes;
    for (const auto& x : f->items) codes.insert(x.code);
    EXPECT_EQ(codes, (std::set<std::string>{"subject_mismatch", "value_too_long"}));
    EXPECT_EQ(f->errors(), 1u);  // P83-ttcntt: a 68-character name
    for (const auto& x : f->items) EXPECT_FALSE(x.id.empty());
}

TEST_F(Check, LegacyEncodingIsFoundAndRepaired) {
    write("people.csv",
          people_header + good_person +
              "u2,Nguy\xC3\x94n V\xC2\xA8n B\xC3\x97nh,001088012346,1988-01-01,,,A\n"  // TCVN3
              "u3,V\xC3\xB2,001088012347,1988-01-01,,,A\n");  // "Vò": plausible
    auto f = kyso::checks::check_bundle(dir.string());
    ASSERT_TRUE(f);
    std::size_t legacy = 0;
    for (const auto& x : f->items) {
        if (x.code != "legacy_encoding") continue;
        ++legacy;
        EXPECT_EQ(x.row, 2);
        EXPECT_EQ(x.field, "full_name");
        ASSERT_TRUE(x.suggestion);
        EXPECT_EQ(*x.suggestion, "Nguyễn Văn Bình");
    }
    EXPECT_EQ(legacy, 1u);
}

TEST_F(Check, FixRepairsACopyAndListsTheChanges) {
    const std::string people =
        people_header + good_person +
        "u2,Nguy\xC3\x94n V\xC2\xA8n B\xC3\x97nh,001088012346,1988-01-01,,,A\n"
        "u3,Tra\xCC\x82\xCC\x80n Văn C,001088012347,1988-01-01,,,A\n";
    write("people.csv", people);
    const fs::path out = dir.string() + "-fixed";
    fs::remove_all(out);
    auto fixes = kyso::checks::fix_bundle(dir.string(), out.string());
    ASSERT_TRUE(fixes) << fixes.error().describe(true);
    ASSERT_EQ(fixes->size(), 2u);
    EXPECT_EQ((*fixes)[0].code, "legacy_encoding");
    EXPECT_EQ((*fixes)[0].after, "Nguyễn Văn Bình");
    EXPECT_EQ((*fixes)[0].row, 2);
    EXPECT_EQ((*fixes)[1].code, "not_nfc");
    EXPECT_EQ((*fixes)[1].after, "Trần Văn C");
    // The copy checks clean of both; the source is untouched; the log lists both changes.
    auto after = kyso::checks::check_bundle(out.string());
    ASSERT_TRUE(after);
    for (const auto& f : after->items) EXPECT_NE(f.code, "legacy_encoding");
    for (const auto& f : after->items) EXPECT_NE(f.code, "not_nfc");
    std::ifstream src(dir / "people.csv", std::ios::binary);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(src), {}), people);
    std::ifstream log(out / "fixes.csv");
    std::string lines((std::istreambuf_iterator<char>(log)), {});
    EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 3);
    // A target that already holds files is refused.
    auto again = kyso::checks::fix_bundle(dir.string(), out.string());
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "fix.target_not_empty");
    EXPECT_EQ(kyso::checks::fix_bundle(dir.string(), (dir / "inside").string()).error().code,
              "fix.target_inside");
    fs::remove_all(out);
}

TEST_F(Check, StraySpacesAndCapitalsAreWarningsThatFixRepairs) {
    write("people.csv", people_header + good_person +
                            "u2, Trần  Thị Bình,001190012345,1990-02-03,,,A\n"
                            "u3,LÊ VĂN ĐỨC,001088012346,1988-01-01,,,A\n");
    write("organizations.csv",
          "id,name,superior_id,province\n"
          "P,Ủy ban nhân dân tỉnh Sông Lam,,Tỉnh Sông Lam\n"
          "A,Sở Tài chính tỉnh Sông Lam ,P,Tỉnh Sông Lam\n");
    const auto k = keys();
    EXPECT_TRUE(k.count({"stray_spaces", "warning", "organizations.csv", 2, "name", "A"}));
    EXPECT_TRUE(k.count({"stray_spaces", "warning", "people.csv", 2, "full_name", "u2"}));
    EXPECT_TRUE(k.count({"all_capitals", "warning", "people.csv", 3, "full_name", "u3"}));
    // Organizations' names may be capitals (acronyms, headings); only people's are flagged.
    for (const auto& key : k) EXPECT_NE(std::get<1>(key), "error") << std::get<0>(key);
    auto findings = kyso::checks::check_bundle(dir.string());
    ASSERT_TRUE(findings);
    for (const auto& f : findings->items) {
        if (f.code == "all_capitals") {
            EXPECT_EQ(f.suggestion, "Lê Văn Đức");
        }
        if (f.code == "stray_spaces" && f.id == "u2") {
            EXPECT_EQ(f.suggestion, "Trần Thị Bình");
        }
    }
    const fs::path out = dir.string() + "-fixed";
    fs::remove_all(out);
    auto fixes = kyso::checks::fix_bundle(dir.string(), out.string());
    ASSERT_TRUE(fixes) << fixes.error().describe(true);
    std::set<std::string> codes;
    for (const auto& f : *fixes) codes.insert(f.code + ":" + f.after);
    EXPECT_TRUE(codes.count("stray_spaces:Sở Tài chính tỉnh Sông Lam"));
    EXPECT_TRUE(codes.count("stray_spaces:Trần Thị Bình"));
    EXPECT_TRUE(codes.count("all_capitals:Lê Văn Đức"));
    auto after = kyso::checks::check_bundle(out.string());
    ASSERT_TRUE(after);
    for (const auto& f : after->items) {
        EXPECT_NE(f.code, "stray_spaces");
        EXPECT_NE(f.code, "all_capitals");
    }
    fs::remove_all(out);
}

TEST_F(Check, Tcvn3CapitalsFontRepairsComeBackInProperCase) {
    // Names typed in .VnTimeH: a person's and an organization's, as the small letters' codes.
    write("organizations.csv",
          "id,name,superior_id,province\n"
          "P,Ủy ban nhân dân tỉnh Sông Lam,,Tỉnh Sông Lam\n"
          "A,s\xC3\xAB t\xC2\xB5i ch\xC3\x9Dnh,P,Tỉnh Sông Lam\n");
    write("people.csv",
          people_header + good_person +
              "u2,NGUY\xC3\x94N V\xC2\xA1N B\xC3\x97NH,001088012346,1988-01-01,,,A\n");
    auto f = kyso::checks::check_bundle(dir.string());
    ASSERT_TRUE(f);
    std::map<std::string, std::string> suggested;
    for (const auto& x : f->items) {
        if (x.code == "legacy_encoding" && x.suggestion) suggested[x.id] = *x.suggestion;
    }
    EXPECT_EQ(suggested["u2"], "Nguyễn Văn Bình");
    EXPECT_EQ(suggested["A"], "Sở tài chính");
    const fs::path out = dir.string() + "-fixed";
    fs::remove_all(out);
    auto fixes = kyso::checks::fix_bundle(dir.string(), out.string());
    ASSERT_TRUE(fixes) << fixes.error().describe(true);
    std::set<std::string> after;
    for (const auto& x : *fixes) after.insert(x.code + ":" + x.after);
    EXPECT_TRUE(after.count("legacy_encoding:Nguyễn Văn Bình"));
    EXPECT_TRUE(after.count("legacy_encoding:Sở tài chính"));
    fs::remove_all(out);
}
