// kyso core — Error and Result<T>: errors are values across layers.
#include "core/result.h"

#include "core/messages.h"

namespace kyso {

std::string Error::describe(bool english) const {
    std::string out;
    auto add = [&](std::string_view part) {
        if (!out.empty()) out += ", ";
        out += part;
    };
    if (!where.file.empty()) add(where.file);
    if (where.row > 0) add(kyso::message("loc.row", {std::to_string(where.row)}, english));
    if (!where.field.empty()) add(kyso::message("loc.field", {where.field}, english));
    if (!where.id.empty()) add(kyso::message("loc.id", {where.id}, english));
    if (!out.empty()) out += ": ";
    out += english ? message_en : message;
    return out;
}

}  // namespace kyso
