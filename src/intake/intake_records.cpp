// kyso intake — the records a sheet's rows name: people and organizations (intake_records.h).
#include "intake/intake_records.h"

#include <tuple>

#include <algorithm>

#include "core/messages.h"
#include "core/values.h"
#include "store/identity.h"
#include "text/nfc.h"

namespace kyso::intake {

namespace {

bool contains(const std::string& text, std::string_view word) {
    return text.find(word) != std::string::npos;
}

// A person's values from a row (org_id left to the caller).
Person person_from_row(const IntakeRow& r, std::string id) {
    using F = IntakeField;
    return Person{std::move(id),        r[F::full_name],     r[F::cccd], r[F::date_of_birth],
                  r[F::email],          r[F::phone],         {},         r[F::position],
                  r[F::cccd_issued_on], r[F::cccd_issued_by]};
}

// Each field of `from` that is not empty replaces the one in `into`, or (keep_first) fills it
// only when empty.
void overlay(Person& into, const Person& from, bool keep_first) {
    auto put = [&](std::string Person::*field) {
        const std::string& v = from.*field;
        if (!v.empty() && (!keep_first || (into.*field).empty())) into.*field = v;
    };
    for (auto field :
         {&Person::full_name, &Person::cccd, &Person::date_of_birth, &Person::email, &Person::phone,
          &Person::org_id, &Person::position, &Person::cccd_issued_on, &Person::cccd_issued_by})
        put(field);
}

std::string row_text(std::int64_t row) {
    return std::to_string(row);
}

}  // namespace

RowSubject row_subject(const IntakeRow& r) {
    using F = IntakeField;
    RowSubject s;
    if (const std::string& t = r[F::holder_type]; !t.empty()) {
        const std::string k = text::fold_for_matching(t);
        if (contains(k, "ca nhan")) {
            s.kind = RowSubject::Kind::person;
            return s;
        }
        if (contains(k, "to chuc") || contains(k, "co quan") || contains(k, "don vi") ||
            contains(k, "doanh nghiep")) {
            s.kind = RowSubject::Kind::org;
            return s;
        }
        s.unknown_text = true;
    }
    if (!r[F::full_name].empty() || !r[F::cccd].empty()) {
        s.kind = RowSubject::Kind::person;
    } else if (!r[F::organization].empty() &&
               (!r[F::serial].empty() || !r[F::device_serial].empty() ||
                !r[F::device_kind].empty())) {
        s.kind = RowSubject::Kind::org;
    }
    return s;
}

IntakeRecords::IntakeRecords(const RegistryKeys& keys, std::string province,
                             std::string default_org)
    : keys_(keys), province_(std::move(province)), default_org_(std::move(default_org)) {
    load_registry_orgs();
}

void IntakeRecords::load_registry_orgs() {
    if (keys_.empty()) return;
    for (const Organization& o : keys_.registry()->organizations) {
        const OrgVersion& v = o.current();
        org_rows_.emplace(o.id, orgs_.size());
        orgs_.push_back({o.id, v.name, v.superior_id, v.province, v.agency_code,
                         v.kind == OrgKind::unspecified ? "" : std::string(to_string(v.kind)),
                         v.admin_unit});
    }
}

void IntakeRecords::finding(const std::string& code, checks::Severity severity,
                            const RecordRef& ref, const std::string& field,
                            const std::string& message) {
    findings_.items.push_back(
        checks::Finding{code, severity, ref.file, ref.row, field, ref.id, message, std::nullopt});
}

std::string IntakeRecords::unit_id(const std::string& name, bool& is_new) {
    is_new = false;
    if (name.empty()) return {};
    const std::string key = text::fold_for_matching(name);
    if (auto hit = unit_ids_.find(key); hit != unit_ids_.end()) {
        is_new = new_units_.count(hit->second) != 0;
        return hit->second;
    }
    if (const Organization* o = keys_.organization_by_name(name)) {
        ++units_matched_;
        return unit_ids_.emplace(key, o->id).first->second;
    }
    // A name-derived id, so that a re-sent sheet with units in another order names each unit
    // as before; a registry organization or an earlier unit already holding it gets a suffix.
    const std::string base = unit_id_from_name(name);
    std::string id = base;
    for (int n = 2; org_rows_.count(id) != 0; ++n) id = base + "-" + std::to_string(n);
    ++units_new_;
    is_new = true;
    new_units_.insert(id);
    org_rows_.emplace(id, orgs_.size());
    orgs_.push_back({id, name, "", province_, "", "", ""});
    return unit_ids_.emplace(key, id).first->second;
}

void IntakeRecords::include_registry_person(const std::string& id) {
    if (keys_.empty() || person_rows_.count(id) != 0) return;
    const Person* p = keys_.registry()->person(id);
    if (p == nullptr) return;
    person_rows_.emplace(id, people_.size());
    people_.push_back(*p);
}

bool IntakeRecords::add_person(const IntakeRow& r, HolderRef& holder, RecordRef& ref) {
    using F = IntakeField;
    const std::string& cccd = r[F::cccd];
    const bool usable = cccd_well_formed(cccd);
    const Person* known =
        usable ? keys_.person_by_cccd(cccd)
               : keys_.person_by_name_and_birth(r[F::full_name], r[F::date_of_birth]);
    std::string id = known != nullptr ? known->id
                     : usable         ? person_id_from_cccd(cccd)
                              : person_id_without_cccd(r[F::full_name], r[F::date_of_birth], cccd);
    Person sheet = person_from_row(r, id);
    std::string unit = r[F::organization];
    if (unit.empty()) unit = default_org_;
    bool new_unit = false;
    sheet.org_id = unit_id(unit, new_unit);
    const std::string sheet_row = row_text(r.row);

    if (auto seen = person_rows_.find(id); seen != person_rows_.end()) {
        // Another row of the same person (one row per certificate or device).
        Person& p = people_[seen->second];
        ref = {"people.csv", static_cast<std::int64_t>(seen->second + 1), id};
        if (store::different_person(p, sheet)) {
            finding("identity_conflict", checks::Severity::error, ref, "full_name",
                    message("intake.identity_conflict_rows",
                            {sheet_row, r.sheet, cccd, person_from_[id], p.full_name,
                             p.date_of_birth, sheet.full_name, sheet.date_of_birth},
                            false));
            return false;
        }
        overlay(p, sheet, true);
    } else {
        Person p = sheet;
        bool conflict = false;
        if (known != nullptr) {
            conflict = store::different_person(*known, sheet);
            p = *known;
            // A conflicting row is written as the sheet has it, under the registry's id: the
            // import then refuses it (store identity rule) instead of overwriting someone.
            overlay(p, sheet, false);
        }
        ref = {"people.csv", static_cast<std::int64_t>(people_.size() + 1), id};
        person_rows_.emplace(id, people_.size());
        person_from_.emplace(id, sheet_row + " (" + r.sheet + ")");
        people_.push_back(std::move(p));
        if (conflict) {
            finding("identity_conflict", checks::Severity::error, ref, "full_name",
                    message("intake.identity_conflict_registry",
                            {sheet_row, r.sheet, cccd, known->full_name, known->date_of_birth, id,
                             sheet.full_name, sheet.date_of_birth},
                            false));
        }
        if (known != nullptr && !conflict) {
            // One of name and date of birth differs: a correction, or a sheet read wrongly (a
            // date column whose day/month order flipped, a name typed for someone else). The
            // import will write it, so it is said, never silent.
            for (const auto& [field, stored, written] :
                 {std::tuple<const char*, const std::string&, const std::string&>{
                      "full_name", known->full_name, sheet.full_name},
                  {"date_of_birth", known->date_of_birth, sheet.date_of_birth}}) {
                if (written.empty() || written == stored) continue;
                finding("registry_value_changed", checks::Severity::warning, ref, field,
                        message("intake.registry_value_changed",
                                {sheet_row, r.sheet, field, stored, written, id}, false));
            }
        }
        if (!usable) {
            finding("person_without_cccd", checks::Severity::warning, ref, "cccd",
                    message(known != nullptr ? "intake.person_matched_by_name"
                                             : "intake.person_without_cccd",
                            {sheet_row, r.sheet, id}, false));
        }
        if (conflict) return false;
    }
    if (new_unit && !keys_.empty()) {
        finding("unknown_unit", checks::Severity::warning, ref, "org_id",
                message("intake.unknown_unit", {unit}, false));
    }
    holder = {HolderType::person, id};
    return true;
}

bool IntakeRecords::add_org_holder(const IntakeRow& r, HolderRef& holder, RecordRef& ref) {
    using F = IntakeField;
    std::string name = r[F::organization];
    if (name.empty()) name = r[F::full_name];
    if (name.empty()) name = default_org_;
    if (name.empty()) return false;
    const bool seen = unit_ids_.count(text::fold_for_matching(name)) != 0;
    bool new_unit = false;
    const std::string id = unit_id(name, new_unit);
    ref = {"organizations.csv", static_cast<std::int64_t>(org_rows_.at(id) + 1), id};
    if (new_unit && !seen && !keys_.empty()) {
        finding("unknown_unit", checks::Severity::warning, ref, "name",
                message("intake.unknown_unit", {name}, false));
    }
    holder = {HolderType::org, id};
    return true;
}

void IntakeRecords::add(const IntakeRow& r, const std::vector<ValueProblem>& problems) {
    const RowSubject subject = row_subject(r);
    HolderRef holder;
    RecordRef ref;
    bool linked = false;
    if (subject.kind == RowSubject::Kind::person) {
        linked = add_person(r, holder, ref);
    } else if (subject.kind == RowSubject::Kind::org) {
        linked = add_org_holder(r, holder, ref);
    }
    if (ref.file.empty()) return;  // nothing this row names
    for (const ValueProblem& p : problems) {
        const std::string field(field_key(p.field));
        finding(
            p.code,
            p.code == "date_order_assumed" ? checks::Severity::warning : checks::Severity::error,
            ref, field, message("intake." + p.code, {p.written, field, r.sheet}, false));
    }
    if (subject.unknown_text) {
        finding("unknown_holder_type", checks::Severity::warning, ref, "holder_type",
                message("intake.unknown_holder_type",
                        {row_text(r.row), r.sheet, r[IntakeField::holder_type]}, false));
    }
    if (!linked) return;
    const auto certificates = link_certificates(r, holder, ref);
    link_device(r, holder, ref, certificates);
}

}  // namespace kyso::intake
