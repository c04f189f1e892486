// kyso intake — who and what a sheet's row names (issue 10, "records keep their identity"):
// the registry indexed by what identifies each record, and the ids intake gives new records.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/registry.h"
#include "core/values.h"

namespace kyso::intake {

// The registry intake links a sheet to (`--registry`), indexed by identifying keys: people by
// CCCD and by full name with date of birth, certificates by serial as integers (core
// compare_serials), devices by serial (store device_serial_key), organizations by name (case,
// tone marks and spaces ignored). The first record wins where a key repeats. The registry must
// outlive the index. A default-constructed index is empty (no registry).
class RegistryKeys {
public:
    RegistryKeys() = default;
    explicit RegistryKeys(const Registry& registry);

    bool empty() const { return registry_ == nullptr; }
    const Registry* registry() const { return registry_; }

    const Person* person_by_cccd(std::string_view cccd) const;
    // The one person with this name (store same_name) and date of birth; nullptr when none or
    // several, or when the date is empty.
    const Person* person_by_name_and_birth(std::string_view name, std::string_view dob) const;
    const Certificate* certificate(std::string_view serial) const;
    const Device* device_by_serial(std::string_view serial) const;
    const Organization* organization_by_name(std::string_view name) const;

private:
    const Registry* registry_ = nullptr;
    std::unordered_map<std::string, const Person*> by_cccd_;
    std::multimap<std::string, const Person*> by_name_birth_;
    std::map<std::string, const Certificate*, SerialLess> certificates_;
    std::unordered_map<std::string, const Device*> devices_;
    std::unordered_map<std::string, const Organization*> orgs_;
};

// Ids for records the registry does not have, derived from what identifies them so that a
// re-sent sheet (rows inserted, deleted or reordered) gives every record the same id again.
//   a person with a CCCD:          "cccd-001079004321"
//   a person without one:          "p-" + 12 hex digits of SHA-256 over the name (store
//                                  name_key), date of birth and the CCCD cell as written
//   an organization:               "dv-" + its name folded to [a-z0-9-] (over 40 characters:
//                                  cut, then "-" + 8 hex digits of SHA-256 over the full name)
//   a device with a serial:        "d-" + the serial's key, other characters as '-'
std::string person_id_from_cccd(std::string_view cccd);
std::string person_id_without_cccd(std::string_view name, std::string_view dob,
                                   std::string_view cccd_cell);
std::string unit_id_from_name(std::string_view name);
std::string device_id_from_serial(std::string_view serial);

}  // namespace kyso::intake
