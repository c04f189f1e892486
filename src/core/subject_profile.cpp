// kyso core — the default subject profile (FORMATS.md §4): the subject a holder should have.
#include "core/subject_profile.h"

#include <algorithm>

namespace kyso {

std::vector<std::string_view> superior_chain(std::string_view org_id, OrgLookup lookup,
                                             const void* ctx) {
    std::vector<std::string_view> chain;
    std::string_view id = org_id;
    while (!id.empty()) {
        if (std::find(chain.begin(), chain.end(), id) != chain.end()) return {};  // cycle
        const auto view = lookup(ctx, id);
        if (!view) return {};
        chain.push_back(id);
        id = view->superior_id;
    }
    std::reverse(chain.begin(), chain.end());
    return chain;
}

namespace {

// C, L and the organization levels from the top down to `chain[upto - 1]`.
std::optional<Subject> org_levels(const std::vector<std::string_view>& chain, std::size_t upto,
                                  std::string_view province, OrgLookup lookup, const void* ctx) {
    Subject s;
    s.reserve(upto + 4);
    s.push_back({"C", "VN"});
    s.push_back({"L", std::string(province)});
    for (std::size_t i = 0; i < upto; ++i) {
        const auto v = lookup(ctx, chain[i]);
        if (!v) return std::nullopt;
        s.push_back({i == 0 ? "O" : "OU", std::string(v->name)});
    }
    return s;
}

}  // namespace

std::optional<Subject> org_subject(std::string_view org_id, OrgLookup lookup, const void* ctx) {
    const auto chain = superior_chain(org_id, lookup, ctx);
    if (chain.empty()) return std::nullopt;
    const auto self = lookup(ctx, org_id);
    // The organization's own province; its ancestors above it as O and OUs; itself as CN.
    auto s = org_levels(chain, chain.size() - 1, self->province, lookup, ctx);
    if (!s) return std::nullopt;
    s->push_back({"CN", std::string(self->name)});
    return s;
}

std::optional<Subject> person_subject(std::string_view full_name, std::string_view email,
                                      std::string_view org_id, OrgLookup lookup, const void* ctx) {
    const auto chain = superior_chain(org_id, lookup, ctx);
    if (chain.empty()) return std::nullopt;
    const auto org = lookup(ctx, org_id);
    auto s = org_levels(chain, chain.size(), org->province, lookup, ctx);
    if (!s) return std::nullopt;
    s->push_back({"CN", std::string(full_name)});
    if (!email.empty()) s->push_back({"E", std::string(email)});
    return s;
}

std::optional<OrgView> registry_org_view(const void* ctx, std::string_view id) {
    const auto* reg = static_cast<const Registry*>(ctx);
    const Organization* o = reg->org(id);
    if (o == nullptr) return std::nullopt;
    const OrgVersion& v = o->current();
    return OrgView{v.name, v.superior_id, v.province};
}

std::optional<Subject> registry_org_subject(const Registry& reg, std::string_view org_id) {
    return org_subject(org_id, registry_org_view, &reg);
}

std::optional<Subject> registry_person_subject(const Registry& reg, const Person& p) {
    return person_subject(p.full_name, p.email, p.org_id, registry_org_view, &reg);
}

std::optional<Subject> registry_holder_subject(const Registry& reg, const HolderRef& holder) {
    if (holder.type == HolderType::org) return registry_org_subject(reg, holder.id);
    const Person* p = reg.person(holder.id);
    if (p == nullptr) return std::nullopt;
    return registry_person_subject(reg, *p);
}

}  // namespace kyso
