// kyso store — PostgreSQL failures as error values, without passwords.
#include "store/postgres/errors.h"

#include <pqxx/except>
#include <regex>

namespace kyso::store::postgres {

std::string short_message(std::string_view what) {
    std::string out;
    std::size_t start = 0;
    while (start < what.size()) {
        std::size_t end = what.find('\n', start);
        if (end == std::string_view::npos) end = what.size();
        std::string_view line = what.substr(start, end - start);
        start = end + 1;
        if (line.starts_with("ERROR:")) line.remove_prefix(6);
        while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
        // The query text and the caret line say nothing to a user.
        if (line.empty() || line.starts_with("LINE ") || line.starts_with("^") ||
            line.starts_with("QUERY:") || line.starts_with("CONTEXT:"))
            continue;
        if (!out.empty()) out += "; ";
        out += line;
    }
    return out;
}

std::string without_secrets(std::string text, const std::string& location) {
    static const std::regex keyword(R"(password\s*=\s*('([^'\\]|\\.)*'|\S+))", std::regex::icase);
    static const std::regex uri(R"((postgres(ql)?://[^:/@\s]*):[^@\s]*@)");
    text = std::regex_replace(text, keyword, "password=***");
    text = std::regex_replace(text, uri, "$1:***@");
    (void)location;
    return text;
}

Error pg_error(const pqxx::sql_error& e, std::string_view context) {
    const std::string& state = e.sqlstate();
    // serialization_failure, deadlock_detected, lock_not_available: another writer holds it.
    if (state == "40001" || state == "40P01" || state == "55P03")
        return make_error("store.busy", Location{}, {});
    std::string message = short_message(e.what());
    if (!context.empty()) {
        std::string c(context.substr(0, 80));
        if (context.size() > 80) c += "...";
        message += " (" + c + ")";
    }
    return make_error("store.pg", Location{}, {state, without_secrets(message, "")});
}

}  // namespace kyso::store::postgres
