// kyso store — the scope words of the search index (migration 0012).
#include "store/search_scope.h"

#include <set>

namespace kyso::store {

std::string kind_word(std::string_view kind) {
    return "k" + std::string(kind);
}

std::string org_word(std::string_view org_id) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = "o";
    out.reserve(1 + 2 * org_id.size());
    for (const char c : org_id) {
        const auto b = static_cast<unsigned char>(c);
        out += kHex[b >> 4];
        out += kHex[b & 0xF];
    }
    return out;
}

std::string person_org_sql(const std::string& id) {
    return "coalesce((SELECT m.org_id FROM person_org_versions AS m WHERE m.person_id = " + id +
           " ORDER BY m.valid_from DESC LIMIT 1), (SELECT hp.org_id FROM people AS hp"
           " WHERE hp.id = " +
           id + "), '')";
}

std::string holder_org_sql(const std::string& x) {
    return "CASE " + x + ".holder_type WHEN 'org' THEN " + x + ".holder_id WHEN 'person' THEN " +
           person_org_sql(x + ".holder_id") + " ELSE '' END";
}

Result<std::string> OrgChains::scope(std::string_view kind, const std::string& org_id) {
    std::string out = kind_word(kind);
    std::set<std::string, std::less<>> seen;
    std::string org = org_id;
    while (!org.empty() && seen.insert(org).second) {
        out += ' ';
        out += org_word(org);
        auto it = superior_.find(org);
        if (it == superior_.end()) {
            auto superior = superior_of_(org);
            if (!superior) return superior.error();
            it = superior_.emplace(org, std::move(*superior)).first;
        }
        if (!it->second) break;  // no such organization: its word is kept, the chain ends
        org = *it->second;
    }
    return out;
}

}  // namespace kyso::store
