// kyso demo — templates of the agencies of a province and a district before the 2025 reform.
#pragma once

#include <span>
#include <string_view>

#include "core/registry.h"

namespace kyso::demo {

// A unit under a department (or directly under the province's people's committee).
struct UnitTemplate {
    std::string_view key;   // id suffix, e.g. "ttxtdt"
    std::string_view name;  // without the province, e.g. "Trung tâm Xúc tiến Đầu tư"
    unsigned weight;        // relative head count
    bool mandatory;         // always present (the March events refer to it)
    bool with_province;     // the name ends with "tỉnh X" (schools do not)
};

// A province-level agency: the office, a department (sở), or another body under the committee.
struct AgencyTemplate {
    std::string_view key;   // id suffix, e.g. "stc"
    std::string_view name;  // without the province, e.g. "Sở Tài chính"
    OrgKind kind;
    unsigned weight;
    unsigned presence;  // per mille of provinces that have it
    std::span<const UnitTemplate> units;
};

// Province agencies in the order they are listed.
std::span<const AgencyTemplate> province_agencies();

// The March 2025 department reform (FORMATS.md §2 merges, keeping a name).
struct DepartmentMerge {
    std::string_view absorbed;
    std::string_view keeper;
};
std::span<const DepartmentMerge> march_keep_merges();

// A unit with a name over the 64-character bound of CN/OU (X.520), present in some provinces
// on purpose so that plans show `value_too_long` (FORMATS.md §4).
extern const UnitTemplate kOverlongUnit;
inline constexpr std::string_view kOverlongParent = "stnmt";

// A district office (phòng) or district unit.
struct OfficeTemplate {
    std::string_view key;
    std::string_view name;  // without the district, e.g. "Phòng Nội vụ"
    OrgKind kind;
    unsigned weight;
    unsigned presence;  // per mille of districts that have it
    int urban;          // 1: urban districts only, 0: rural only, -1: both
};
std::span<const OfficeTemplate> district_offices();

}  // namespace kyso::demo
