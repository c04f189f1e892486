// kyso server — files uploaded in a JSON body as {"name", "content_base64"} (imports, CA
// results, decisions sheets): the name checked as a job file name (jobs/job_kinds.h
// safe_job_file_name: no "..", no absolute path) and the content decoded. The body limit of the
// route (64 MiB for uploads) bounds them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/route.h"
#include "store/job_store.h"

namespace kyso::server {

// Decoded base64 (RFC 4648 §4, no line breaks), or nullopt.
std::optional<std::string> from_base64(const std::string& text);

// The uploaded files of `list` (an array of {"name", "content_base64"}) appended to `files`,
// each name under `prefix` ("" or "certs/"). nullopt when all were read; else the 400 naming
// `field` (server.field_value, job.bad_file_name, job.bad_base64).
std::optional<Response> read_files(Context& ctx, const nlohmann::json& list,
                                   const std::string& field, const std::string& prefix,
                                   std::vector<store::JobFile>& files);

// The JSON Schema of one uploaded file.
nlohmann::json upload_schema();

}  // namespace kyso::server
