// kyso core — the registry: organizations (with history), people, devices, certificates.
#include "core/registry.h"

namespace kyso {

std::string_view to_string(HolderType t) {
    return t == HolderType::org ? "org" : "person";
}

std::optional<HolderType> parse_holder_type(std::string_view s) {
    if (s == "person") return HolderType::person;
    if (s == "org") return HolderType::org;
    return std::nullopt;
}

std::string_view to_string(OrgKind k) {
    switch (k) {
        case OrgKind::people_committee:
            return "people_committee";
        case OrgKind::department:
            return "department";
        case OrgKind::office:
            return "office";
        case OrgKind::public_unit:
            return "public_unit";
        case OrgKind::other:
            return "other";
        case OrgKind::unspecified:
            break;
    }
    return "";
}

std::optional<OrgKind> parse_org_kind(std::string_view s) {
    if (s.empty()) return OrgKind::unspecified;
    if (s == "people_committee") return OrgKind::people_committee;
    if (s == "department") return OrgKind::department;
    if (s == "office") return OrgKind::office;
    if (s == "public_unit") return OrgKind::public_unit;
    if (s == "other") return OrgKind::other;
    return std::nullopt;
}

std::string_view to_string(DeviceKind k) {
    switch (k) {
        case DeviceKind::pki_sim:
            return "pki_sim";
        case DeviceKind::hsm:
            return "hsm";
        case DeviceKind::usb_token:
            break;
    }
    return "usb_token";
}

std::optional<DeviceKind> parse_device_kind(std::string_view s) {
    if (s == "usb_token") return DeviceKind::usb_token;
    if (s == "pki_sim") return DeviceKind::pki_sim;
    if (s == "hsm") return DeviceKind::hsm;
    return std::nullopt;
}

std::string_view to_string(CertStatus s) {
    return s == CertStatus::revoked ? "revoked" : "valid";
}

std::optional<CertStatus> parse_cert_status(std::string_view s) {
    if (s == "valid") return CertStatus::valid;
    if (s == "revoked") return CertStatus::revoked;
    return std::nullopt;
}

const OrgVersion* Organization::as_of(const Date& day) const {
    const OrgVersion* found = nullptr;
    for (const auto& v : versions) {
        if (v.valid_from <= day) found = &v;
    }
    return found;
}

void Registry::reindex() {
    org_index.clear();
    person_index.clear();
    device_index.clear();
    cert_index.clear();
    org_index.reserve(organizations.size());
    person_index.reserve(people.size());
    device_index.reserve(devices.size());
    cert_index.reserve(certificates.size());
    // The first record wins where an id repeats (FORMATS.md §5).
    for (std::size_t i = 0; i < organizations.size(); ++i)
        org_index.try_emplace(organizations[i].id, i);
    for (std::size_t i = 0; i < people.size(); ++i) person_index.try_emplace(people[i].id, i);
    for (std::size_t i = 0; i < devices.size(); ++i) device_index.try_emplace(devices[i].id, i);
    for (std::size_t i = 0; i < certificates.size(); ++i) {
        cert_index.try_emplace(certificates[i].serial, i);
    }
    link();
}

void Registry::link() {
    auto pos = [](const IdIndex& index, std::string_view id) {
        const auto* hit = id.empty() ? nullptr : index.find(id);
        return hit == nullptr ? Certificate::kNoPos : static_cast<std::uint32_t>(hit->second);
    };
    for (Certificate& c : certificates) {
        c.holder_pos =
            pos(c.holder.type == HolderType::org ? org_index : person_index, c.holder.id);
        c.device_pos = pos(device_index, c.device_id);
    }
}

namespace {
template <typename Vec, typename Map>
auto* find_in(Vec& v, const Map& index, std::string_view id) {
    const auto it = index.find(id);
    return it == index.end() ? nullptr : &v[it->second];
}
}  // namespace

const Organization* Registry::org(std::string_view id) const {
    return find_in(organizations, org_index, id);
}
Organization* Registry::org(std::string_view id) {
    return find_in(organizations, org_index, id);
}
const Person* Registry::person(std::string_view id) const {
    return find_in(people, person_index, id);
}
const Device* Registry::device(std::string_view id) const {
    return find_in(devices, device_index, id);
}
const Certificate* Registry::certificate(std::string_view serial) const {
    return find_in(certificates, cert_index, serial);
}

}  // namespace kyso
