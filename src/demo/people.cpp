// kyso demo — the staff of every organization: names, CCCD, contacts, positions.
#include <array>
#include <cmath>
#include <cstdio>

#include "core/date.h"
#include "demo/generator.h"
#include "demo/names.h"

namespace kyso::demo::detail {

namespace {

constexpr std::array<std::string_view, 11> kViettel{"032", "033", "034", "035", "036", "037",
                                                    "038", "039", "086", "096", "097"};
constexpr std::array<std::string_view, 8> kVinaphone{"081", "082", "083", "084",
                                                     "085", "088", "091", "094"};
constexpr std::array<std::string_view, 8> kMobifone{"070", "076", "077", "078",
                                                    "079", "089", "090", "093"};
constexpr std::array<std::string_view, 4> kVietnamobile{"052", "056", "058", "092"};
constexpr std::array<std::string_view, 2> kGmobile{"059", "099"};

constexpr std::array<Carrier, 5> kCarriers{{
    {"Viettel", "04", kViettel, 500},
    {"VinaPhone", "02", kVinaphone, 250},
    {"MobiFone", "01", kMobifone, 200},
    {"Vietnamobile", "05", kVietnamobile, 30},
    {"Gmobile", "07", kGmobile, 20},
}};

// FORMATS.md §5: birth-registration codes of the old 63 provinces.
constexpr std::array<int, 63> kCccdProvinces{
    1,  2,  4,  6,  8,  10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33,
    34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66,
    67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96};

std::uint8_t draw_carrier(Rng& rng) {
    auto r = static_cast<unsigned>(rng.below(1000));
    for (std::uint8_t i = 0; i < kCarriers.size(); ++i) {
        if (r < kCarriers[i].share) return i;
        r -= kCarriers[i].share;
    }
    return 0;
}

// What a person does, from the kind of organization and the rank in its staff list.
std::string_view position(const OrgVersion& org, std::size_t rank, Rng& rng) {
    const std::string_view name = org.name;
    const bool committee = org.kind == OrgKind::people_committee;
    const bool commune = committee && !name.starts_with("Ủy ban nhân dân tỉnh") &&
                         !name.starts_with("Ủy ban nhân dân thành phố") &&
                         !name.starts_with("Ủy ban nhân dân huyện") &&
                         !name.starts_with("Ủy ban nhân dân quận") &&
                         !name.starts_with("Ủy ban nhân dân thị xã");
    if (committee) {
        if (rank == 0) return "Chủ tịch";
        if (rank <= 2) return "Phó Chủ tịch";
        if (!commune) return rng.per_mille(300) ? "Chuyên viên chính" : "Chuyên viên";
        static constexpr std::array<std::string_view, 6> kCommuneStaff{
            "Công chức Văn phòng - Thống kê", "Công chức Tài chính - Kế toán",
            "Công chức Tư pháp - Hộ tịch",    "Công chức Địa chính - Xây dựng",
            "Công chức Văn hóa - Xã hội",     "Chỉ huy trưởng Quân sự"};
        return rng.pick(kCommuneStaff);
    }
    if (name.starts_with("Trường")) {
        if (rank == 0) return "Hiệu trưởng";
        if (rank <= 2) return "Phó Hiệu trưởng";
        return rng.per_mille(900) ? "Giáo viên" : "Kế toán";
    }
    if (name.starts_with("Phòng")) {
        if (rank == 0) return "Trưởng phòng";
        if (rank <= 2) return "Phó Trưởng phòng";
        return "Chuyên viên";
    }
    if (name.starts_with("Văn phòng")) {
        if (rank == 0) return "Chánh Văn phòng";
        if (rank <= 2) return "Phó Chánh Văn phòng";
    } else if (name.starts_with("Thanh tra")) {
        if (rank == 0) return "Chánh Thanh tra";
        if (rank <= 2) return "Phó Chánh Thanh tra";
        return rng.per_mille(600) ? "Thanh tra viên" : "Chuyên viên";
    } else if (name.starts_with("Ban") || name.starts_with("Chi cục")) {
        if (rank == 0) return name.starts_with("Ban") ? "Trưởng ban" : "Chi cục trưởng";
        if (rank <= 2) return name.starts_with("Ban") ? "Phó Trưởng ban" : "Phó Chi cục trưởng";
    } else {
        if (rank == 0) return "Giám đốc";
        if (rank <= 2) return "Phó Giám đốc";
    }
    const auto r = rng.below(100);
    if (r < 8) return "Trưởng phòng";
    if (r < 20) return "Phó Trưởng phòng";
    if (r < 35) return "Chuyên viên chính";
    if (r < 40) return "Kế toán";
    if (r < 44) return "Văn thư";
    return org.kind == OrgKind::public_unit ? "Viên chức" : "Chuyên viên";
}

struct PersonMaker {
    World& w;
    Rng& rng;
    // Unique without a set: one walk per CCCD prefix (province code, century/gender, year)
    // and one per phone area code.
    std::vector<DistinctWalk> cccd_walks;
    std::vector<DistinctWalk> phone_walks;
    std::string ascii;
    char buf[64];

    void make(Person& p, std::size_t index, const OrgVersion& org, const ProvincePlan& prov,
              std::size_t rank) {
        p.id = numbered("u", index + 1, 7);
        const Gender g = draw_person_name(rng, p.full_name, ascii);
        // Leaders are older; staff are 23 to 62 in 2025.
        const int year = rank < 3 ? rng.between(1963, 1985) : rng.between(1963, 2002);
        const int month = rng.between(1, 12);
        const int day = rng.between(1, days_in_month(year, month));
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
        p.date_of_birth = buf;

        // CCCD: province of birth registration, century and gender, year, six random digits.
        const int century_gender = (year >= 2000 ? 2 : 0) + (g == Gender::female ? 1 : 0);
        const auto code_index = rng.below(kCccdProvinces.size());
        const auto walk = (code_index * 4 + static_cast<std::size_t>(century_gender)) * 100 +
                          static_cast<std::size_t>(year % 100);
        const auto prefix = static_cast<std::uint64_t>(kCccdProvinces[code_index]) * 1000 +
                            static_cast<std::uint64_t>(century_gender * 100 + year % 100);
        const std::uint64_t cccd = prefix * 1000000 + cccd_walks[walk].next();
        std::snprintf(buf, sizeof buf, "%012llu", static_cast<unsigned long long>(cccd));
        p.cccd = buf;

        p.email.clear();
        if (!rng.per_mille(10)) {
            p.email = ascii;
            std::snprintf(buf, sizeof buf, ".%06zu@", index + 1);
            p.email += buf;
            p.email += prov.domain;
        }

        std::uint8_t carrier = kNoCarrier;
        p.phone.clear();
        if (!rng.per_mille(40)) {
            carrier = draw_carrier(rng);
            const std::string_view code = rng.pick(kCarriers[carrier].prefixes);
            const auto area = static_cast<std::size_t>((code[1] - '0') * 10 + (code[2] - '0'));
            const std::uint64_t number = area * 10000000 + phone_walks[area].next();
            std::snprintf(buf, sizeof buf, "0%09llu", static_cast<unsigned long long>(number));
            p.phone = buf;
        }
        w.person_carrier.push_back(carrier);

        p.position = rng.per_mille(50) ? std::string_view{} : position(org, rank, rng);

        p.cccd_issued_on.clear();
        p.cccd_issued_by.clear();
        if (rng.per_mille(600)) {
            const std::int64_t from =
                std::max(Date{year + 14, month, std::min(day, 28)}.days(), Date{2016, 1, 1}.days());
            const std::int64_t to = Date{2024, 12, 31}.days();
            const Date issued =
                Date::from_days(from + static_cast<std::int64_t>(
                                           rng.below(static_cast<std::uint64_t>(to - from + 1))));
            p.cccd_issued_on = issued.str();
            if (issued < Date{2021, 1, 1}) {
                p.cccd_issued_by =
                    "Cục Cảnh sát đăng ký, quản lý cư trú và dữ liệu quốc gia về dân cư";
            } else if (issued < Date{2024, 7, 1}) {
                p.cccd_issued_by = "Cục Cảnh sát quản lý hành chính về trật tự xã hội";
            } else {
                p.cccd_issued_by = "Bộ Công an";
            }
        }
    }
};

}  // namespace

std::span<const Carrier> carriers() {
    return kCarriers;
}

void build_people(World& w, Rng rng) {
    const auto& orgs = w.registry.organizations;
    double total_weight = 0;
    for (const unsigned weight : w.org_weight) total_weight += weight;
    // Certificates ≈ 0.92 per organization + ~0.99 per person (some have none, a few have two).
    const double orgs_n = static_cast<double>(orgs.size());
    const double wanted =
        std::max(static_cast<double>(w.options.scale) - 0.92 * orgs_n, orgs_n) / 0.99;
    const double factor = wanted / total_weight;

    w.registry.people.reserve(static_cast<std::size_t>(wanted * 1.02) + 16);
    w.person_carrier.reserve(static_cast<std::size_t>(wanted * 1.02) + 16);
    w.staff_begin.assign(orgs.size() + 1, 0);
    PersonMaker maker{w, rng, {}, {}, {}, {}};
    for (std::size_t i = 0; i < kCccdProvinces.size() * 4 * 100; ++i) {
        maker.cccd_walks.emplace_back(rng.next(), 1000000);
    }
    for (std::size_t i = 0; i < 100; ++i) maker.phone_walks.emplace_back(rng.next(), 10000000);
    for (std::size_t o = 0; o < orgs.size(); ++o) {
        w.staff_begin[o] = w.registry.people.size();
        const auto count = static_cast<std::size_t>(
            std::floor(static_cast<double>(w.org_weight[o]) * factor + rng.unit()));
        const OrgVersion& org = orgs[o].current();
        const ProvincePlan& prov = w.provinces[w.org_province[o]];
        for (std::size_t rank = 0; rank < count; ++rank) {
            Person& p = w.registry.people.emplace_back();
            maker.make(p, w.registry.people.size() - 1, org, prov, rank);
            p.org_id = orgs[o].id;
        }
    }
    w.staff_begin[orgs.size()] = w.registry.people.size();
}

}  // namespace kyso::demo::detail
