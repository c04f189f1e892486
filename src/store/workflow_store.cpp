// kyso store — the WorkflowStore interface: opening, audit hashes, custody steps.
#include "store/workflow_store.h"

#include <array>
#include <span>

#include "core/enum_names.h"
#include "core/messages.h"
#include "store/postgres/connection.h"
#include "store/postgres/postgres_store.h"
#include "x509/fingerprint.h"

namespace kyso::store {

namespace sqlite {
Result<std::unique_ptr<WorkflowStore>> open_sqlite_workflow_store(const std::string& path);
}

namespace {
constexpr std::array<std::string_view, 3> kSteps = {"to_organization", "to_dost", "to_ca"};
}

std::string_view to_string(CustodyStep s) {
    return kSteps[static_cast<std::size_t>(s)];
}

std::optional<CustodyStep> parse_custody_step(std::string_view s) {
    return enum_from_name<CustodyStep>(kSteps, s);
}

Result<std::unique_ptr<WorkflowStore>> open_workflow_store(const std::string& location) {
    const std::string_view loc(location);
    if (postgres::is_postgres_location(loc))
        return postgres::open_postgres_workflow_store(location);
    constexpr std::string_view kSqlite = "sqlite:";
    if (loc.starts_with(kSqlite))
        return sqlite::open_sqlite_workflow_store(location.substr(kSqlite.size()));
    return sqlite::open_sqlite_workflow_store(location);
}

std::string audit_hash(const AuditEntry& e) {
    std::string text;
    for (const std::string& field :
         {std::to_string(e.seq), e.at, e.actor, e.action, e.object, e.detail, e.prev_hash}) {
        text += std::to_string(field.size());
        text += ':';
        text += field;
        text += '\n';
    }
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
    auto hex = x509::sha256_hex(std::span<const std::uint8_t>(bytes, text.size()));
    return hex ? *hex : std::string();
}

}  // namespace kyso::store
