// Test helper: a small registry and events built in code, planned in memory.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "bundle/events_json.h"
#include "core/subject_profile.h"
#include "reorg/plan.h"

namespace kyso::testing {

class PlanFixture {
public:
    PlanFixture& org(const std::string& id, const std::string& name,
                     const std::string& superior = "",
                     const std::string& province = "Tỉnh Sông Lam") {
        Organization o;
        o.id = id;
        o.versions.push_back(
            OrgVersion{Date{1, 1, 1}, name, superior, province, "", "", OrgKind::unspecified, ""});
        reg.organizations.push_back(std::move(o));
        reg.reindex();
        return *this;
    }
    PlanFixture& person(const std::string& id, const std::string& name, const std::string& org_id,
                        const std::string& email = "") {
        reg.people.push_back(
            Person{id, name, "001088012345", "1988-01-01", email, "", org_id, "", "", ""});
        reg.reindex();
        return *this;
    }
    PlanFixture& device(const std::string& id, DeviceKind kind, HolderType type,
                        const std::string& holder) {
        reg.devices.push_back(Device{id, kind, "SN-" + id, "", "", HolderRef{type, holder}});
        reg.reindex();
        return *this;
    }
    // A certificate whose subject is the registry's current one unless `subject` is given.
    PlanFixture& cert(const std::string& serial, HolderType type, const std::string& holder,
                      const std::string& device = "", const std::string& not_after = "2028-01-01",
                      CertStatus status = CertStatus::valid, const std::string& subject = "") {
        Certificate c;
        c.serial = serial;
        c.holder = HolderRef{type, holder};
        c.device_id = device;
        if (subject.empty()) {
            c.subject = *registry_holder_subject(reg, c.holder);
            c.subject_text = format_rfc4514(c.subject);
        } else {
            c.subject_text = subject;
            c.subject = *parse_rfc4514(subject);
        }
        c.not_before = "2024-01-01";
        c.not_after = not_after;
        c.not_after_date = *Date::parse_date_or_datetime(not_after);
        c.status = status;
        reg.certificates.push_back(std::move(c));
        reg.reindex();
        return *this;
    }
    // Events as the JSON array of events.json.
    PlanFixture& events(const std::string& json_array) {
        auto parsed = bundle::parse_events_json("{\"events\": " + json_array + "}");
        EXPECT_TRUE(parsed) << parsed.error().describe(true);
        if (parsed) evs = std::move(*parsed);
        return *this;
    }

    reorg::Plan plan(const std::string& as_of = "") {
        auto p = reorg::make_plan(reg, evs, as_of.empty() ? std::nullopt : Date::parse(as_of));
        EXPECT_TRUE(p) << p.error().describe(true);
        return p ? *p : reorg::Plan{};
    }
    Error plan_error() {
        auto p = reorg::make_plan(reg, evs);
        EXPECT_FALSE(p);
        return p ? Error{} : p.error();
    }

    Registry reg;
    std::vector<ReorgEvent> evs;
};

// The action for a certificate serial (or device / issue holder), nullptr when none.
inline const reorg::PlanAction* find_action(const reorg::Plan& p, const std::string& key) {
    for (const auto& a : p.actions) {
        if (a.certificate == key || a.device == key ||
            (a.action == reorg::ActionKind::issue && a.holder && a.holder->id == key)) {
            return &a;
        }
    }
    return nullptr;
}

inline std::string subject_text(const std::optional<Subject>& s) {
    return s ? format_rfc4514(*s) : "<none>";
}

}  // namespace kyso::testing
