// kyso store — checks run before a migration's SQL, for refusals SQL cannot explain clearly.
#include "store/sqlite/migration_checks.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/messages.h"
#include "core/values.h"

namespace kyso::store::sqlite {

namespace {

// The stored certificates that one integer serial stands for.
struct SerialGroup {
    std::vector<std::string> serials;  // as stored
    std::set<std::string> holders;     // "person:p1", linked rows only
    std::set<std::string> devices;
    std::set<std::string> files;  // sha256_cert of rows read from a certificate file
};

// FORMATS.md §1 as amended: rows that 0004 would merge must agree on what they say.
Status serials_merge_cleanly(Connection& db) {
    auto rows = db.prepare(
        "SELECT serial, holder_type, holder_id, coalesce(device_id, ''), sha256_cert "
        "FROM certificates");
    if (!rows) return rows.error();
    std::map<std::string, SerialGroup, std::less<>> groups;
    while (true) {
        auto row = rows->step();
        if (!row) return row.error();
        if (!*row) break;
        std::string serial = rows->string(0);
        SerialGroup& g = groups[normalize_serial(serial).value_or(serial)];
        if (!rows->text(2).empty()) g.holders.insert(rows->string(1) + ":" + rows->string(2));
        if (!rows->text(3).empty()) g.devices.insert(rows->string(3));
        if (!rows->text(4).empty()) g.files.insert(rows->string(4));
        g.serials.push_back(std::move(serial));
    }
    std::string conflicts;
    std::size_t count = 0;
    for (const auto& [normal, g] : groups) {
        if (g.serials.size() < 2 ||
            (g.holders.size() < 2 && g.devices.size() < 2 && g.files.size() < 2)) {
            continue;
        }
        if (++count > 10) continue;  // the first ten are named; the count says the rest
        if (!conflicts.empty()) conflicts += "; ";
        for (std::size_t i = 0; i < g.serials.size(); ++i) {
            conflicts += (i > 0 ? " = " : "") + g.serials[i];
        }
        std::string holders;
        for (const auto& h : g.holders) holders += (holders.empty() ? "" : ", ") + h;
        if (!holders.empty()) conflicts += " (" + holders + ")";
    }
    if (count == 0) return Ok{};
    return make_error("store.serial_conflict", Location{"certificates", 0, "serial", {}},
                      {std::to_string(count), conflicts});
}

}  // namespace

Status check_before_migration(Connection& db, int version) {
    if (version == 4) return serials_merge_cleanly(db);
    return Ok{};
}

}  // namespace kyso::store::sqlite
