// kyso demo — a 2025-style reorganization: March department mergers, July province mergers,
// commune mergers, the end of the district level, transfers and departures (FORMATS.md §2).
#include <algorithm>

#include "demo/agencies.h"
#include "demo/generator.h"
#include "demo/names.h"

namespace kyso::demo::detail {

namespace {

constexpr Date kMarch{2025, 3, 1};
constexpr Date kJuly{2025, 7, 1};

// Where a province ends up on 1 July 2025.
struct Destination {
    std::size_t receiver = 0;  // index of the receiving province (itself when not merged)
    std::size_t group = 0;     // index of the merger group, for resolution numbers
};

struct EventMaker {
    World& w;
    Rng& rng;
    std::vector<std::uint8_t> person_done;  // transferred or left: no further person event
    std::vector<Destination> destination;
    // Per province: the agencies (not units) alive after March, key → id.
    std::vector<std::vector<std::pair<std::string, std::string>>> agencies;
    std::size_t new_communes = 0;

    ReorgEvent& add(EventType type, const Date& date, std::string legal_basis) {
        ReorgEvent& e = w.events.emplace_back();
        e.id = numbered("E", w.events.size(), 6);
        e.type = type;
        e.effective_date = date;
        e.legal_basis = std::move(legal_basis);
        e.file_order = w.events.size() - 1;
        return e;
    }

    const std::string& org_id(std::size_t index) const {
        return w.registry.organizations[index].id;
    }

    std::string resolution(std::string_view kind) {
        return "Nghị quyết số " + std::to_string(rng.between(10, 99)) + std::string(kind);
    }

    void merge_keep(const Date& date, const std::string& basis, std::vector<std::string> sources,
                    const std::string& keep) {
        ReorgEvent& e = add(EventType::merge, date, basis);
        e.sources = std::move(sources);
        e.keep = keep;
    }

    void rename(const Date& date, const std::string& basis, const std::string& org,
                std::string name) {
        ReorgEvent& e = add(EventType::rename, date, basis);
        e.org = org;
        e.name = std::move(name);
    }

    void change_superior(const Date& date, const std::string& basis, const std::string& org,
                         const std::string& superior) {
        ReorgEvent& e = add(EventType::change_superior, date, basis);
        e.org = org;
        e.superior_id = superior;
    }

    // March 2025: the provincial departments are merged, one gets a new name, units move.
    void march(std::size_t pi) {
        const ProvincePlan& p = w.provinces[pi];
        const std::string basis =
            resolution("/NQ-HĐND của Hội đồng nhân dân " + p.title +
                       " về việc thành lập, tổ chức lại các cơ quan chuyên môn"
                       " thuộc Ủy ban nhân dân " +
                       p.title);
        std::vector<std::string> gone;
        for (const DepartmentMerge& m : march_keep_merges()) {
            const std::size_t absorbed = p.agency(m.absorbed);
            const std::size_t keeper = p.agency(m.keeper);
            if (absorbed == kNoOrg || keeper == kNoOrg) continue;
            merge_keep(kMarch, basis, {org_id(absorbed), org_id(keeper)}, org_id(keeper));
            gone.emplace_back(m.absorbed);
        }
        // Agriculture and Environment become one department under a new name (rule 1.1a).
        ReorgEvent& e = add(EventType::merge, kMarch, basis);
        e.sources = {org_id(p.agency("snnptnt")), org_id(p.agency("stnmt"))};
        e.new_org = NewOrganization{p.id + "-snnmt",
                                    "Sở Nông nghiệp và Môi trường " + p.title,
                                    std::nullopt,
                                    std::nullopt,
                                    "",
                                    ""};
        if (pi % 2 == 1) e.cert_carrier = e.sources[1];
        if (pi % 3 == 0) e.new_org->agency_code = "000.00.40.H" + std::to_string(p.number);
        gone.emplace_back("snnptnt");
        gone.emplace_back("stnmt");

        if (const std::size_t bdt = p.agency("bdt"); bdt != kNoOrg) {
            rename(kMarch, basis, org_id(bdt), "Sở Dân tộc và Tôn giáo " + p.title);
        }
        rename(kMarch, basis, org_id(p.agency("ttcntt")), "Trung tâm Chuyển đổi số " + p.title);
        change_superior(kMarch, basis, org_id(p.agency("ttxtdt")), p.id);

        auto& alive = agencies[pi];
        for (const AgencyTemplate& a : province_agencies()) {
            const std::size_t index = p.agency(a.key);
            if (index == kNoOrg) continue;
            if (std::find(gone.begin(), gone.end(), a.key) != gone.end()) continue;
            alive.emplace_back(a.key, org_id(index));
        }
        alive.emplace_back("snnmt", p.id + "-snnmt");
    }

    // Groups of 2 or 3 provinces merge into one that keeps its name; the others stay alone.
    std::vector<std::vector<std::size_t>> province_groups() {
        const std::size_t n = w.provinces.size();
        std::vector<std::vector<std::size_t>> groups;
        std::size_t i = 0;
        while (i < n) {
            std::size_t size = 1;
            if (n - i >= 2 && rng.per_mille(600)) size = (n - i >= 3 && rng.per_mille(250)) ? 3 : 2;
            std::vector<std::size_t> g;
            for (std::size_t k = 0; k < size; ++k) g.push_back(i + k);
            groups.push_back(std::move(g));
            i += size;
        }
        const bool none =
            std::all_of(groups.begin(), groups.end(), [](const auto& g) { return g.size() == 1; });
        if (none && groups.size() >= 2) {  // at least one merger
            groups[groups.size() - 2].push_back(groups.back().front());
            groups.pop_back();
        }
        destination.resize(n);
        for (std::size_t gi = 0; gi < groups.size(); ++gi) {
            const auto& g = groups[gi];
            const std::size_t receiver = g[rng.below(g.size())];
            for (const std::size_t pi : g) destination[pi] = {receiver, gi};
        }
        return groups;
    }

    // 1 July 2025: provinces merge; their committees, offices and departments merge into the
    // receiving province's, which keep their names.
    void merge_provinces(const std::vector<std::size_t>& group) {
        if (group.size() < 2) return;
        const std::size_t r = destination[group[0]].receiver;
        const ProvincePlan& recv = w.provinces[r];
        const std::string national =
            "Nghị quyết số 202/2025/QH15 của Quốc hội về việc sắp xếp đơn vị"
            " hành chính cấp tỉnh";
        ReorgEvent& mp = add(EventType::merge_province, kJuly, national);
        for (const std::size_t pi : group) {
            if (pi != r) mp.sources.push_back(w.provinces[pi].name);
        }
        mp.into = recv.name;

        std::vector<std::string> committees;
        for (const std::size_t pi : group) committees.push_back(w.provinces[pi].id);
        merge_keep(kJuly, national, std::move(committees), recv.id);

        const std::string basis =
            resolution("/NQ-HĐND của Hội đồng nhân dân " + recv.title +
                       " về việc thành lập các cơ quan chuyên môn thuộc Ủy ban"
                       " nhân dân " +
                       recv.title + " sau sắp xếp");
        for (const auto& [key, keep] : agencies[r]) {
            std::vector<std::string> sources;
            for (const std::size_t pi : group) {
                const auto& list = agencies[pi];
                const auto it = std::find_if(list.begin(), list.end(),
                                             [&](const auto& a) { return a.first == key; });
                if (it != list.end()) sources.push_back(it->second);
            }
            if (sources.size() >= 2) merge_keep(kJuly, basis, std::move(sources), keep);
        }
    }

    // 1 July 2025 in one district: its communes merge and go directly under the province; the
    // district's committee and offices are dissolved; some of their staff move to communes.
    void district(std::size_t pi, const DistrictPlan& d, const std::string& commune_basis,
                  std::unordered_set<std::string>& names) {
        const ProvincePlan& p = w.provinces[pi];
        const ProvincePlan& recv = w.provinces[destination[pi].receiver];
        std::vector<std::string> survivors;
        const std::size_t n = d.communes.size();
        for (std::size_t i = 0; i < n;) {
            const auto r = rng.below(100);
            const std::size_t size = std::min<std::size_t>(n - i, r < 15   ? 1
                                                                  : r < 45 ? 2
                                                                  : r < 85 ? 3
                                                                           : 4);
            const std::string_view kind = d.urban ? "phường " : "xã ";
            if (size >= 2 && rng.per_mille(600)) {
                ReorgEvent& e = add(EventType::merge, kJuly, commune_basis);
                for (std::size_t k = i; k < i + size; ++k) {
                    e.sources.push_back(org_id(d.communes[k]));
                }
                const std::string id = numbered(p.id + "-N", ++new_communes, 3);
                e.new_org = NewOrganization{
                    id,      "Ủy ban nhân dân " + std::string(kind) + draw_place_name(rng, names),
                    recv.id, recv.name,
                    "",      ""};
                if (rng.per_mille(300)) e.cert_carrier = e.sources[rng.below(e.sources.size())];
                survivors.push_back(id);
            } else {
                const std::size_t kept = i + rng.below(size);
                const std::string& id = org_id(d.communes[kept]);
                if (size >= 2) {
                    std::vector<std::string> sources;
                    for (std::size_t k = i; k < i + size; ++k) {
                        sources.push_back(org_id(d.communes[k]));
                    }
                    merge_keep(kJuly, commune_basis, std::move(sources), id);
                }
                // Towns (thị trấn) are abolished with the districts.
                if (d.commune_town[kept] != 0) {
                    rename(kJuly, commune_basis, id,
                           "Ủy ban nhân dân xã " + d.commune_places[kept]);
                }
                // Otherwise the dissolution of the district moves it up (FORMATS.md §2).
                if (size >= 2 || rng.per_mille(500)) {
                    change_superior(kJuly, commune_basis, id, recv.id);
                }
                survivors.push_back(id);
            }
            i += size;
        }

        const std::string law =
            "Luật Tổ chức chính quyền địa phương số 72/2025/QH15; Nghị quyết số"
            " 76/2025/UBTVQH15 về sắp xếp đơn vị hành chính năm 2025";
        std::vector<std::size_t> unassigned;
        for (const std::size_t office : d.offices) {
            ReorgEvent& e = add(EventType::dissolve, kJuly, law);
            e.org = org_id(office);
            if (rng.per_mille(500)) {
                e.successor = survivors[rng.below(survivors.size())];
            } else {
                unassigned.push_back(office);
            }
        }
        add(EventType::dissolve, kJuly, law).org = org_id(d.ubnd);
        unassigned.push_back(d.ubnd);

        const std::string order = "Quyết định số " + std::to_string(rng.between(100, 999)) +
                                  "/QĐ-UBND của Chủ tịch Ủy ban nhân dân " + recv.title +
                                  " về việc điều động, bố trí công chức";
        for (const std::size_t o : unassigned) {
            for (std::size_t person = w.staff_begin[o]; person < w.staff_begin[o + 1]; ++person) {
                if (person_done[person] != 0 || !rng.per_mille(30)) continue;
                ReorgEvent& e = add(EventType::transfer, kJuly, order);
                e.person = w.registry.people[person].id;
                e.to_org = survivors[rng.below(survivors.size())];
                person_done[person] = 1;
            }
        }
    }

    // Early retirement and departures (Decree 178/2024/NĐ-CP), about one person in a thousand.
    void departures(const Date& date, std::size_t count) {
        const std::size_t people = w.registry.people.size();
        const std::string basis =
            "Quyết định về việc nghỉ hưu trước tuổi, thôi việc theo Nghị định"
            " số 178/2024/NĐ-CP";
        for (std::size_t k = 0; k < count && people > 0; ++k) {
            for (int attempt = 0; attempt < 16; ++attempt) {
                const std::size_t person = rng.below(people);
                if (person_done[person] != 0) continue;
                person_done[person] = 1;
                add(EventType::person_leaves, date, basis).person = w.registry.people[person].id;
                break;
            }
        }
    }
};

}  // namespace

void build_events(World& w, Rng rng) {
    EventMaker m{w, rng, std::vector<std::uint8_t>(w.registry.people.size(), 0), {}, {}, 0};
    const std::size_t provinces = w.provinces.size();
    m.agencies.resize(provinces);
    const std::size_t leaving = std::max<std::size_t>(3, w.registry.people.size() / 1000);

    for (std::size_t pi = 0; pi < provinces; ++pi) m.march(pi);
    m.departures(kMarch, leaving / 3);

    const auto groups = m.province_groups();
    for (const auto& group : groups) m.merge_provinces(group);
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        const ProvincePlan& recv = w.provinces[m.destination[groups[gi][0]].receiver];
        const std::string basis =
            "Nghị quyết số " + std::to_string(1654 + gi) +
            "/NQ-UBTVQH15 của Ủy ban Thường vụ Quốc hội về việc sắp xếp các đơn"
            " vị hành chính cấp xã của " +
            recv.name + " năm 2025";
        // New commune names must not repeat a place name of any province of the group.
        std::unordered_set<std::string> names;
        for (const std::size_t pi : groups[gi]) {
            names.insert(w.provinces[pi].places.begin(), w.provinces[pi].places.end());
        }
        for (const std::size_t pi : groups[gi]) {
            for (const DistrictPlan& d : w.provinces[pi].districts) m.district(pi, d, basis, names);
        }
    }
    m.departures(kJuly, leaving - leaving / 3);
}

}  // namespace kyso::demo::detail
