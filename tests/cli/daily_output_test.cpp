// CLI tests (issue 12, "the command line as a new user found it"): `kyso fix` reports each kind
// of repair under its own name, and `kyso status` counts the certificates with no holder and the
// CA certificates apart from the holders' certificates.
#include <algorithm>
#include <cstdlib>

#include "cli_harness.h"

namespace kyso::testing {

namespace {

// A bundle with one repair of each kind: a name in TCVN3, a value not in NFC, stray spaces in an
// organization's and a person's name, a person's name in capitals.
void write_repairable_bundle(const fs::path& dir) {
    write_file(dir / "organizations.csv",
               "id,name,superior_id,province\n"
               "P,Ủy ban nhân dân tỉnh Sông Lam,,Tỉnh Sông Lam\n"
               "A,Sở Tài chính tỉnh Sông Lam ,P,Tỉnh Sông Lam\n");
    write_file(dir / "people.csv",
               "id,full_name,cccd,date_of_birth,email,phone,org_id\n"
               "u1,Nguyễn Văn An,001088012345,1988-04-02,,,A\n"
               "u2,Nguy\xC3\x94n V\xC2\xA8n B\xC3\x97nh,001088012346,1988-01-01,,,A\n"  // TCVN3
               "u3,Tra\xCC\x82\xCC\x80n Văn C,001088012347,1988-01-01,,,A\n"  // decomposed
               "u4,Lê  Thị Dung,001190012348,1990-02-03,,,A\n"
               "u5,LÊ VĂN ĐỨC,001088012349,1988-01-01,,,A\n");
}

std::size_t count_lines(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

class DailyOutput : public ScratchDir {};

TEST_F(DailyOutput, FixReportsEachKindOfRepairUnderItsOwnVietnameseName) {
    write_repairable_bundle(dir / "b");
    const auto r =
        run_kyso("fix --bundle " + path("b") + " --out " + path("fixed"), "KYSO_LANG=vi");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("Đã ghi bộ dữ liệu đã sửa vào " + path("fixed") +
                         ": 5 giá trị được sửa (từng giá trị trong fixes.csv)."),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("  tên gõ bằng bảng mã cũ (TCVN3, VNI) chuyển sang Unicode: 1\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("  giá trị chuẩn hóa Unicode dựng sẵn (NFC): 1\n"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("  tên bỏ khoảng trắng thừa: 2\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("  họ tên viết toàn chữ in hoa chuyển sang viết hoa chữ đầu: 1\n"),
              std::string::npos)
        << r.out;
    // The counts are those of fixes.csv, one line per change after its heading.
    const std::string log = read_file(dir / "fixed" / "fixes.csv");
    EXPECT_EQ(count_lines(log), 6u) << log;
    for (const char* code : {"legacy_encoding", "not_nfc", "stray_spaces", "all_capitals"})
        EXPECT_NE(log.find(std::string(",") + code + ","), std::string::npos) << code;
    EXPECT_NE(read_file(dir / "fixed" / "people.csv").find("u5,Lê Văn Đức,"), std::string::npos);

    // In English, the same kinds; a clean bundle says nothing needed a repair.
    const auto en = run_kyso("fix --bundle " + path("fixed") + " --out " + path("again"));
    ASSERT_EQ(en.exit_code, 0) << en.out;
    EXPECT_NE(en.out.find(": 0 values changed"), std::string::npos) << en.out;
    EXPECT_NE(en.out.find("  nothing needed a repair\n"), std::string::npos) << en.out;
    EXPECT_EQ(en.out.find("names in a legacy encoding"), std::string::npos) << en.out;
}

TEST_F(DailyOutput, StatusCountsUnlinkedAndCaCertificatesApartFromTheHolders) {
    const std::string data = std::string(KYSO_TEST_DATA) + "/real-world/unlinked-ca-certificate";
    const std::string db = path("k.db");
    ASSERT_EQ(run_kyso("import --db " + db + " --bundle " + data + "/registry").exit_code, 0);
    auto r = run_kyso("status --db " + db);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("certificates: 2 (2 valid, 0 revoked)\n    of which: holders' (people, "
                         "organizations) 2; with no holder 0; CA certificates (no holder's) 0"),
              std::string::npos)
        << r.out;
    // The CA's certificate, and an end entity's certificate whose subject names no one.
    ASSERT_EQ(std::system(("cd " + path("") +
                           " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
                           "-nodes -keyout ee.key -out ee.pem -days 365 -set_serial 0x7E01 "
                           "-subj '/C=VN/CN=Khong Ai' -addext basicConstraints=critical,CA:FALSE "
                           "-addext keyUsage=critical,digitalSignature >/dev/null 2>&1")
                              .c_str()),
              0);
    r = run_kyso("import --db " + db + " --certs " + data + "/ca.pem " + path("ee.pem"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    r = run_kyso("status --db " + db);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("certificates: 4 (4 valid, 0 revoked)\n    of which: holders' (people, "
                         "organizations) 2; with no holder 1; CA certificates (no holder's) 1"),
              std::string::npos)
        << r.out;
    r = run_kyso("status --db " + db, "KYSO_LANG=vi");
    EXPECT_NE(r.out.find("    trong đó: của thuê bao (cá nhân, cơ quan) 2; chưa gắn thuê bao 1; "
                         "chứng thư của CA (không thuộc thuê bao nào) 1"),
              std::string::npos)
        << r.out;
}

}  // namespace kyso::testing
