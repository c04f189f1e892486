// kyso intake — the records a sheet's rows name, keyed by what identifies them (issue 10):
// people by CCCD, organizations by name, certificates and devices by serial, each linked to the
// registry's record when it has one. docs/intake.md, "Identity and re-sent sheets" and "Serials".
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "checks/findings.h"
#include "core/registry.h"
#include "intake/intake_columns.h"
#include "intake/intake_identity.h"

namespace kyso::intake {

// One data row of a sheet, its values cleaned (intake_values.h). An empty value: the sheet has
// no such column or the cell is empty. `serial` may hold several serials separated by ';'.
struct IntakeRow {
    std::string sheet;
    std::int64_t row = 0;  // spreadsheet row (1-based, as the user sees it)
    std::array<std::string, kIntakeFieldCount> values;

    const std::string& operator[](IntakeField f) const {
        return values[static_cast<std::size_t>(f)];
    }
    std::string& operator[](IntakeField f) { return values[static_cast<std::size_t>(f)]; }
};

// What a row is about: a person (the default when it names one, by full name or CCCD), or an
// organization — the `holder_type` cell says "Tổ chức", "Cơ quan", "Đơn vị", "Doanh nghiệp"
// (anything naming "Cá nhân" is a person), or the row names no person but a unit together with
// a certificate serial or a device. `unknown_text`: the holder_type cell says neither.
struct RowSubject {
    enum class Kind { none, person, org } kind = Kind::none;
    bool unknown_text = false;
};
RowSubject row_subject(const IntakeRow& row);

// The bundle a sheet becomes, built row by row.
//
// People: a row with a well-formed CCCD is the registry's person with that CCCD (its id), else
// "cccd-<CCCD>"; a row without one is the registry's one person with the same name and date of
// birth, else an id derived from name and birth (intake_identity.h) and a warning
// `person_without_cccd`. Rows naming the same person merge (the first non-empty value of each
// field wins). A registry person's values the sheet leaves empty are kept. When the registry's
// (or an earlier row's) full name and date of birth both differ from the row's, the row is an
// error finding `identity_conflict` naming the sheet row and the id; the person is written with
// the row's values, so that `kyso import` refuses the bundle rather than overwrite someone, and
// the row's certificates and device are not linked.
//
// Organizations: every registry organization is written (current version) so that the bundle
// stands alone; a unit is matched to them by name (case, tone marks, spaces ignored), and a unit
// the registry lacks is a new organization "dv-<name>" of `province`, with a warning
// `unknown_unit` on each row naming it when a registry is given.
//
// Certificates (`serial`) and devices (`device_serial`, `device_kind`, `carrier`): see
// link_certificates and link_device in intake_links.cpp.
// A value intake kept as written because of a problem (CleanValue::problem: number_digits_lost,
// date_order_assumed), reported as a finding on the record the row becomes.
struct ValueProblem {
    IntakeField field = IntakeField::full_name;
    std::string written;
    std::string code;
};

class IntakeRecords {
public:
    IntakeRecords(const RegistryKeys& keys, std::string province, std::string default_org);

    // Adds the row's records; each problem becomes a finding on the row's record:
    // date_order_assumed a warning, any other an error.
    void add(const IntakeRow& row, const std::vector<ValueProblem>& problems = {});

    // organizations.csv rows: id, name, superior_id, province, agency_code, kind, admin_unit.
    const std::vector<std::array<std::string, 7>>& organizations() const { return orgs_; }
    const std::vector<Person>& people() const { return people_; }
    const std::vector<Device>& devices() const { return devices_; }
    const std::vector<Certificate>& certificates() const { return certificates_; }
    // Identity and linking findings, on the bundle's records (FORMATS.md §5 rows).
    const checks::Findings& findings() const { return findings_; }

    std::size_t units_named() const { return unit_ids_.size(); }
    std::size_t units_matched() const { return units_matched_; }
    std::size_t units_new() const { return units_new_; }
    std::size_t serials_read() const { return serials_read_; }
    std::size_t serials_linked() const { return serials_linked_; }

private:
    // The bundle record a finding is about.
    struct RecordRef {
        std::string file;
        std::int64_t row = 0;  // 1-based data record
        std::string id;
    };

    // intake_records.cpp: people and organizations.
    void load_registry_orgs();
    std::string unit_id(const std::string& name, bool& is_new);
    bool add_person(const IntakeRow& row, HolderRef& holder, RecordRef& ref);
    bool add_org_holder(const IntakeRow& row, HolderRef& holder, RecordRef& ref);
    void include_registry_person(const std::string& id);
    void finding(const std::string& code, checks::Severity severity, const RecordRef& ref,
                 const std::string& field, const std::string& message);

    // intake_links.cpp: certificates and devices.
    std::vector<std::size_t> link_certificates(const IntakeRow& row, const HolderRef& holder,
                                               const RecordRef& ref);
    void link_device(const IntakeRow& row, const HolderRef& holder, const RecordRef& ref,
                     const std::vector<std::size_t>& row_certificates);
    void include_registry_device(const std::string& id);
    std::string free_device_id(std::string id) const;

    const RegistryKeys& keys_;
    std::string province_;
    std::string default_org_;

    std::vector<std::array<std::string, 7>> orgs_;
    std::map<std::string, std::size_t> org_rows_;  // id -> index in orgs_
    std::map<std::string, std::string> unit_ids_;  // folded unit name -> id
    std::set<std::string> new_units_;              // ids of units the registry lacks
    std::vector<Person> people_;
    std::map<std::string, std::size_t> person_rows_;  // id -> index in people_
    std::map<std::string, std::string> person_from_;  // id -> "sheet row N" that gave it
    std::vector<Device> devices_;
    std::map<std::string, std::size_t> device_rows_;  // id -> index in devices_
    std::vector<Certificate> certificates_;
    std::map<std::string, std::size_t, SerialLess> certificate_rows_;
    checks::Findings findings_;
    std::size_t units_matched_ = 0;
    std::size_t units_new_ = 0;
    std::size_t serials_read_ = 0;
    std::size_t serials_linked_ = 0;
};

}  // namespace kyso::intake
