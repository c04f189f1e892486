// Tests: the synthetic bundle generator (kyso demo-data) — determinism, scale, validity.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "core/subject_profile.h"
#include "core/values.h"
#include "demo/demo.h"
#include "demo/demo_sample.h"
#include "text/nfc.h"

namespace fs = std::filesystem;
using kyso::demo::DemoOptions;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

fs::path temp_dir(const std::string& name) {
    const fs::path dir = fs::temp_directory_path() / ("kyso-demo-test-" + name);
    fs::remove_all(dir);
    return dir;
}

const char* const kFiles[] = {"organizations.csv", "people.csv", "devices.csv", "certificates.csv",
                              "events.json"};

}  // namespace

TEST(Demo, SameSeedGivesIdenticalFilesAndOtherSeedDiffers) {
    const auto a = temp_dir("a");
    const auto b = temp_dir("b");
    const auto c = temp_dir("c");
    ASSERT_TRUE(kyso::demo::write(a.string(), DemoOptions{3000, 42}).ok());
    ASSERT_TRUE(kyso::demo::write(b.string(), DemoOptions{3000, 42}).ok());
    ASSERT_TRUE(kyso::demo::write(c.string(), DemoOptions{3000, 43}).ok());
    for (const char* f : kFiles) {
        const std::string fa = slurp(a / f);
        EXPECT_FALSE(fa.empty()) << f;
        EXPECT_EQ(fa, slurp(b / f)) << f;
        EXPECT_NE(fa, slurp(c / f)) << f;
    }
    fs::remove_all(a);
    fs::remove_all(b);
    fs::remove_all(c);
}

TEST(Demo, WrittenFilesHoldTheGeneratedBundle) {
    const auto dir = temp_dir("w");
    const auto summary = kyso::demo::write(dir.string(), DemoOptions{3000, 42});
    ASSERT_TRUE(summary.ok());
    auto generated = kyso::demo::generate(DemoOptions{3000, 42});
    ASSERT_TRUE(generated.ok());
    const auto& certs = generated->registry.certificates;
    EXPECT_EQ(summary->certificates, certs.size());
    EXPECT_EQ(summary->events, generated->events.size());
    std::istringstream csv(slurp(dir / "certificates.csv"));
    std::string line;
    std::getline(csv, line);  // header
    for (const auto& c : certs) {
        ASSERT_TRUE(std::getline(csv, line));
        EXPECT_TRUE(line.starts_with(c.serial + ",")) << line;
        EXPECT_NE(line.find(c.subject_text), std::string::npos) << line;
    }
    fs::remove_all(dir);
}

TEST(Demo, TinyAndHugeScales) {
    auto tiny = kyso::demo::generate(DemoOptions{1, 1});
    ASSERT_TRUE(tiny.ok());
    EXPECT_EQ(kyso::demo::summarize(*tiny).provinces, 3u);  // the smallest complete shape
    EXPECT_FALSE(tiny->events.empty());
    EXPECT_FALSE(kyso::demo::generate(DemoOptions{kyso::demo::kMaxScale + 1, 1}).ok());
    auto zero = kyso::demo::generate(DemoOptions{0, 1});
    ASSERT_FALSE(zero.ok());
    EXPECT_EQ(zero.error().code, "demo.scale");
}

TEST(Demo, ScaleIsRoughlyHonoured) {
    const auto& b = kyso::demo::testing::sample();
    EXPECT_GE(b.registry.certificates.size(), 4000u);
    EXPECT_LE(b.registry.certificates.size(), 6000u);
    auto big = kyso::demo::generate(DemoOptions{60000, 1});
    ASSERT_TRUE(big.ok());
    const auto s = kyso::demo::summarize(*big);
    EXPECT_GE(s.certificates, 54000u);
    EXPECT_LE(s.certificates, 66000u);
    EXPECT_GE(s.provinces, 3u);
    EXPECT_LE(s.provinces, 5u);
    // A province of ~20,000 certificates has a couple of hundred events (DOMAIN.md scale).
    EXPECT_GE(s.events, 150u * s.provinces);
    EXPECT_LE(s.events, 600u * s.provinces);
}

TEST(Demo, EveryReferenceResolvesAndIdsAreUnique) {
    const auto& reg = kyso::demo::testing::sample().registry;
    std::unordered_map<std::string, const kyso::Organization*> orgs;
    for (const auto& o : reg.organizations) {
        EXPECT_TRUE(orgs.emplace(o.id, &o).second) << o.id;
        ASSERT_EQ(o.versions.size(), 1u);
    }
    for (const auto& o : reg.organizations) {
        // The chain of superiors ends at a province committee, without a cycle.
        std::string id = o.id;
        int depth = 0;
        while (!orgs.at(id)->current().superior_id.empty()) {
            id = orgs.at(id)->current().superior_id;
            ASSERT_TRUE(orgs.contains(id)) << o.id << " → " << id;
            ASSERT_LT(++depth, 6) << o.id;
        }
        EXPECT_EQ(orgs.at(id)->current().kind, kyso::OrgKind::people_committee);
        EXPECT_EQ(orgs.at(id)->current().province, o.current().province) << o.id;
    }
    std::unordered_set<std::string> people;
    for (const auto& p : reg.people) {
        EXPECT_TRUE(people.insert(p.id).second) << p.id;
        EXPECT_TRUE(orgs.contains(p.org_id)) << p.id;
    }
    std::unordered_map<std::string, const kyso::Device*> devices;
    for (const auto& d : reg.devices) {
        EXPECT_TRUE(devices.emplace(d.id, &d).second) << d.id;
        if (d.holder.type == kyso::HolderType::org) {
            EXPECT_TRUE(orgs.contains(d.holder.id)) << d.id;
        } else {
            EXPECT_TRUE(people.contains(d.holder.id)) << d.id;
        }
    }
    for (const auto& c : reg.certificates) {
        if (c.holder.type == kyso::HolderType::org) {
            EXPECT_TRUE(orgs.contains(c.holder.id)) << c.serial;
        } else {
            EXPECT_TRUE(people.contains(c.holder.id)) << c.serial;
        }
        if (c.device_id.empty()) continue;
        ASSERT_TRUE(devices.contains(c.device_id)) << c.serial;
        EXPECT_EQ(devices.at(c.device_id)->holder, c.holder) << c.serial;  // no holder mismatch
        EXPECT_TRUE(c.pem.empty());
    }
    EXPECT_EQ(reg.org(reg.organizations.back().id), &reg.organizations.back());  // indexed
}

TEST(Demo, IdentityNumbersPhonesAndEmailsAreValid) {
    const auto& reg = kyso::demo::testing::sample().registry;
    std::set<std::string> cccds;
    std::set<std::string> emails;
    for (const auto& p : reg.people) {
        const auto dob = kyso::Date::parse(p.date_of_birth);
        ASSERT_TRUE(dob.has_value()) << p.id;
        EXPECT_TRUE(kyso::cccd_well_formed(p.cccd)) << p.id;
        EXPECT_TRUE(kyso::cccd_province_known(p.cccd)) << p.id;
        EXPECT_TRUE(kyso::cccd_matches_birth(p.cccd, *dob)) << p.id << " " << p.cccd;
        EXPECT_TRUE(cccds.insert(p.cccd).second) << p.id;
        if (!p.phone.empty()) {
            EXPECT_TRUE(kyso::phone_valid(p.phone)) << p.id << " " << p.phone;
        }
        if (!p.email.empty()) {
            EXPECT_TRUE(kyso::email_valid(p.email)) << p.id << " " << p.email;
            EXPECT_TRUE(emails.insert(p.email).second) << p.email;
        }
        if (!p.cccd_issued_on.empty()) {
            const auto issued = kyso::Date::parse(p.cccd_issued_on);
            ASSERT_TRUE(issued.has_value()) << p.id;
            EXPECT_GT(*issued, *dob);
            EXPECT_FALSE(p.cccd_issued_by.empty());
        }
    }
    EXPECT_GT(emails.size(), reg.people.size() * 95 / 100);
}

TEST(Demo, GenderDigitOfCccdFollowsTheName) {
    for (const auto& p : kyso::demo::testing::sample().registry.people) {
        const bool female_digit = (p.cccd[3] - '0') % 2 == 1;
        if (p.full_name.find(" Thị ") != std::string::npos) {
            EXPECT_TRUE(female_digit) << p.full_name;
        }
    }
}

TEST(Demo, DevicesIncludePkiSimsWithValidIccidAndPhone) {
    const auto& reg = kyso::demo::testing::sample().registry;
    std::size_t sims = 0;
    std::size_t tokens = 0;
    std::set<std::string> serials;
    for (const auto& d : reg.devices) {
        EXPECT_TRUE(serials.insert(d.serial).second) << d.serial;
        if (d.kind == kyso::DeviceKind::pki_sim) {
            ++sims;
            EXPECT_EQ(d.serial.size(), 19u) << d.id;
            EXPECT_TRUE(d.serial.starts_with("8984")) << d.id;
            EXPECT_TRUE(kyso::phone_valid(d.phone)) << d.id;
            EXPECT_TRUE(d.carrier == "Viettel" || d.carrier == "VinaPhone" ||
                        d.carrier == "MobiFone");
            EXPECT_EQ(d.holder.type, kyso::HolderType::person);
            EXPECT_EQ(reg.person(d.holder.id)->phone, d.phone);
        } else if (d.kind == kyso::DeviceKind::usb_token) {
            ++tokens;
            EXPECT_EQ(d.serial.size(), 8u) << d.id;
        }
    }
    EXPECT_GT(sims, 0u);
    EXPECT_GT(tokens, sims);
    // About one person certificate in ten is on a PKI SIM.
    EXPECT_GT(sims * 100, reg.people.size() * 5);
    EXPECT_LT(sims * 100, reg.people.size() * 15);
}

TEST(Demo, SerialsAreUniqueAndWellFormed) {
    std::set<std::string> serials;
    std::size_t revoked = 0;
    std::size_t expired = 0;
    std::map<std::string, int> per_device;
    for (const auto& c : kyso::demo::testing::sample().registry.certificates) {
        EXPECT_TRUE(serials.insert(c.serial).second) << c.serial;
        EXPECT_TRUE(kyso::serial_valid(c.serial)) << c.serial;
        EXPECT_EQ(c.serial.size(), 32u);
        EXPECT_TRUE(c.serial[0] >= '1' && c.serial[0] <= '7') << c.serial;
        const auto nb = kyso::Date::parse_date_or_datetime(c.not_before);
        const auto na = kyso::Date::parse_date_or_datetime(c.not_after);
        ASSERT_TRUE(nb && na) << c.serial;
        EXPECT_LT(*nb, *na);
        EXPECT_EQ(*na, c.not_after_date);
        if (c.status == kyso::CertStatus::revoked) ++revoked;
        if (*na < kyso::Date{2025, 7, 1}) ++expired;
        if (!c.device_id.empty()) ++per_device[c.device_id];
    }
    const std::size_t n = serials.size();
    EXPECT_GT(revoked * 100, n * 2);
    EXPECT_LT(revoked * 100, n * 7);
    EXPECT_GT(expired, 0u);
    std::size_t doubles = 0;
    for (const auto& [device, count] : per_device) {
        EXPECT_LE(count, 2) << device;
        if (count == 2) ++doubles;
    }
    EXPECT_GT(doubles, 0u);  // a renewed token holding its old certificate
}

TEST(Demo, SubjectsFollowTheProfileExceptAFewDeliberateMismatches) {
    const auto& reg = kyso::demo::testing::sample().registry;
    std::size_t mismatches = 0;
    std::size_t escaped = 0;
    for (const auto& c : reg.certificates) {
        const auto expected = kyso::registry_holder_subject(reg, c.holder);
        ASSERT_TRUE(expected.has_value()) << c.serial;
        const auto parsed = kyso::parse_rfc4514(c.subject_text);
        ASSERT_TRUE(parsed.ok()) << c.subject_text;
        EXPECT_EQ(*parsed, c.subject) << c.serial;
        if (!kyso::same_subject(*parsed, *expected)) ++mismatches;
        if (c.subject_text.find("\\,") != std::string::npos) ++escaped;
    }
    const std::size_t n = reg.certificates.size();
    EXPECT_GT(mismatches, 0u);
    EXPECT_LT(mismatches * 100, n * 3);
    EXPECT_GT(escaped, 0u);  // "Sở Văn hóa, Thể thao và Du lịch"
}

TEST(Demo, OnlyAFewNamesExceedTheX520Bound) {
    const auto& reg = kyso::demo::testing::sample().registry;
    std::size_t overlong = 0;
    for (const auto& o : reg.organizations) {
        if (kyso::utf8_length(o.current().name) > 64) ++overlong;
    }
    for (const auto& p : reg.people) EXPECT_LE(kyso::utf8_length(p.full_name), 64u);
    EXPECT_GE(overlong, 1u);
    EXPECT_LE(overlong * 50, reg.organizations.size());
}

TEST(Demo, AllTextIsNfc) {
    const auto& b = kyso::demo::testing::sample();
    auto nfc = [](const std::string& s) {
        return kyso::text::valid_utf8(s) && kyso::text::is_nfc(s);
    };
    for (const auto& o : b.registry.organizations) {
        EXPECT_TRUE(nfc(o.current().name) && nfc(o.current().province)) << o.id;
    }
    for (const auto& p : b.registry.people) {
        EXPECT_TRUE(nfc(p.full_name) && nfc(p.position) && nfc(p.cccd_issued_by)) << p.id;
    }
    for (const auto& c : b.registry.certificates) EXPECT_TRUE(nfc(c.subject_text)) << c.serial;
    for (const auto& e : b.events) {
        EXPECT_TRUE(nfc(e.legal_basis) && nfc(e.name) && nfc(e.into)) << e.id;
        if (e.new_org) {
            EXPECT_TRUE(nfc(e.new_org->name)) << e.id;
        }
        for (const auto& s : e.sources) EXPECT_TRUE(nfc(s)) << e.id;
    }
}
