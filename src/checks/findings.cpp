// kyso checks — validation findings (FORMATS.md §5): what is wrong, where, and how bad.
#include "checks/findings.h"

#include <nlohmann/json.hpp>

namespace kyso::checks {

std::string findings_to_json(const Findings& findings) {
    using nlohmann::ordered_json;
    std::string out = "{\"summary\": {\"error\": " + std::to_string(findings.errors()) +
                      ", \"warning\": " + std::to_string(findings.warnings()) +
                      "},\n \"findings\": [";
    bool first = true;
    for (const Finding& f : findings.items) {
        ordered_json j = {
            {"code", f.code},
            {"severity", f.severity == Severity::error ? "error" : "warning"},
            {"file", f.file},
            {"row", f.row},
            {"field", f.field},
            {"id", f.id},
            {"message", f.message},
            {"suggestion", f.suggestion ? ordered_json(*f.suggestion) : ordered_json(nullptr)}};
        out += first ? "\n  " : ",\n  ";
        first = false;
        out += j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
    }
    out += first ? "]}\n" : "\n ]}\n";
    return out;
}

}  // namespace kyso::checks
