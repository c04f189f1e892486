// kyso server — errors as HTTP statuses and JSON bodies.
#include "server/errors.h"

#include <array>

namespace kyso::server {

namespace {

bool ends_with(std::string_view s, std::string_view tail) {
    return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}
bool starts_with(std::string_view s, std::string_view head) {
    return s.substr(0, head.size()) == head;
}

}  // namespace

int status_of(const Error& e) {
    const std::string_view c = e.code;
    if (starts_with(c, "server.field_") || starts_with(c, "server.query_") ||
        starts_with(c, "server.page_") || c == "server.bad_id")
        return 400;
    if (ends_with(c, ".unknown") || ends_with(c, "_unknown") || c == "custody.unknown_device" ||
        c == "request.unknown_certificate" || c == "server.not_found")
        return 404;
    if (starts_with(c, "access.") || starts_with(c, "cli.register_role") ||
        c == "account.user_out_of_scope" || c == "account.grant_all" || c == "account.own_scope" ||
        c == "server.forbidden")
        return 403;
    // A token's name is bad input (blank, too long, control characters), not a sign-in failure.
    if (c == "auth.token_name") return 400;
    if (starts_with(c, "auth.") || starts_with(c, "session.")) return 401;
    // Registry corrections and jobs (store/registry_query.h, store/job_store.h).
    if (c == "store.not_found") return 404;
    if (c == "store.etag_mismatch") return 412;
    if (c == "store.precondition_required") return 428;
    if (c == "store.person_moved" || c == "store.record_in_use" || c == "store.job_owner" ||
        c == "store.cccd_taken")
        return 409;
    if (c == "store.reason_required" || c == "store.invalid_field" || c == "store.invalid_query" ||
        c == "store.superior_cycle" || c == "store.foreign_key")
        return 400;
    if (starts_with(c, "store.")) {
        static constexpr std::array<std::string_view, 11> conflicts = {
            "store.user_exists",     "store.users_exist",     "store.last_admin",
            "store.request_moved",   "store.request_batched", "store.batch_combined",
            "store.serial_conflict", "store.duplicate_id",    "store.busy",
            "store.event_applied",   "store.person_linked"};
        for (std::string_view k : conflicts)
            if (c == k) return 409;
        return 500;
    }
    if (c == "batch.number_taken") return 409;
    // Events (intake/event_intake.h, event_apply.h): an id stored for another event, an event
    // dated before one already applied.
    if (c == "event.id_stored" || c == "event.before_applied") return 409;
    if (c == "request.nothing_to_submit" || c == "request.nothing_to_combine" ||
        c == "request.wrong_state")
        return 409;
    return 400;
}

nlohmann::json error_body(const ApiError& e, bool english) {
    nlohmann::json err = {{"code", e.code},
                          {"message", english ? e.message_en : e.message},
                          {"field", e.field.empty() ? nlohmann::json() : nlohmann::json(e.field)}};
    return {{"error", std::move(err)}};
}

bool wants_english(std::string_view al) {
    // The first language named decides (q-values are not weighed: kyso speaks two).
    while (!al.empty() && (al.front() == ' ' || al.front() == '\t')) al.remove_prefix(1);
    return al.size() >= 2 && (al[0] == 'e' || al[0] == 'E') && (al[1] == 'n' || al[1] == 'N') &&
           (al.size() == 2 || al[2] == '-' || al[2] == ',' || al[2] == ';' || al[2] == '_');
}

}  // namespace kyso::server
