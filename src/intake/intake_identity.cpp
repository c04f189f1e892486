// kyso intake — who and what a sheet's row names: registry keys and derived ids.
#include "intake/intake_identity.h"

#include <span>

#include "store/identity.h"
#include "text/nfc.h"
#include "x509/fingerprint.h"

namespace kyso::intake {

namespace {

std::string name_birth_key(std::string_view name, std::string_view dob) {
    return store::name_key(name) + '\x1f' + std::string(dob);
}

// The first `n` hex digits of SHA-256 over `text`.
std::string short_hash(std::string_view text, std::size_t n) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
    auto hex = x509::sha256_hex(std::span<const std::uint8_t>(bytes, text.size()));
    return hex ? hex->substr(0, n) : std::string(n, '0');
}

}  // namespace

RegistryKeys::RegistryKeys(const Registry& registry) : registry_(&registry) {
    for (const Person& p : registry.people) {
        if (!p.cccd.empty()) by_cccd_.emplace(p.cccd, &p);
        if (!p.full_name.empty() && !p.date_of_birth.empty())
            by_name_birth_.emplace(name_birth_key(p.full_name, p.date_of_birth), &p);
    }
    for (const Certificate& c : registry.certificates) certificates_.emplace(c.serial, &c);
    for (const Device& d : registry.devices) {
        if (!d.serial.empty()) devices_.emplace(store::device_serial_key(d.serial), &d);
    }
    for (const Organization& o : registry.organizations)
        orgs_.emplace(text::fold_for_matching(o.current().name), &o);
}

const Person* RegistryKeys::person_by_cccd(std::string_view cccd) const {
    const auto it = by_cccd_.find(std::string(cccd));
    return it == by_cccd_.end() ? nullptr : it->second;
}

const Person* RegistryKeys::person_by_name_and_birth(std::string_view name,
                                                     std::string_view dob) const {
    if (name.empty() || dob.empty()) return nullptr;
    const auto [first, last] = by_name_birth_.equal_range(name_birth_key(name, dob));
    if (first == last || std::next(first) != last) return nullptr;
    return first->second;
}

const Certificate* RegistryKeys::certificate(std::string_view serial) const {
    const auto it = certificates_.find(std::string(serial));
    return it == certificates_.end() ? nullptr : it->second;
}

const Device* RegistryKeys::device_by_serial(std::string_view serial) const {
    const auto it = devices_.find(store::device_serial_key(serial));
    return it == devices_.end() ? nullptr : it->second;
}

const Organization* RegistryKeys::organization_by_name(std::string_view name) const {
    const auto it = orgs_.find(text::fold_for_matching(name));
    return it == orgs_.end() ? nullptr : it->second;
}

std::string person_id_from_cccd(std::string_view cccd) {
    return "cccd-" + std::string(cccd);
}

std::string person_id_without_cccd(std::string_view name, std::string_view dob,
                                   std::string_view cccd_cell) {
    return "p-" + short_hash(store::name_key(name) + '\x1f' + std::string(dob) + '\x1f' +
                                 std::string(cccd_cell),
                             12);
}

std::string unit_id_from_name(std::string_view name) {
    constexpr std::size_t kMaxSlug = 40;
    const std::string folded = text::fold_for_matching(name);
    std::string slug;
    for (const char c : folded) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (keep)
            slug += c;
        else if (!slug.empty() && slug.back() != '-')
            slug += '-';
    }
    while (!slug.empty() && slug.back() == '-') slug.pop_back();
    if (slug.size() > kMaxSlug || slug.empty()) {
        slug.resize(std::min(slug.size(), kMaxSlug));
        while (!slug.empty() && slug.back() == '-') slug.pop_back();
        slug += (slug.empty() ? "" : "-") + short_hash(folded, 8);
    }
    return "dv-" + slug;
}

std::string device_id_from_serial(std::string_view serial) {
    std::string id = "d-";
    for (const char c : store::device_serial_key(serial)) {
        const bool keep = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        id += keep ? c : '-';
    }
    return id;
}

}  // namespace kyso::intake
