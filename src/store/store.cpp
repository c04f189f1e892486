// kyso store — the Store interface: the rules shared by back-ends, and opening by location.
#include "store/store.h"

#include <algorithm>
#include <string_view>

#include "core/messages.h"
#include "store/postgres/connection.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace kyso::store {

bool ImportStats::changed() const {
    return organizations.changed() || org_versions.changed() || people.changed() ||
           devices.changed() || certificates.changed() || events.changed();
}

bool same_certificate(const Certificate& a, const Certificate& b) {
    return a.serial == b.serial && a.holder == b.holder && a.device_id == b.device_id &&
           a.subject_text == b.subject_text && a.subject == b.subject &&
           a.not_before == b.not_before && a.not_after == b.not_after &&
           a.not_after_date == b.not_after_date && a.status == b.status && a.pem == b.pem &&
           a.issuer_text == b.issuer_text && a.sha256_cert == b.sha256_cert &&
           a.sha256_key == b.sha256_key && a.der == b.der && a.replaces_serial == b.replaces_serial;
}

std::vector<const OrgVersion*> versions_to_store(const Organization& org) {
    std::vector<const OrgVersion*> sorted;
    sorted.reserve(org.versions.size());
    for (const auto& v : org.versions) sorted.push_back(&v);
    // Stable, so that among equal dates the input order decides and the last one wins.
    std::stable_sort(sorted.begin(), sorted.end(), [](const OrgVersion* a, const OrgVersion* b) {
        return a->valid_from < b->valid_from;
    });
    std::vector<const OrgVersion*> out;
    out.reserve(sorted.size());
    for (const OrgVersion* v : sorted) {
        if (!out.empty() && out.back()->valid_from == v->valid_from) {
            out.back() = v;
        } else {
            out.push_back(v);
        }
    }
    return out;
}

Result<std::unique_ptr<Store>> open_store(const std::string& location) {
    const std::string_view loc(location);
    if (postgres::is_postgres_location(loc)) return postgres::open_postgres_store(location);
    constexpr std::string_view kSqlite = "sqlite:";
    if (loc.starts_with(kSqlite)) return sqlite::open_sqlite_store(location.substr(kSqlite.size()));
    return sqlite::open_sqlite_store(location);
}

}  // namespace kyso::store
