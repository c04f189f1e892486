// Tests: hand-built registry and events shared by the store tests, and a deep comparison.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/event.h"
#include "core/registry.h"
#include "store/store.h"

namespace kyso::store_test {

inline Date day(const char* text) {
    return *Date::parse(text);
}

inline OrgVersion version(const char* from, const char* name, const char* superior,
                          OrgKind kind = OrgKind::unspecified, const char* event = "") {
    return OrgVersion{day(from), name, superior, "Tỉnh Sông Lam", "H41.01", "", kind, event};
}

// Three organizations: a province committee renamed on 2025-07-01 (two versions), a
// department under it, and a district that ceased in 2020; people, one device of each kind,
// certificates with and without a device, one with its DER.
inline Registry sample_registry() {
    Registry r;
    r.organizations.push_back(Organization{
        "UBT",
        {version("2020-01-01", "Ủy ban nhân dân tỉnh Sông Lam", "", OrgKind::people_committee),
         version("2025-07-01", "Ủy ban nhân dân tỉnh Hồng Lĩnh", "", OrgKind::people_committee,
                 "E1")},
        {},
        {},
        {}});
    r.organizations.push_back(Organization{
        "STC", {version("2020-01-01", "Sở Tài chính", "UBT", OrgKind::department)}, {}, {}, {}});
    r.organizations.push_back(Organization{
        "HUYEN",
        {version("2020-01-01", "Ủy ban nhân dân huyện Đông", "UBT", OrgKind::people_committee)},
        day("2020-06-01"),
        "E0",
        "UBT"});
    r.people.push_back(Person{"p1", "Nguyễn Văn An", "040088012345", "1988-04-02", "an@stc.gov.vn",
                              "0912345678", "STC", "Chuyên viên", "2021-05-01", "CCSQLHCVTTXH"});
    r.people.push_back(Person{"p2", "Trần Thị Bình", "040190012346", "1990-01-15", "", "", "", "",
                              "", ""});  // unassigned
    r.people.push_back(Person{"p3", "Lê Văn Cường", "040085012347", "1985-09-09",
                              "cuong@ubt.gov.vn", "0987654321", "UBT", "Chánh văn phòng", "", ""});
    r.devices.push_back(
        Device{"d1", DeviceKind::usb_token, "TK-0001", "", "", {HolderType::person, "p1"}});
    r.devices.push_back(Device{"d2",
                               DeviceKind::pki_sim,
                               "8984040000000000001",
                               "0987654321",
                               "Viettel",
                               {HolderType::person, "p3"}});
    r.devices.push_back(Device{"d3", DeviceKind::hsm, "HSM-7", "", "", {HolderType::org, "STC"}});

    Certificate a;
    a.serial = "0A1B";
    a.holder = {HolderType::person, "p1"};
    a.device_id = "d1";
    a.subject_text = "E=an@stc.gov.vn,CN=Nguyễn Văn An,O=Sở Tài chính,C=VN";
    a.subject = {
        {"C", "VN"}, {"O", "Sở Tài chính"}, {"CN", "Nguyễn Văn An"}, {"E", "an@stc.gov.vn"}};
    a.not_before = "2024-01-01T00:00:00Z";
    a.not_after = "2027-01-01";
    a.not_after_date = day("2027-01-01");
    a.pem = "certs/0A1B.pem";
    a.issuer_text = "CN=Test CA,C=VN";
    a.sha256_cert = std::string(64, 'a');
    a.sha256_key = std::string(64, 'b');
    a.der = {0x30, 0x82, 0x00, 0x04, 0x00, 0xff, 0x00};  // zero bytes included
    a.replaces_serial = "09";
    Certificate b;
    b.serial = "0C";
    b.holder = {HolderType::org, "STC"};
    b.subject_text = "CN=Sở Tài chính,C=VN";
    b.subject = {{"C", "VN"}, {"CN", "Sở Tài chính"}};
    b.not_before = "2023-01-01";
    b.not_after = "2026-01-01";
    b.not_after_date = day("2026-01-01");
    b.status = CertStatus::revoked;
    Certificate c = b;
    c.serial = "1F";
    c.holder = {HolderType::person, "p3"};
    c.device_id = "d2";
    c.status = CertStatus::valid;
    c.subject_text = "CN=Lê Văn Cường,C=VN";
    c.subject = {{"C", "VN"}, {"CN", "Lê Văn Cường"}};
    r.certificates = {a, b, c};
    r.reindex();
    return r;
}

inline ReorgEvent event(const char* id, EventType type, const char* effective, std::size_t order) {
    ReorgEvent e;
    e.id = id;
    e.type = type;
    e.effective_date = day(effective);
    e.file_order = order;
    return e;
}

// Given in file order; E3 and E4 share a date, E2 is earlier than E1 by date.
inline std::vector<ReorgEvent> sample_events() {
    ReorgEvent e1 = event("E1", EventType::rename, "2025-07-01", 0);
    e1.legal_basis = "Nghị quyết số 1680/NQ-UBTVQH15";
    e1.org = "UBT";
    e1.name = "Ủy ban nhân dân tỉnh Hồng Lĩnh";
    ReorgEvent e2 = event("E2", EventType::merge, "2025-03-01", 1);
    e2.sources = {"STC", "HUYEN"};
    e2.new_org = NewOrganization{
        "MOI", "Sở Tài chính và Kế hoạch", std::string(), std::nullopt, "H41.99", ""};
    e2.cert_carrier = "STC";
    ReorgEvent e3 = event("E3", EventType::dissolve, "2025-08-01", 2);
    e3.org = "HUYEN";
    e3.successor = "UBT";
    ReorgEvent e4 = event("E4", EventType::transfer, "2025-08-01", 3);
    e4.person = "p2";
    e4.to_org = "UBT";
    return {e1, e2, e3, e4};
}

inline void expect_same_registry(const Registry& expected, const Registry& actual) {
    ASSERT_EQ(expected.organizations.size(), actual.organizations.size());
    for (std::size_t i = 0; i < expected.organizations.size(); ++i) {
        const auto& e = expected.organizations[i];
        const auto& a = actual.organizations[i];
        EXPECT_EQ(e.id, a.id);
        EXPECT_EQ(e.versions, a.versions) << e.id;
        EXPECT_EQ(e.ceased_on, a.ceased_on) << e.id;
        EXPECT_EQ(e.ceased_by_event, a.ceased_by_event) << e.id;
        EXPECT_EQ(e.successor_id, a.successor_id) << e.id;
    }
    EXPECT_EQ(expected.people, actual.people);
    EXPECT_EQ(expected.devices, actual.devices);
    ASSERT_EQ(expected.certificates.size(), actual.certificates.size());
    for (std::size_t i = 0; i < expected.certificates.size(); ++i) {
        EXPECT_TRUE(store::same_certificate(expected.certificates[i], actual.certificates[i]))
            << expected.certificates[i].serial;
    }
    EXPECT_EQ(actual.org_index.size(), actual.organizations.size());  // reindexed
    EXPECT_EQ(actual.cert_index.size(), actual.certificates.size());
}

}  // namespace kyso::store_test
