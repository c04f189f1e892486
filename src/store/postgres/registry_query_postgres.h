// kyso store — the PostgreSQL back-end of RegistryQuery (lists, details, corrections, removals).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "store/postgres/audit_log.h"
#include "store/postgres/connection.h"
#include "store/registry_query.h"

namespace kyso::store::postgres {

// Connects to `location` like open_postgres_store (migrated, search index filled).
Result<std::unique_ptr<RegistryQuery>> open_postgres_registry_query(const std::string& location);

// One connection; the code is SQLite's (store/registry_query_body.inc, registry_edit_body.inc).
class PgRegistryQuery final : public RegistryQuery {
public:
    explicit PgRegistryQuery(Connection db) : db_(std::move(db)) {}

    Result<ListPage<Organization>> organizations(const OrganizationQuery& q) override;
    Result<ListPage<Person>> people(const PersonQuery& q) override;
    Result<ListPage<Certificate>> certificates(const CertificateQuery& q) override;
    Result<ListPage<Device>> devices(const DeviceQuery& q) override;

    Result<Versioned<Organization>> organization(const std::string& id) override;
    Result<OrganizationHistory> organization_history(const std::string& id) override;
    Result<Versioned<PersonDetail>> person(const std::string& id) override;
    Result<Versioned<Certificate>> certificate(const std::string& serial) override;
    Result<Versioned<Device>> device(const std::string& id) override;
    Result<bool> in_subtree(RecordKind kind, const std::string& id,
                            const std::string& org_id) override;

    Result<std::string> correct_person(const std::string& id, const PersonPatch& patch,
                                       const EditContext& ctx) override;
    Result<std::string> correct_organization(const std::string& id, const OrganizationPatch& patch,
                                             const EditContext& ctx) override;
    Result<std::string> correct_certificate(const std::string& serial,
                                            const CertificatePatch& patch,
                                            const EditContext& ctx) override;
    Result<std::string> correct_device(const std::string& id, const DevicePatch& patch,
                                       const EditContext& ctx) override;
    Status remove(RecordKind kind, const std::string& id, const EditContext& ctx) override;

private:
    // Reads without a transaction of their own (the edits call them inside theirs).
    Result<std::optional<Organization>> find_organization(const std::string& id);
    Result<std::optional<PersonDetail>> find_person(const std::string& id);
    Result<std::optional<Certificate>> find_certificate(const std::string& serial);
    Result<std::optional<Device>> find_device(const std::string& id);
    Result<bool> subtree_contains(RecordKind kind, const std::string& id,
                                  const std::string& org_id);
    Result<bool> exists(const char* sql, const std::string& value);

    // An edit: checks ctx, runs `body` in a write transaction with the audit log and the search
    // index, commits.
    template <typename Body>
    auto edit(const EditContext& ctx, Body&& body) -> decltype(body());

    Connection db_;
    AuditLog audit_{db_};
};

}  // namespace kyso::store::postgres
