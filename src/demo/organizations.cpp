// kyso demo — provinces with their committee, departments, units, districts and communes.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "demo/agencies.h"
#include "demo/generator.h"
#include "demo/names.h"

namespace kyso::demo::detail {

std::size_t ProvincePlan::agency(std::string_view key) const {
    for (const auto& [k, index] : agencies) {
        if (k == key) return index;
    }
    return kNoOrg;
}

std::string numbered(std::string_view prefix, std::size_t n, int width) {
    char digits[32];
    std::snprintf(digits, sizeof digits, "%0*zu", width, n);
    std::string out(prefix);
    out += digits;
    return out;
}

namespace {

// QCVN 102:2016 style electronic identifier, e.g. "000.00.12.H56".
std::string agency_code(int level4, int level3, int level2, int province) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%03d.%02d.%02d.H%02d", level4, level3, level2, province);
    return buf;
}

struct Builder {
    World& w;
    Rng& rng;

    std::size_t add(std::uint32_t province, std::string id, std::string name, std::string superior,
                    OrgKind kind, std::string code, unsigned weight) {
        Organization org;
        org.id = std::move(id);
        OrgVersion v;
        v.name = std::move(name);
        v.superior_id = std::move(superior);
        v.province = w.provinces[province].name;
        v.agency_code = std::move(code);
        v.kind = kind;
        org.versions.push_back(std::move(v));
        w.registry.organizations.push_back(std::move(org));
        w.org_weight.push_back(weight);
        w.org_province.push_back(province);
        return w.registry.organizations.size() - 1;
    }

    // The committee, the office, the departments and their units.
    void province_level(std::uint32_t pi, bool many_units) {
        ProvincePlan& p = w.provinces[pi];
        p.ubnd = add(pi, p.id, "Ủy ban nhân dân " + p.title, "", OrgKind::people_committee,
                     agency_code(0, 0, 0, p.number), 8);
        std::unordered_set<std::string_view> namesakes;
        int k = 0;
        for (const AgencyTemplate& a : province_agencies()) {
            ++k;
            if (!rng.per_mille(a.presence)) continue;
            const std::string id = p.id + "-" + std::string(a.key);
            const std::string code = rng.per_mille(800) ? agency_code(0, 0, k, p.number) : "";
            const unsigned weight = a.weight * static_cast<unsigned>(rng.between(80, 120)) / 100;
            const std::size_t index =
                add(pi, id, std::string(a.name) + " " + p.title, p.id, a.kind, code, weight);
            p.agencies.emplace_back(a.key, index);
            int u = 0;
            for (const UnitTemplate& t : a.units) {
                ++u;
                if (!t.mandatory && !rng.per_mille(many_units ? 800 : 150)) continue;
                add_unit(pi, t, id, k, u, namesakes);
            }
            // A few provinces have a unit whose name is over the X.520 bound (FORMATS.md §4).
            if (a.key == kOverlongParent && pi % 4 == 1) {
                add_unit(pi, kOverlongUnit, id, k, 9, namesakes);
            }
        }
    }

    void add_unit(std::uint32_t pi, const UnitTemplate& t, const std::string& parent, int k, int u,
                  std::unordered_set<std::string_view>& namesakes) {
        ProvincePlan& p = w.provinces[pi];
        std::string name(t.name);
        name += ' ';
        if (t.with_province) {
            name += p.title;
        } else {
            std::string_view who = draw_namesake(rng);
            while (!namesakes.insert(who).second) who = draw_namesake(rng);
            name += who;
        }
        const std::string code = rng.per_mille(500) ? agency_code(u, k, 0, p.number) : "";
        const unsigned weight = t.weight * static_cast<unsigned>(rng.between(70, 130)) / 100;
        const std::size_t index = add(pi, p.id + "-" + std::string(t.key), std::move(name), parent,
                                      OrgKind::public_unit, code, weight);
        p.agencies.emplace_back(t.key, index);
    }

    void district(std::uint32_t pi, std::size_t d, bool city, std::size_t communes) {
        ProvincePlan& p = w.provinces[pi];
        DistrictPlan dp;
        std::string place;
        std::string level;
        if (!city && d == 0) {
            // The provincial capital is a city named after the province.
            place = p.name.substr(p.name.find(' ') + 1);
            p.places.insert(place);
            level = "thành phố ";
            dp.urban = true;
        } else {
            place = draw_place_name(rng, p.places);
            if (city) {
                dp.urban = rng.per_mille(600);
                level = dp.urban ? "quận " : "huyện ";
            } else {
                dp.urban = d == 1;
                level = dp.urban ? "thị xã " : "huyện ";
            }
        }
        const std::string title = level + place;
        const std::string id = numbered(p.id + "-H", d + 1, 2);
        const int level2 = 31 + static_cast<int>(d);
        dp.ubnd = add(pi, id, "Ủy ban nhân dân " + title, p.id, OrgKind::people_committee,
                      rng.per_mille(700) ? agency_code(0, 0, level2, p.number) : "", 6);
        int o = 0;
        for (const OfficeTemplate& t : district_offices()) {
            ++o;
            if (t.urban >= 0 && t.urban != (dp.urban ? 1 : 0)) continue;
            if (!rng.per_mille(t.presence)) continue;
            const unsigned weight = t.weight * static_cast<unsigned>(rng.between(70, 130)) / 100;
            dp.offices.push_back(
                add(pi, id + "-" + std::string(t.key), std::string(t.name) + " " + title, id,
                    t.kind, rng.per_mille(600) ? agency_code(0, o, level2, p.number) : "", weight));
        }
        for (std::size_t c = 0; c < communes; ++c) {
            std::string commune_place = draw_place_name(rng, p.places);
            const bool town = !dp.urban && c == 0;
            const bool ward = dp.urban && (level != "thị xã " || rng.per_mille(700));
            const std::string_view prefix = town ? "thị trấn " : ward ? "phường " : "xã ";
            const unsigned weight =
                static_cast<unsigned>(ward ? rng.between(15, 28) : rng.between(12, 24));
            const std::string code =
                rng.per_mille(500) ? agency_code(static_cast<int>(c) + 1, level2, 0, p.number) : "";
            dp.communes.push_back(add(pi, numbered(id + "-X", c + 1, 2),
                                      "Ủy ban nhân dân " + std::string(prefix) + commune_place, id,
                                      OrgKind::people_committee, code, weight));
            dp.commune_places.push_back(std::move(commune_place));
            dp.commune_town.push_back(town ? 1 : 0);
        }
        p.districts.push_back(std::move(dp));
    }
};

std::size_t rounded(double x) {
    return static_cast<std::size_t>(std::llround(x));
}

}  // namespace

void build_organizations(World& w, Rng rng) {
    const double scale = static_cast<double>(w.options.scale);
    // About 20,000 certificates a province: a few provinces at 60,000, ~50 at a million.
    const std::size_t province_count = std::clamp<std::size_t>(rounded(scale / 20000.0), 3, 60);
    const double budget = scale / static_cast<double>(province_count);
    const bool many_units = budget >= 4000;

    // Province names: a shuffled draw from the invented list, so seeds differ in geography.
    std::vector<std::string_view> names(province_names().begin(), province_names().end());
    for (std::size_t i = names.size() - 1; i > 0; --i) std::swap(names[i], names[rng.below(i + 1)]);

    w.provinces.resize(province_count);
    for (std::uint32_t pi = 0; pi < province_count; ++pi) {
        ProvincePlan& p = w.provinces[pi];
        const bool city = pi % 7 == 3;
        p.id = numbered("P", pi + 1, 2);
        p.name = std::string(city ? "Thành phố " : "Tỉnh ") + std::string(names[pi]);
        p.title = std::string(city ? "thành phố " : "tỉnh ") + std::string(names[pi]);
        append_ascii_fold(p.domain, names[pi]);
        p.domain += ".gov.vn";
        p.number = static_cast<int>(pi) + 11;
    }

    w.registry.organizations.reserve(static_cast<std::size_t>(scale / 25) + 400);
    Builder b{w, rng};
    for (std::uint32_t pi = 0; pi < province_count; ++pi) {
        const bool city = pi % 7 == 3;
        b.province_level(pi, many_units);
        const auto base = std::clamp<std::size_t>(rounded(budget / 2000.0), 2, 14);
        const std::size_t districts = std::max<std::size_t>(2, base + rng.below(3) - 1);
        const double per_district = budget / static_cast<double>(districts) / 150.0;
        for (std::size_t d = 0; d < districts; ++d) {
            const double spread = 0.7 + 0.6 * rng.unit();
            const auto communes = std::clamp<std::size_t>(rounded(per_district * spread), 2, 25);
            b.district(pi, d, city, communes);
        }
    }
}

}  // namespace kyso::demo::detail
