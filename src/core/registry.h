// kyso core — the registry: organizations (with history), people, devices, certificates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/date.h"
#include "core/id_index.h"
#include "core/subject.h"

namespace kyso {

enum class HolderType { person, org };
std::string_view to_string(HolderType t);
std::optional<HolderType> parse_holder_type(std::string_view s);

struct HolderRef {
    HolderType type = HolderType::person;
    std::string id;
    bool operator==(const HolderRef&) const = default;
};

enum class OrgKind { unspecified, people_committee, department, office, public_unit, other };
std::string_view to_string(OrgKind k);
std::optional<OrgKind> parse_org_kind(std::string_view s);  // "" → unspecified

// The state of an organization from `valid_from` (inclusive) until the next version.
struct OrgVersion {
    Date valid_from;
    std::string name;
    std::string superior_id;  // empty: none
    std::string province;
    std::string agency_code;  // mã định danh điện tử, QCVN 102:2016
    std::string admin_unit;   // administrative unit code (FORMATS.md §1), optional
    OrgKind kind = OrgKind::unspecified;
    std::string event_id;  // event that produced this version; empty for the registered state
    bool operator==(const OrgVersion&) const = default;
};

// An organization with its history. `versions` are sorted by valid_from; the last applies now.
struct Organization {
    std::string id;
    std::vector<OrgVersion> versions;  // never empty
    std::optional<Date> ceased_on;     // merged away or dissolved
    std::string ceased_by_event;
    std::string successor_id;  // where it went when it ceased, if anywhere

    const OrgVersion& current() const { return versions.back(); }
    OrgVersion& current() { return versions.back(); }
    // The version in force on `day`, or nullptr before the first version.
    const OrgVersion* as_of(const Date& day) const;
};

struct Person {
    std::string id;
    std::string full_name;
    std::string cccd;
    std::string date_of_birth;  // as written; Date::parse checks it
    std::string email;
    std::string phone;
    std::string org_id;
    std::string position;
    std::string cccd_issued_on;
    std::string cccd_issued_by;
    bool operator==(const Person&) const = default;
};

enum class DeviceKind { usb_token, pki_sim, hsm };
std::string_view to_string(DeviceKind k);
std::optional<DeviceKind> parse_device_kind(std::string_view s);

struct Device {
    std::string id;
    DeviceKind kind = DeviceKind::usb_token;
    std::string serial;  // token serial or SIM ICCID
    std::string phone;   // pki_sim subscriber number
    std::string carrier;
    HolderRef holder;
    bool operator==(const Device&) const = default;
};

enum class CertStatus { valid, revoked };
std::string_view to_string(CertStatus s);
std::optional<CertStatus> parse_cert_status(std::string_view s);

struct Certificate {
    std::string serial;  // FORMATS.md §1 normal form (values.h serial_valid), e.g. "9F00AB"
    HolderRef holder;    // id empty: unlinked (see unlinked())
    std::string device_id;
    std::string subject_text;  // RFC 4514, as written
    Subject subject;           // parsed, NFC
    std::string not_before;    // as written
    std::string not_after;
    Date not_after_date;  // UTC calendar date of not_after
    CertStatus status = CertStatus::valid;
    std::string pem;  // bundle-relative path of the certificate file, optional
    // Filled when the real certificate is known (import of PEM/DER files).
    std::string issuer_text;
    std::string sha256_cert;
    std::string sha256_key;
    std::vector<std::uint8_t> der;
    std::string replaces_serial;  // the certificate this one replaced, if any
    // Positions of the holder (in Registry::people or ::organizations) and of the device, filled
    // by Registry::link(); kNoPos when unknown or empty.
    static constexpr std::uint32_t kNoPos = 0xFFFFFFFFu;
    std::uint32_t holder_pos = kNoPos;
    std::uint32_t device_pos = kNoPos;

    // FORMATS.md §1: no holder (holder_type and holder_id both empty in a bundle), e.g. a CA
    // certificate or one whose holder is not known yet. Kept and exported, never planned
    // (§3: skipped), reported by check (§5 unlinked_certificate).
    bool unlinked() const { return holder.id.empty(); }
};

// Hash of string ids that accepts std::string_view lookups without building a std::string.
struct IdHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};
template <typename V>
using IdMap = std::unordered_map<std::string, V, IdHash, std::equal_to<>>;

// The whole registry with id indexes. Indexes are rebuilt by reindex() after bulk edits.
struct Registry {
    std::vector<Organization> organizations;
    std::vector<Person> people;
    std::vector<Device> devices;
    std::vector<Certificate> certificates;

    IdIndex org_index;
    IdIndex person_index;
    IdIndex device_index;
    IdIndex cert_index;

    // Rebuilds the id indexes, then link().
    void reindex();
    // Fills each certificate's holder_pos and device_pos from the indexes.
    void link();
    const Organization* org(std::string_view id) const;
    Organization* org(std::string_view id);
    const Person* person(std::string_view id) const;
    const Device* device(std::string_view id) const;
    const Certificate* certificate(std::string_view serial) const;
};

}  // namespace kyso
