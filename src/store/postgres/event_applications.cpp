// kyso store — applied events in PostgreSQL: which events were applied, and the people they moved.
#include "store/postgres/event_applications.h"

#include <string_view>
#include <utility>

#include "core/messages.h"
#include "store/postgres/errors.h"

namespace kyso::store::postgres {

namespace {

Error foreign_key_error(std::string_view table, std::string_view id, std::string_view field,
                        std::string_view value) {
    return make_error("store.foreign_key",
                      Location{std::string(table), 0, std::string(field), std::string(id)},
                      {table, id, field, value});
}

Error write_error(const Statement& st, std::string_view table, std::string_view id) {
    return make_error("store.write", Location{std::string(table), 0, {}, std::string(id)},
                      {table, id, st.last_message()});
}

}  // namespace

Status record_applied_events(Connection& db, const std::vector<std::string>& event_ids,
                             const Date& as_of) {
    auto insert = db.prepare("INSERT INTO event_applications (event_id, as_of) VALUES ($1, $2)");
    if (!insert) return insert.error();
    const std::string day = as_of.str();
    for (const std::string& id : event_ids) {
        insert->reset();
        insert->bind(1, id).bind(2, day);
        if (insert->run()) continue;
        const std::string& code = insert->last_error();
        if (code == kUniqueViolation) {
            return make_error("store.event_applied", Location{"event_applications", 0, {}, id},
                              {id});
        }
        if (code == kForeignKeyViolation) {
            return foreign_key_error("event_applications", id, "event_id", id);
        }
        return write_error(*insert, "event_applications", id);
    }
    return Ok{};
}

Status write_person_moves(Connection& db, const std::vector<PersonMove>& moves) {
    auto upsert = db.prepare(
        "INSERT INTO person_org_versions (person_id, valid_from, org_id, event_id) "
        "VALUES ($1, $2, $3, $4) ON CONFLICT (person_id, valid_from) "
        "DO UPDATE SET org_id = excluded.org_id, event_id = excluded.event_id");
    if (!upsert) return upsert.error();
    for (const PersonMove& m : moves) {
        upsert->reset();
        upsert->bind(1, m.person_id).bind(2, m.valid_from.str());
        upsert->bind(3, m.org_id).bind(4, m.event_id);
        if (upsert->run()) continue;
        if (upsert->last_error() != kForeignKeyViolation) {
            return write_error(*upsert, "person_org_versions", m.person_id);
        }
        // PostgreSQL names the reference ("DETAIL: Key (org_id)=(X) is not present …"); the
        // transaction is aborted now, so it cannot be looked up as SQLite's writer does.
        const std::string& why = upsert->last_message();
        for (const auto& [field, value] :
             {std::pair<std::string_view, std::string_view>{"person_id", m.person_id},
              {"org_id", m.org_id},
              {"event_id", m.event_id}}) {
            if (why.find("Key (" + std::string(field) + ")") != std::string::npos)
                return foreign_key_error("person_org_versions", m.person_id, field, value);
        }
        return write_error(*upsert, "person_org_versions", m.person_id);
    }
    return Ok{};
}

Status apply_person_moves(Connection& db, const std::optional<Date>& as_of, Registry& registry) {
    // Ordered by day, so the last row of a person is the move in force.
    std::string sql = "SELECT person_id, org_id FROM person_org_versions";
    if (as_of) sql += " WHERE valid_from <= $1";
    sql += " ORDER BY person_id, valid_from";
    auto stmt = db.prepare(sql);
    if (!stmt) return stmt.error();
    if (as_of) stmt->bind(1, as_of->str());
    while (true) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return Ok{};
        const auto it = registry.person_index.find(stmt->string(0));
        if (it == registry.person_index.end()) {
            return make_error("store.corrupt_row",
                              Location{"person_org_versions", 0, {}, stmt->string(0)},
                              {"person_org_versions", stmt->text(0), "person_id"});
        }
        registry.people[it->second].org_id = stmt->string(1);
    }
}

Result<std::vector<std::string>> read_applied_event_ids(Connection& db) {
    auto stmt = db.prepare(
        "SELECT a.event_id FROM event_applications a JOIN events e ON e.id = a.event_id "
        "ORDER BY e.effective_date, e.file_order, e.id");
    if (!stmt) return stmt.error();
    std::vector<std::string> ids;
    while (true) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return ids;
        ids.push_back(stmt->string(0));
    }
}

}  // namespace kyso::store::postgres
