// kyso demo — the generator's working state, shared by its steps (internal to src/demo).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/event.h"
#include "core/registry.h"
#include "demo/demo.h"
#include "demo/random.h"

namespace kyso::demo::detail {

// "No such organization" for indexes into Registry::organizations.
inline constexpr std::size_t kNoOrg = static_cast<std::size_t>(-1);

struct DistrictPlan {
    std::size_t ubnd = 0;  // index in Registry::organizations
    bool urban = false;    // quận, thị xã, thành phố: communes are mostly phường
    std::vector<std::size_t> offices;  // phòng and district units
    std::vector<std::size_t> communes;
    std::vector<std::string> commune_places;  // "Tân Lộc", parallel to communes
    std::vector<std::uint8_t> commune_town;   // 1 for a thị trấn (abolished in 2025)
};

struct ProvincePlan {
    std::string id;      // "P01"; also the id of its people's committee
    std::string name;    // "Tỉnh Trường Sơn" (the `province` column)
    std::string title;   // "tỉnh Trường Sơn" (the end of its agencies' names)
    std::string domain;  // "truongson.gov.vn"
    int number = 0;      // used in agency codes ("H23")
    std::size_t ubnd = 0;
    std::vector<std::pair<std::string, std::size_t>> agencies;  // key → organization index
    std::vector<DistrictPlan> districts;
    std::unordered_set<std::string> places;  // place names in use (districts, communes)

    // Organization index of the province agency or unit `key`; kNoOrg when it has none.
    std::size_t agency(std::string_view key) const;
};

// A mobile network: its name, the ICCID issuer digits of its SIMs and its number prefixes.
struct Carrier {
    std::string_view name;
    std::string_view iccid_issuer;
    std::span<const std::string_view> prefixes;
    unsigned share;  // per mille of subscribers
};
std::span<const Carrier> carriers();
inline constexpr std::uint8_t kNoCarrier = 0xFF;
// Carriers whose SIMs carry signing keys (PKI SIM): the first three of carriers().
inline constexpr std::size_t kPkiSimCarriers = 3;

struct World {
    DemoOptions options;
    bool lean = false;  // for writing only: no Certificate::subject RDNs, no id indexes
    Registry registry;
    std::vector<ProvincePlan> provinces;
    std::vector<unsigned> org_weight;         // relative head count, per organization
    std::vector<std::uint32_t> org_province;  // index in provinces, per organization
    std::vector<std::size_t> staff_begin;     // people of org i: [staff_begin[i], staff_begin[i+1])
    std::vector<std::uint8_t> person_carrier;  // index in carriers(), kNoCarrier without phone
    std::vector<ReorgEvent> events;
};

// The steps, in order. Each takes its own generator forked from the seed.
void build_organizations(World& world, Rng rng);
void build_people(World& world, Rng rng);
void build_certificates(World& world, Rng rng);
void build_events(World& world, Rng rng);

// "P01-H03" style ids: prefix + zero-padded number.
std::string numbered(std::string_view prefix, std::size_t n, int width);

}  // namespace kyso::demo::detail
