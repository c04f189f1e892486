// kyso store — PostgreSQL failures as error values: no exception leaves the back-end, and no
// message carries a password.
#pragma once

#include <exception>
#include <string>
#include <string_view>

#include "core/messages.h"
#include "core/result.h"

namespace pqxx {
class sql_error;
}

namespace kyso::store::postgres {

// SQLSTATE codes the back-end tells apart (PostgreSQL Appendix A).
inline constexpr std::string_view kForeignKeyViolation = "23503";
inline constexpr std::string_view kUniqueViolation = "23505";

// PostgreSQL's message on one line: "ERROR:  " dropped, the DETAIL kept after "; ".
std::string short_message(std::string_view what);
// `text` with the password of `location` (and any "password=…" / ":…@" part) blanked out.
std::string without_secrets(std::string text, const std::string& location);
// store.pg {SQLSTATE, message (context)}; store.busy for a lock or serialization failure.
Error pg_error(const pqxx::sql_error& e, std::string_view context);

// The boundary of the back-end: an exception (std::bad_alloc, a libpqxx failure outside the
// statements' own handlers) becomes an error value; the open transaction rolls back as it
// unwinds through its guard.
template <typename F>
auto guarded(F&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const std::exception& e) {
        return make_error("store.pg", Location{}, {"", without_secrets(e.what(), "")});
    }
}

}  // namespace kyso::store::postgres
