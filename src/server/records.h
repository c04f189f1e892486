// kyso server — the JSON of the records the API returns (users, requests, transitions, batches,
// custody records, audit entries), each with its JSON Schema for the OpenAPI document.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "core/request.h"
#include "store/workflow_store.h"

namespace kyso::server {

nlohmann::json user_json(const User& u);
nlohmann::json user_schema();

nlohmann::json request_json(const Request& r);
nlohmann::json request_schema();
nlohmann::json transition_json(const store::Transition& t);
nlohmann::json transition_schema();

nlohmann::json batch_json(const store::Batch& b);
nlohmann::json batch_schema();

nlohmann::json custody_json(const store::CustodyRecord& c);
nlohmann::json custody_schema();

nlohmann::json audit_json(const store::AuditEntry& e);
nlohmann::json audit_schema();

// An object schema: `props` each a schema; `required` names; no other members.
nlohmann::json object_schema(const nlohmann::json& props, const std::vector<std::string>& required);
// Shorthands for member schemas.
nlohmann::json str_schema();
nlohmann::json int_schema();
nlohmann::json bool_schema();
nlohmann::json enum_schema(const std::vector<std::string>& values);

}  // namespace kyso::server
