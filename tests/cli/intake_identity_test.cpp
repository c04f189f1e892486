// `kyso intake` keeps records' identity and brings what the sheet says into the registry
// (issue 10): re-sent sheets, identity conflicts, serials linked, columns not read, the
// template, organization rows; and `kyso import --bundle` refuses to overwrite someone.
#include <xlsxwriter.h>

#include <nlohmann/json.hpp>

#include "cli_harness.h"
#include "text/csv.h"
#include "text/xlsx_reader.h"

namespace kyso::testing {

namespace {

using Record = std::map<std::string, std::string>;

// A CSV file as records keyed by the value of `key` (column name -> value).
std::map<std::string, Record> read_csv(const fs::path& path, const std::string& key = "id") {
    std::map<std::string, Record> out;
    auto r = text::CsvReader::open(path.string(), path.filename().string());
    EXPECT_TRUE(r.ok()) << path;
    if (!r) return out;
    while (true) {
        auto more = r->next();
        if (!more || !*more) break;
        Record rec;
        for (std::size_t i = 0; i < r->header().size(); ++i) rec[r->header()[i]] = r->fields()[i];
        out[rec[key]] = rec;
    }
    return out;
}

nlohmann::json findings(const fs::path& dir) {
    return nlohmann::json::parse(read_file(dir / "findings.json"));
}

const nlohmann::json* finding(const nlohmann::json& f, const std::string& code) {
    for (const auto& i : f["findings"])
        if (i["code"] == code) return &i;
    return nullptr;
}

// A registry bundle of Tỉnh Phú Sơn: the committee and two departments.
void write_registry(const fs::path& dir) {
    write_file(dir / "organizations.csv",
               "id,name,superior_id,province,agency_code,kind\n"
               "T01,Ủy ban nhân dân tỉnh Phú Sơn,,Tỉnh Phú Sơn,,people_committee\n"
               "T01-stc,Sở Tài chính tỉnh Phú Sơn,T01,Tỉnh Phú Sơn,,department\n"
               "T01-sxd,Sở Xây dựng tỉnh Phú Sơn,T01,Tỉnh Phú Sơn,,department\n");
}

constexpr const char* kSheetHeader =
    "STT,Họ và tên,Số CCCD,Ngày sinh,Đơn vị,Số serial chứng thư,Loại thiết bị,Số serial token\n";
constexpr const char* kAn =
    "1,Nguyễn Văn An,001088012345,02/04/1988,Sở Tài chính tỉnh Phú Sơn,,TOKEN,TK-A\n";
constexpr const char* kBinh =
    "2,Trần Thị Bình,001190012346,15/01/1990,Sở Tài chính tỉnh Phú Sơn,,TOKEN,TK-B\n";
constexpr const char* kCuong =
    "3,Lê Văn Cường,001085012347,09/09/1985,Sở Xây dựng tỉnh Phú Sơn,,TOKEN,TK-C\n";
constexpr const char* kDung =
    "1,Phạm Thị Dung,001192012348,01/02/1992,Sở Xây dựng tỉnh Phú Sơn,,TOKEN,TK-D\n";

class IntakeIdentity : public ScratchDir {
protected:
    std::string db() const { return path("k.db"); }

    // import --bundle, expecting success.
    void import(const std::string& bundle) {
        const auto r = run_kyso("import --db " + db() + " --bundle " + bundle);
        ASSERT_EQ(r.exit_code, 0) << r.out;
    }
    RunResult intake(const std::string& input, const std::string& out,
                     const std::string& extra = "") {
        const std::string kind = input.ends_with(".xlsx") ? " --xlsx " : " --csv ";
        return run_kyso("intake" + kind + input + " --registry " + db() +
                        " --province 'Tỉnh Phú Sơn' --out " + out + extra);
    }
    // The database exported into a fresh folder.
    fs::path exported(const std::string& name) {
        const auto r = run_kyso("export --db " + db() + " --bundle " + path(name));
        EXPECT_EQ(r.exit_code, 0) << r.out;
        return dir / name;
    }
};

}  // namespace

// tests/data/real-world/intake-resent-sheet: the same list re-sent with a person inserted at
// the top. Every certificate and token keeps its holder; the new person is added.
TEST_F(IntakeIdentity, ResentSheetAddsTheNewPersonAndChangesNobodyElse) {
    const std::string d = std::string(KYSO_TEST_DATA) + "/real-world/intake-resent-sheet";
    const std::string opts = " --mapping " + d + "/cot.txt";
    import(d + "/registry");
    auto r = intake(d + "/danh-sach-lan-1.xlsx", path("b1"), opts);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    // Nothing to link yet: the serials are reported, not put in a side file.
    EXPECT_NE(r.out.find("serial_not_found"), std::string::npos) << r.out;
    EXPECT_FALSE(fs::exists(dir / "b1" / "serials.csv"));
    import(path("b1"));
    r = run_kyso("import --db " + db() + " --certs " + d + "/certs");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    const fs::path before = exported("e1");

    r = intake(d + "/danh-sach-lan-2.xlsx", path("b2"), opts);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("3 linked to the registry"), std::string::npos) << r.out;
    import(path("b2"));
    const fs::path after = exported("e2");

    const auto people1 = read_csv(before / "people.csv");
    const auto people2 = read_csv(after / "people.csv");
    ASSERT_EQ(people1.size(), 3u);
    ASSERT_EQ(people2.size(), 4u);
    for (const auto& [id, p] : people1) {
        ASSERT_TRUE(people2.count(id)) << id;
        EXPECT_EQ(people2.at(id), p) << id;
    }
    const auto certs1 = read_csv(before / "certificates.csv", "serial");
    const auto certs2 = read_csv(after / "certificates.csv", "serial");
    ASSERT_EQ(certs1.size(), 3u);
    ASSERT_EQ(certs2.size(), 3u);
    for (const auto& [serial, c] : certs1) {
        EXPECT_EQ(certs2.at(serial).at("holder_id"), c.at("holder_id")) << serial;
        // and the holder is the person the certificate names
        const std::string name = people2.at(c.at("holder_id")).at("full_name");
        EXPECT_NE(c.at("subject").find("CN=" + name), std::string::npos) << serial;
    }
    const auto devices1 = read_csv(before / "devices.csv", "serial");
    const auto devices2 = read_csv(after / "devices.csv", "serial");
    ASSERT_EQ(devices2.size(), 4u);
    for (const auto& [serial, dev] : devices1) {
        EXPECT_EQ(devices2.at(serial).at("id"), dev.at("id")) << serial;
        EXPECT_EQ(devices2.at(serial).at("holder_id"), dev.at("holder_id")) << serial;
    }
    const std::string khoi = devices2.at("TK10000004").at("holder_id");
    EXPECT_EQ(people2.at(khoi).at("full_name"), "Phạm Minh Khôi");
    // The sheet's token of each certificate holder now carries the certificate.
    EXPECT_EQ(certs2.at("5A11000000000001").at("device_id"), devices2.at("TK10000001").at("id"));
}

TEST_F(IntakeIdentity, RowInsertedAndRowDeletedChangeNobodyElse) {
    write_registry(dir / "reg");
    import(path("reg"));
    write_file(dir / "ds1.csv", std::string(kSheetHeader) + kAn + kBinh + kCuong);
    auto r = intake(path("ds1.csv"), path("b1"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    import(path("b1"));
    const auto people1 = read_csv(exported("e1") / "people.csv");
    const auto devices1 = read_csv(dir / "e1" / "devices.csv", "serial");

    // Dung inserted at the top, Bình deleted, the rest one row further down.
    write_file(dir / "ds2.csv", std::string(kSheetHeader) + kDung + kAn + kCuong);
    r = intake(path("ds2.csv"), path("b2"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    import(path("b2"));
    const auto people2 = read_csv(exported("e2") / "people.csv");
    const auto devices2 = read_csv(dir / "e2" / "devices.csv", "serial");
    ASSERT_EQ(people2.size(), 4u) << "import never deletes: Bình stays";
    for (const auto& [id, p] : people1) EXPECT_EQ(people2.at(id), p) << id;
    for (const auto& [serial, dev] : devices1) EXPECT_EQ(devices2.at(serial), dev) << serial;
    EXPECT_EQ(people2.at("cccd-001192012348").at("full_name"), "Phạm Thị Dung");
    EXPECT_EQ(devices2.at("TK-D").at("holder_id"), "cccd-001192012348");
}

TEST_F(IntakeIdentity, SameCccdWithAnotherNameAndBirthIsAnErrorAndTheImportIsRefused) {
    write_registry(dir / "reg");
    import(path("reg"));
    write_file(dir / "ds1.csv", std::string(kSheetHeader) + kAn + kBinh);
    ASSERT_EQ(intake(path("ds1.csv"), path("b1")).exit_code, 0);
    import(path("b1"));
    const std::string people_before = read_file(exported("e1") / "people.csv");

    // Row 3 carries An's CCCD with another person's name and date of birth.
    write_file(dir / "ds2.csv", std::string(kSheetHeader) + kBinh +
                                    "2,Hoàng Văn Khác,001088012345,03/03/1970,Sở Tài chính tỉnh "
                                    "Phú Sơn,,TOKEN,TK-X\n");
    auto r = intake(path("ds2.csv"), path("b2"));
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.out.find("identity_conflict"), std::string::npos) << r.out;
    const auto f = findings(dir / "b2");
    const auto* conflict = finding(f, "identity_conflict");
    ASSERT_NE(conflict, nullptr) << f.dump(1);
    EXPECT_EQ((*conflict)["severity"], "error");
    EXPECT_EQ((*conflict)["id"], "cccd-001088012345");
    const std::string msg = (*conflict)["message"];
    EXPECT_NE(msg.find("dòng 3"), std::string::npos) << msg;
    EXPECT_NE(msg.find("Nguyễn Văn An"), std::string::npos) << msg;

    r = run_kyso("import --db " + db() + " --bundle " + path("b2"));
    EXPECT_NE(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("cccd-001088012345"), std::string::npos) << r.out;
    EXPECT_EQ(read_file(exported("e2") / "people.csv"), people_before) << "nothing changed";
}

TEST_F(IntakeIdentity, ImportBundleRefusesAnotherPersonOrDeviceUnderAKnownId) {
    write_registry(dir / "reg");
    write_file(dir / "reg" / "people.csv",
               "id,full_name,cccd,date_of_birth,email,phone,org_id\n"
               "p1,Nguyễn Văn An,001088012345,1988-04-02,,,T01-stc\n");
    write_file(dir / "reg" / "devices.csv",
               "id,kind,serial,phone,carrier,holder_type,holder_id\n"
               "d1,usb_token,TK-A,,,person,p1\n");
    import(path("reg"));
    const std::string before = read_file(exported("e1") / "people.csv");

    const std::string bad = copy_bundle(path("reg"), "bad");
    write_file(dir / "bad" / "people.csv",
               "id,full_name,cccd,date_of_birth,email,phone,org_id\n"
               "p1,Hoàng Văn Khác,001088012345,1970-03-03,,,T01-stc\n"
               "p2,Trần Thị Bình,001190012346,1990-01-15,,,T01-stc\n");
    auto r = run_kyso("import --db " + db() + " --bundle " + bad);
    EXPECT_NE(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("p1"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Hoàng Văn Khác"), std::string::npos) << r.out;
    EXPECT_EQ(read_file(exported("e2") / "people.csv"), before) << "p2 not added either";

    // One of the two corrected is an update.
    write_file(dir / "bad" / "people.csv",
               "id,full_name,cccd,date_of_birth,email,phone,org_id\n"
               "p1,Nguyễn Văn Ân,001088012345,1988-04-02,,,T01-stc\n");
    import(path("bad"));

    const std::string dev = copy_bundle(path("reg"), "dev");
    write_file(dir / "dev" / "devices.csv",
               "id,kind,serial,phone,carrier,holder_type,holder_id\n"
               "d1,usb_token,TK-Z,,,person,p1\n");
    r = run_kyso("import --db " + db() + " --bundle " + dev);
    EXPECT_NE(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("TK-Z"), std::string::npos) << r.out;
    EXPECT_EQ(read_csv(exported("e3") / "devices.csv").at("d1").at("serial"), "TK-A");
}

// Serials written with colons, in lower case or with a leading zero byte are the registry's
// certificate; one that another person holds is an error, and it does not move.
TEST_F(IntakeIdentity, SheetSerialsLinkToTheRegistryCertificates) {
    write_registry(dir / "reg");
    write_file(dir / "reg" / "people.csv",
               "id,full_name,cccd,date_of_birth,email,phone,org_id\n"
               "p1,Nguyễn Văn An,001088012345,1988-04-02,,,T01-stc\n"
               "p2,Trần Thị Bình,001190012346,1990-01-15,,,T01-stc\n");
    write_file(dir / "reg" / "devices.csv",
               "id,kind,serial,phone,carrier,holder_type,holder_id\n"
               "d-b,usb_token,TK-B,,,person,p2\n");
    write_file(dir / "reg" / "certificates.csv",
               "serial,holder_type,holder_id,device_id,subject,not_before,not_after,status\n"
               "9F00AB,person,p1,,\"CN=Nguyễn Văn An,C=VN\",2024-01-01,2027-01-01,valid\n"
               "7277F52A,person,p2,d-b,\"CN=Trần Thị Bình,C=VN\",2024-01-01,2027-01-01,valid\n");
    write_file(dir / "ds.csv", std::string(kSheetHeader) +
                                   "1,Nguyễn Văn An,001088012345,02/04/1988,Sở Tài chính tỉnh "
                                   "Phú Sơn,00:9f:00:ab,TOKEN,TK-A\n"
                                   "2,Lê Văn Cường,001085012347,09/09/1985,Sở Xây dựng tỉnh Phú "
                                   "Sơn,7277f52a,TOKEN,tk-b\n");
    // The registry as a bundle folder this time.
    auto r = run_kyso("intake --csv " + path("ds.csv") + " --registry " + path("reg") + " --out " +
                      path("b"));
    EXPECT_EQ(r.exit_code, 1) << r.out;
    const auto certs = read_csv(dir / "b" / "certificates.csv", "serial");
    ASSERT_EQ(certs.size(), 1u) << read_file(dir / "b" / "certificates.csv");
    EXPECT_EQ(certs.at("9F00AB").at("holder_id"), "p1");
    EXPECT_EQ(certs.at("9F00AB").at("device_id"), "d-TKA") << "on the row's token";
    EXPECT_FALSE(certs.count("7277F52A")) << "Bình's certificate is not moved to Cường";
    EXPECT_EQ(read_csv(dir / "b" / "devices.csv", "serial").count("tk-b"), 0u);
    const auto f = findings(dir / "b");
    const auto* moved = finding(f, "certificate_holder_conflict");
    ASSERT_NE(moved, nullptr) << f.dump(1);
    EXPECT_EQ((*moved)["severity"], "error");
    EXPECT_EQ((*moved)["id"], "cccd-001085012347");
    EXPECT_NE(std::string((*moved)["message"]).find("p2"), std::string::npos);
    const auto* token = finding(f, "device_holder_conflict");
    ASSERT_NE(token, nullptr) << f.dump(1);
    EXPECT_NE(std::string((*token)["message"]).find("d-b"), std::string::npos);

    // Into the database: An's certificate is his, Bình's stays hers.
    import(path("reg"));
    import(path("b"));
    auto stored = read_csv(exported("e1") / "certificates.csv", "serial");
    EXPECT_EQ(stored.at("9F00AB").at("holder_id"), "p1");
    EXPECT_EQ(stored.at("7277F52A").at("holder_id"), "p2");

    // A certificate file no holder matched (serial 0C) is linked by the sheet, "00:0c".
    const std::string ca =
        std::string(KYSO_TEST_DATA) + "/real-world/unlinked-ca-certificate/ca.pem";
    ASSERT_EQ(run_kyso("import --db " + db() + " --certs " + ca).exit_code, 0);
    write_file(dir / "ds2.csv", std::string(kSheetHeader) +
                                    "1,Nguyễn Văn An,001088012345,02/04/1988,Sở Tài chính tỉnh "
                                    "Phú Sơn,\"9F00AB; 00:0c\",TOKEN,TK-A\n");
    r = intake(path("ds2.csv"), path("b2"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    const auto linked = read_csv(dir / "b2" / "certificates.csv", "serial");
    ASSERT_EQ(linked.size(), 2u) << read_file(dir / "b2" / "certificates.csv");
    EXPECT_EQ(linked.at("0C").at("holder_id"), "p1");
    EXPECT_EQ(linked.at("0C").at("pem"), "certs/0C.pem") << "the certificate file travels along";
    import(path("b2"));
    stored = read_csv(exported("e2") / "certificates.csv", "serial");
    EXPECT_EQ(stored.at("0C").at("holder_id"), "p1");
    EXPECT_EQ(stored.at("9F00AB").at("holder_id"), "p1");
    EXPECT_EQ(stored.at("7277F52A").at("holder_id"), "p2");
}

TEST_F(IntakeIdentity, ColumnsNotReadAreListedOnTheTerminalAndInIntakeCsv) {
    write_file(dir / "ds.csv",
               "STT,Họ và tên,Số CCCD,Ngày sinh,Quê quán,Tên đơn vị,Ghi chú\n"
               "1,Nguyễn Văn An,001088012345,1988-04-02,Hà Tĩnh,Sở Tài chính,mới\n");
    const auto r = run_kyso("intake --csv " + path("ds.csv") + " --out " + path("b"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("column E \"Quê quán\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("column G \"Ghi chú\""), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("\"STT\""), std::string::npos) << r.out;
    const std::string log = read_file(dir / "b" / "intake.csv");
    EXPECT_NE(log.find("ds.csv,1,,Quê quán,,column E not read"), std::string::npos) << log;
    EXPECT_NE(log.find("ds.csv,1,,Ghi chú,,column G not read"), std::string::npos) << log;
    // "Tên đơn vị" is the unit.
    EXPECT_NE(read_file(dir / "b" / "organizations.csv").find("Sở Tài chính"), std::string::npos);
}

// Without a "Loại thiết bị" column, the heading of the serials ("Serial token") or an ICCID
// tells the kind.
TEST_F(IntakeIdentity, DeviceKindFromTheHeadingOrAnIccid) {
    write_file(dir / "a.csv", "Họ và tên,Số CCCD,Serial token\nNguyễn Văn An,001088012345,TK-A\n");
    auto r = run_kyso("intake --csv " + path("a.csv") + " --out " + path("a"));
    EXPECT_EQ(r.exit_code, 1) << r.out;  // no date of birth: an error, not ours
    EXPECT_EQ(read_csv(dir / "a" / "devices.csv", "serial").at("TK-A").at("kind"), "usb_token");
    write_file(dir / "b.csv",
               "Họ và tên,Số CCCD,Số hiệu thiết bị,Số điện thoại\n"
               "Nguyễn Văn An,001088012345,8984040000123456789,0912345678\n"
               "Trần Thị Bình,001190012346,X-1,\n");
    r = run_kyso("intake --csv " + path("b.csv") + " --out " + path("b"));
    const auto devices = read_csv(dir / "b" / "devices.csv", "serial");
    ASSERT_EQ(devices.size(), 1u) << r.out;
    EXPECT_EQ(devices.at("8984040000123456789").at("kind"), "pki_sim");
    EXPECT_EQ(devices.at("8984040000123456789").at("phone"), "0912345678");
    const auto f = findings(dir / "b");
    const auto* missing = finding(f, "unknown_device_kind");
    ASSERT_NE(missing, nullptr);
    EXPECT_EQ((*missing)["id"], "cccd-001190012346");
}

// The template's headings are the ones intake reads: filled in, both sheets come back with no
// column left unread; the organizations sheet gives organization certificates and tokens.
TEST_F(IntakeIdentity, TemplateReadsBackWithEveryColumn) {
    auto r = run_kyso("intake --template " + path("mau.xlsx"));
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(run_kyso("intake --template " + path("mau.xlsx")).exit_code, 2) << "not overwritten";
    r = run_kyso("intake --xlsx " + path("mau.xlsx") + " --out " + path("blank"));
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(r.out.find("not read"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("skipped"), std::string::npos) << r.out;

    // Fill the template's sheets (same names and headings) with one row each.
    auto sheets = text::read_xlsx(path("mau.xlsx"));
    ASSERT_TRUE(sheets) << sheets.error().describe(true);
    ASSERT_EQ(sheets->size(), 2u);
    std::map<std::string, std::string> person = {
        {"Họ và tên", "Nguyễn Văn An"}, {"Số CCCD", "001088012345"},
        {"Ngày sinh", "02/04/1988"},    {"Đơn vị", "Sở Tài chính tỉnh Phú Sơn"},
        {"Loại thiết bị", "TOKEN"},     {"Số serial thiết bị", "TK-A"},
        {"Số serial chứng thư", "5A01"}};
    std::map<std::string, std::string> org = {{"Tên cơ quan, tổ chức", "Sở Xây dựng tỉnh Phú Sơn"},
                                              {"Số serial chứng thư", "5A02"},
                                              {"Loại thiết bị", "HSM"},
                                              {"Số serial thiết bị", "HSM-1"}};
    lxw_workbook* wb = workbook_new(path("filled.xlsx").c_str());
    for (const auto& s : *sheets) {
        lxw_worksheet* ws = workbook_add_worksheet(wb, s.name.c_str());
        const auto& values = s.name == "Tổ chức" ? org : person;
        ASSERT_FALSE(s.rows.empty());
        for (std::size_t c = 0; c < s.rows[0].size(); ++c) {
            const std::string& h = s.rows[0][c];
            const auto col = static_cast<lxw_col_t>(c);
            worksheet_write_string(ws, 0, col, h.c_str(), nullptr);
            if (auto v = values.find(h); v != values.end())
                worksheet_write_string(ws, 1, col, v->second.c_str(), nullptr);
        }
    }
    ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
    write_registry(dir / "reg");
    import(path("reg"));
    r = intake(path("filled.xlsx"), path("b"));
    EXPECT_EQ(r.out.find("not read"), std::string::npos) << r.out;
    EXPECT_EQ(read_file(dir / "b" / "intake.csv").find("not read"), std::string::npos);
    const auto people = read_csv(dir / "b" / "people.csv");
    ASSERT_EQ(people.size(), 1u) << r.out;
    EXPECT_EQ(people.begin()->second.at("org_id"), "T01-stc");
    const auto devices = read_csv(dir / "b" / "devices.csv", "serial");
    ASSERT_EQ(devices.size(), 2u) << r.out;
    EXPECT_EQ(devices.at("HSM-1").at("holder_type"), "org");
    EXPECT_EQ(devices.at("HSM-1").at("holder_id"), "T01-sxd");
    EXPECT_EQ(devices.at("HSM-1").at("kind"), "hsm");
    EXPECT_EQ(devices.at("TK-A").at("holder_id"), "cccd-001088012345");
    // Neither serial is in the registry yet: both reported, on the person and the organization.
    const auto f = findings(dir / "b");
    std::set<std::string> where;
    for (const auto& i : f["findings"])
        if (i["code"] == "serial_not_found") where.insert(i["file"].get<std::string>());
    EXPECT_EQ(where, (std::set<std::string>{"organizations.csv", "people.csv"})) << f.dump(1);
    import(path("b"));
}

}  // namespace kyso::testing
