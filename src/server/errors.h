// kyso server — errors as HTTP: the status an error code means, and the JSON error body
// {"error":{"code","message","field"}} (issue 13: Vietnamese by default, English with
// Accept-Language: en).
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "server/route.h"

namespace kyso::server {

// The HTTP status of a lower layer's error, by its code: unknown records 404, refusals 403,
// sign-in failures 401, conflicts (moved, taken, exists) 409, database faults 500, every other
// (validation) 400.
int status_of(const Error& e);

// {"error":{"code":…,"message":…,"field":…}} in the chosen language (field null when empty).
nlohmann::json error_body(const ApiError& e, bool english);

// True when Accept-Language asks for English first ("en", "en-US,vi;q=0.5").
bool wants_english(std::string_view accept_language);

}  // namespace kyso::server
