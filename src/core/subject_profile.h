// kyso core — the default subject profile (FORMATS.md §4): the subject a holder should have.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/registry.h"
#include "core/subject.h"

namespace kyso {

// The state the profile reads: one organization's current name, superior and province.
// Callers that replay events (the planner) provide their own view; Registry has one below.
struct OrgView {
    std::string_view name;
    std::string_view superior_id;
    std::string_view province;
};

// Looks up an organization by id; nullopt when unknown.
using OrgLookup = std::optional<OrgView> (*)(const void* ctx, std::string_view id);

// Chain from the top ancestor down to `org_id` itself (ids). Empty when an id in the chain is
// unknown or the chain has a cycle.
std::vector<std::string_view> superior_chain(std::string_view org_id, OrgLookup lookup,
                                             const void* ctx);

// FORMATS.md §4, organization: C=VN, L=<province>, O=<top ancestor> (omitted without superior),
// OU=<each ancestor below the top down to the direct superior>, CN=<name>.
std::optional<Subject> org_subject(std::string_view org_id, OrgLookup lookup, const void* ctx);
// FORMATS.md §4, person: C=VN, L=<province of org>, O=<top of org chain, or org itself>,
// OU=<each level below the top down to the org>, CN=<full_name>, E=<email> (omitted if empty).
std::optional<Subject> person_subject(std::string_view full_name, std::string_view email,
                                      std::string_view org_id, OrgLookup lookup, const void* ctx);

// OrgLookup over a Registry's current organization versions (`ctx` is the Registry).
std::optional<OrgView> registry_org_view(const void* registry, std::string_view id);

// The same over a Registry's current organization versions (ceased organizations included).
std::optional<Subject> registry_org_subject(const Registry& reg, std::string_view org_id);
std::optional<Subject> registry_person_subject(const Registry& reg, const Person& person);
std::optional<Subject> registry_holder_subject(const Registry& reg, const HolderRef& holder);

}  // namespace kyso
