// kyso store — the SQL of the workflow lists (workflow_query.h), one text for both back-ends:
// only the parameter markers and the collation of an organization id differ.
#include "store/workflow_query.h"

#include <map>

#include "core/messages.h"
#include "store/workflow_store.h"

namespace kyso::store {

namespace {

using SortKeys = std::map<std::string, std::string, std::less<>>;

// The conditions and parameters of one list, and the organization trees it needs.
class Builder {
public:
    explicit Builder(Dialect d) : dialect_(d) {}

    std::string param(SqlValue v) {
        params_.push_back(std::move(v));
        return (dialect_ == Dialect::sqlite ? "?" : "$") + std::to_string(params_.size());
    }
    void condition(const std::string& c) { where_ += (where_.empty() ? " WHERE " : " AND ") + c; }
    // A CTE of `root` and every organization under it now (the newest version's superior_id);
    // its name. UNION (not ALL) ends a cycle that bad data might hold.
    std::string tree(const std::string& root) {
        const std::string name = "tree" + std::to_string(ctes_.size());
        ctes_.push_back(name + "(id) AS (SELECT " + text_param(root) +
                        " UNION SELECT v.org_id FROM org_versions AS v JOIN " + name +
                        " AS t ON v.superior_id = t.id WHERE v.valid_from = (SELECT "
                        "max(w.valid_from) FROM org_versions AS w WHERE w.org_id = v.org_id))");
        return name;
    }
    // `column` in the subtrees of the query's scope and org_subtree.
    void in_trees(const ListQuery& q, const std::string& column) {
        for (const std::string* root : {&q.scope, &q.org_subtree})
            if (!root->empty()) condition(column + " IN (SELECT id FROM " + tree(*root) + ")");
    }
    // A text parameter as an organization id (PostgreSQL compares ids in the "C" collation).
    std::string text_param(const std::string& v) {
        const std::string p = param(v);
        return dialect_ == Dialect::sqlite ? "CAST(" + p + " AS TEXT)"
                                           : "CAST(" + p + " AS TEXT) COLLATE \"C\"";
    }

    ListSql build(const ListQuery& q, std::string_view columns, std::string_view table,
                  const std::string& order) {
        std::string prefix;
        if (!ctes_.empty()) {
            prefix = "WITH RECURSIVE ";
            for (std::size_t i = 0; i < ctes_.size(); ++i) prefix += (i ? ", " : "") + ctes_[i];
            prefix += " ";
        }
        ListSql out;
        // `count` takes the parameters before the page's two (LIMIT, OFFSET), always last.
        out.count = prefix + "SELECT count(*) FROM " + std::string(table) + where_;
        const std::int64_t offset = static_cast<std::int64_t>(q.page - 1) * q.page_size;
        const std::string limit = param(std::int64_t{q.page_size});
        const std::string skip = param(offset);
        out.page = prefix + "SELECT " + std::string(columns) + " FROM " + std::string(table) +
                   where_ + " ORDER BY " + order + " LIMIT " + limit + " OFFSET " + skip;
        out.params = std::move(params_);
        return out;
    }

private:
    Dialect dialect_;
    std::vector<SqlValue> params_;
    std::vector<std::string> ctes_;
    std::string where_;
};

std::vector<std::string_view> names(const SortKeys& keys, std::string_view first) {
    std::vector<std::string_view> out{first};
    for (const auto& [k, v] : keys)
        if (k != first) out.push_back(k);
    return out;
}

// The query's paging and sort checked, search refused (these lists have none); the ORDER BY.
Result<std::string> order_of(const ListQuery& q, const SortKeys& keys, std::string_view first,
                             const std::string& tiebreak) {
    if (auto ok = check_list_query(q, names(keys, first)); !ok) return ok.error();
    if (!q.search.empty())
        return make_error("store.invalid_query", Location{{}, 0, "search", {}}, {"q", q.search});
    const std::string dir = q.descending ? " DESC" : " ASC";
    const std::string& cols = keys.find(q.sort.empty() ? first : std::string_view(q.sort))->second;
    std::string out;
    std::size_t start = 0;
    // Every column of a key goes the same way ("device_id, handed_on" DESC both).
    while (start <= cols.size()) {
        const std::size_t comma = cols.find(',', start);
        const std::string col =
            cols.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        out += (out.empty() ? "" : ", ") + col + dir;
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    if (cols != tiebreak) out += ", " + tiebreak + dir;
    return out;
}

}  // namespace

Result<ListSql> request_list_sql(const RequestQuery& q, Dialect d, std::string_view columns) {
    static const SortKeys keys = {{"id", "id"},
                                  {"created_at", "created_at"},
                                  {"state", "state"},
                                  {"kind", "kind"},
                                  {"managing_org_id", "managing_org_id"}};
    auto order = order_of(q, keys, "id", "id");
    if (!order) return order.error();
    Builder b(d);
    if (q.state) b.condition("state = " + b.param(std::string(to_string(*q.state))));
    if (q.kind) b.condition("kind = " + b.param(std::string(to_string(*q.kind))));
    if (!q.managing_org_id.empty()) b.condition("managing_org_id = " + b.param(q.managing_org_id));
    if (q.batch_id != 0) b.condition("batch_id = " + b.param(q.batch_id));
    b.in_trees(q, "managing_org_id");
    return b.build(q, columns, "requests", *order);
}

Result<ListSql> batch_list_sql(const BatchQuery& q, Dialect d, std::string_view columns) {
    static const SortKeys keys = {{"id", "id"}, {"created_at", "created_at"}, {"org_id", "org_id"}};
    auto order = order_of(q, keys, "id", "id");
    if (!order) return order.error();
    Builder b(d);
    if (!q.level.empty()) b.condition("level = " + b.param(q.level));
    if (!q.org_id.empty()) b.condition("org_id = " + b.param(q.org_id));
    b.in_trees(q, "org_id");
    return b.build(q, columns, "batches", *order);
}

Result<ListSql> custody_list_sql(const CustodyQuery& q, Dialect d, std::string_view columns) {
    static const SortKeys keys = {
        {"device", "device_id,handed_on"}, {"handed_on", "handed_on"}, {"id", "id"}};
    auto order = order_of(q, keys, "device", "id");
    if (!order) return order.error();
    Builder b(d);
    if (!q.device_id.empty()) b.condition("device_id = " + b.param(q.device_id));
    if (q.step) b.condition("step = " + b.param(std::string(to_string(*q.step))));
    for (const std::string* root : {&q.scope, &q.org_subtree}) {
        if (root->empty()) continue;
        b.condition(
            "request_id IN (SELECT r.id FROM requests AS r WHERE r.managing_org_id IN "
            "(SELECT id FROM " +
            b.tree(*root) + "))");
    }
    return b.build(q, columns, "custody", *order);
}

Result<ListSql> audit_list_sql(const AuditQuery& q, Dialect d, std::string_view columns) {
    static const SortKeys keys = {{"seq", "seq"}};
    auto order = order_of(q, keys, "seq", "seq");
    if (!order) return order.error();
    if (!q.scope.empty() || !q.org_subtree.empty())
        return make_error("store.invalid_query", Location{{}, 0, "scope", {}},
                          {"scope", q.scope + q.org_subtree});
    Builder b(d);
    if (!q.actor.empty()) b.condition("actor = " + b.param(q.actor));
    if (!q.action.empty()) {
        const std::string p = b.param(q.action);
        b.condition("substr(action, 1, length(CAST(" + p + " AS TEXT))) = " + p);
    }
    if (!q.object.empty()) b.condition("object = " + b.param(q.object));
    return b.build(q, columns, "audit_log", *order);
}

Result<ListSql> user_list_sql(const UserQuery& q, Dialect d, std::string_view columns) {
    static const SortKeys keys = {{"id", "id"}, {"username", "username"}, {"role", "role"}};
    auto order = order_of(q, keys, "id", "id");
    if (!order) return order.error();
    Builder b(d);
    if (q.role) b.condition("role = " + b.param(std::string(to_string(*q.role))));
    b.in_trees(q, "org_id");
    return b.build(q, columns, "users", *order);
}

std::string org_within_sql(Dialect d) {
    const std::string p2 = d == Dialect::sqlite ? "?2" : "$2";
    const std::string start =
        d == Dialect::sqlite ? "CAST(?1 AS TEXT)" : "CAST($1 AS TEXT) COLLATE \"C\"";
    // Upwards from the organization: its depth is a handful of steps, each one index lookup.
    return "WITH RECURSIVE up(id, depth) AS (SELECT " + start +
           ", 0 UNION ALL SELECT v.superior_id, up.depth + 1 FROM up JOIN org_versions AS v ON "
           "v.org_id = up.id WHERE up.id <> " +
           p2 +
           " AND up.depth < 64 AND v.valid_from = (SELECT max(w.valid_from) FROM org_versions "
           "AS w WHERE w.org_id = v.org_id)) SELECT count(*) FROM up WHERE up.id = " +
           p2;
}

}  // namespace kyso::store
