// kyso store — an open PostgreSQL connection (libpqxx 6), its transactions and statements.
#include "store/postgres/connection.h"

#include <libpq-fe.h>

#include <charconv>
#include <pqxx/pqxx>

#include "core/messages.h"
#include "store/postgres/errors.h"

namespace kyso::store::postgres {

namespace {

// The libpq parameters of a connection string (URI or keywords); empty when it does not parse.
std::map<std::string, std::string> conninfo_parameters(const std::string& location) {
    std::map<std::string, std::string> out;
    char* err = nullptr;
    PQconninfoOption* options = PQconninfoParse(location.c_str(), &err);
    if (err != nullptr) PQfreemem(err);
    if (options == nullptr) return out;
    for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
        if (o->val != nullptr) out[o->keyword] = o->val;
    }
    PQconninfoFree(options);
    return out;
}

// A libpq keyword value, quoted when needed ("Connection Strings": '…' with \' and \\).
std::string keyword_value(const std::string& v) {
    std::string out = "'";
    for (const char c : v) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

bool is_postgres_location(std::string_view loc) {
    if (loc.starts_with("postgresql://") || loc.starts_with("postgres://")) return true;
    // A keyword string starts with a libpq keyword and '=' (a file path has no '=' there).
    for (const std::string_view kw :
         {"host=", "hostaddr=", "dbname=", "user=", "port=", "service=", "passfile="}) {
        if (loc.starts_with(kw)) return true;
    }
    return false;
}

std::string describe_location(const std::string& location) {
    auto p = conninfo_parameters(location);
    std::string out = "postgresql://" + p["host"];
    if (p.count("host") == 0 && p.count("hostaddr") != 0) out += p["hostaddr"];
    if (!p["port"].empty()) out += ":" + p["port"];
    return out + "/" + p["dbname"];
}

std::string database_name(const std::string& location) {
    return conninfo_parameters(location)["dbname"];
}

std::string with_database(const std::string& location, const std::string& dbname) {
    auto p = conninfo_parameters(location);
    p["dbname"] = dbname;
    std::string out;
    for (const auto& [k, v] : p) {
        if (!out.empty()) out += ' ';
        out += k + "=" + keyword_value(v);
    }
    return out;
}

// ---- Statement ----

Statement::Statement(Connection* db, std::string name, std::string sql)
    : db_(db), name_(std::move(name)), sql_(std::move(sql)) {}

Statement& Statement::bind(int index, std::string_view text) {
    const auto i = static_cast<std::size_t>(index - 1);
    if (values_.size() <= i) {
        values_.resize(i + 1);
        nulls_.resize(i + 1, true);
    }
    values_[i].assign(text);
    nulls_[i] = false;
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    return bind(index, std::to_string(value));
}

Statement& Statement::bind_null(int index) {
    const auto i = static_cast<std::size_t>(index - 1);
    if (values_.size() <= i) {
        values_.resize(i + 1);
        nulls_.resize(i + 1, true);
    }
    values_[i].clear();
    nulls_[i] = true;
    return *this;
}

Statement& Statement::bind_or_null(int index, std::string_view text) {
    return text.empty() ? bind_null(index) : bind(index, text);
}

Statement& Statement::bind_unowned_blob(int index, const std::vector<std::uint8_t>& bytes) {
    if (bytes.empty()) return bind_null(index);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex = "\\x";
    hex.reserve(2 + bytes.size() * 2);
    for (const std::uint8_t b : bytes) {
        hex += kHex[b >> 4];
        hex += kHex[b & 0x0f];
    }
    return bind(index, hex);
}

std::string& Statement::scratch(int index) {
    const auto i = static_cast<std::size_t>(index);
    if (scratch_.size() <= i) scratch_.resize(i + 1);
    return scratch_[i];
}

Status Statement::execute() {
    last_error_.clear();
    last_message_.clear();
    auto r = db_->execute(name_, sql_, values_, nulls_, last_error_, last_message_);
    if (!r) return r.error();
    result_ = std::make_shared<pqxx::result>(std::move(*r));
    affected_ = result_->affected_rows();
    executed_ = true;
    row_ = 0;
    return Ok{};
}

Result<bool> Statement::step() {
    if (!executed_) {
        if (auto st = execute(); !st) {
            reset();
            return st.error();
        }
    } else {
        ++row_;
    }
    if (row_ < result_->size()) return true;
    reset();
    return false;
}

Status Statement::run() {
    auto st = execute();
    executed_ = false;
    result_.reset();
    return st;
}

void Statement::reset() {
    executed_ = false;
    result_.reset();
    row_ = 0;
}

std::string_view Statement::text(int column) const {
    const auto f = (*result_)[static_cast<pqxx::result::size_type>(row_)][column];
    if (f.is_null()) return {};
    return {f.c_str(), f.size()};
}

std::int64_t Statement::int64(int column) const {
    const std::string_view t = text(column);
    std::int64_t v = 0;
    std::from_chars(t.data(), t.data() + t.size(), v);
    return v;
}

int Statement::column_count() const {
    return result_ ? static_cast<int>(result_->columns()) : 0;
}

bool Statement::is_null(int column) const {
    return (*result_)[static_cast<pqxx::result::size_type>(row_)][column].is_null();
}

std::vector<std::uint8_t> Statement::blob(int column) const {
    const std::string_view t = text(column);
    std::vector<std::uint8_t> out;
    if (t.size() < 2 || t[0] != '\\' || t[1] != 'x') return out;
    out.reserve((t.size() - 2) / 2);
    for (std::size_t i = 2; i + 1 < t.size(); i += 2) {
        out.push_back(static_cast<std::uint8_t>(hex_digit(t[i]) * 16 + hex_digit(t[i + 1])));
    }
    return out;
}

// ---- Connection ----

void Connection::DeleteConnection::operator()(pqxx::connection_base* conn) const noexcept {
    delete static_cast<pqxx::connection*>(conn);
}

Connection::Connection(Handle conn, std::string description)
    : conn_(std::move(conn)), description_(std::move(description)) {}
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;
Connection::~Connection() {
    rollback();
}

Result<Connection> Connection::open(const std::string& location) {
    const std::string description = describe_location(location);
    try {
        Connection out(Handle(new pqxx::connection(location)), description);
        // Quiet NOTICEs ("relation already exists, skipping"), UTC times, UTF-8 text.
        if (auto st = out.exec("SET client_min_messages = warning; SET TIME ZONE 'UTC'; "
                               "SET client_encoding = 'UTF8'");
            !st) {
            return st.error();
        }
        return out;
    } catch (const std::exception& e) {
        return make_error("store.open", Location{description, 0, {}, {}},
                          {description, without_secrets(e.what(), location)});
    }
}

Result<pqxx::result> Connection::execute(const std::string& name, const std::string& sql,
                                         const std::vector<std::string>& values,
                                         const std::vector<bool>& nulls, std::string& sqlstate,
                                         std::string& message) {
    std::vector<const char*> params(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        params[i] = nulls[i] ? nullptr : values[i].c_str();
    }
    try {
        if (tx_) return tx_->exec_prepared(name, pqxx::prepare::make_dynamic_params(params));
        pqxx::nontransaction once(*conn_);
        return once.exec_prepared(name, pqxx::prepare::make_dynamic_params(params));
    } catch (const pqxx::sql_error& e) {
        sqlstate = e.sqlstate();
        message = short_message(e.what());
        return pg_error(e, sql);
    } catch (const std::exception& e) {
        message = e.what();
        return make_error("store.pg", Location{}, {"", without_secrets(e.what(), "")});
    }
}

Status Connection::exec(std::string_view sql) {
    try {
        const std::string text(sql);
        if (tx_) {
            tx_->exec(text);
        } else {
            pqxx::nontransaction once(*conn_);
            once.exec(text);
        }
        return Ok{};
    } catch (const pqxx::sql_error& e) {
        return pg_error(e, sql);
    } catch (const std::exception& e) {
        return make_error("store.pg", Location{}, {"", without_secrets(e.what(), "")});
    }
}

std::string dollar_parameters(std::string_view sql) {
    std::string out(sql);
    char quote = 0;  // inside '…' or "…"
    for (std::size_t i = 0; i < out.size(); ++i) {
        const char c = out[i];
        if (quote != 0) {
            if (c == quote) quote = 0;  // a doubled quote closes and reopens: the same
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '?' && i + 1 < out.size() && out[i + 1] >= '1' && out[i + 1] <= '9') {
            out[i] = '$';
        }
    }
    return out;
}

Result<Statement> Connection::prepare(std::string_view sql) {
    auto it = prepared_.find(sql);
    if (it == prepared_.end()) {
        std::string name = "kyso_" + std::to_string(prepared_.size() + 1);
        try {
            // Sent to the server at its first use.
            conn_->prepare(name, dollar_parameters(sql));
        } catch (const std::exception& e) {
            return make_error("store.pg", Location{}, {"", e.what()});
        }
        it = prepared_.emplace(std::string(sql), std::move(name)).first;
    }
    return Statement(this, it->second, it->first);
}

Result<std::int64_t> Connection::query_int(std::string_view sql) {
    auto st = prepare(sql);
    if (!st) return st.error();
    auto row = st->step();
    if (!row) return row.error();
    const std::int64_t v = *row ? st->int64(0) : 0;
    st->reset();
    return v;
}

Result<bool> Connection::table_is_empty(std::string_view table) {
    auto any = query_int("SELECT CASE WHEN EXISTS (SELECT 1 FROM " + std::string(table) +
                         ") THEN 1 ELSE 0 END");
    if (!any) return any.error();
    return *any == 0;
}

Status Connection::begin(bool write) {
    if (tx_) return make_error("store.pg", Location{}, {"", "a transaction is already open"});
    try {
        tx_ = std::make_unique<pqxx::work>(*conn_);
        if (write) {
            tx_->exec("SELECT pg_advisory_xact_lock(" + std::to_string(kWriteLock) + ")");
        } else {
            tx_->exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
        return Ok{};
    } catch (const pqxx::sql_error& e) {
        tx_.reset();
        return pg_error(e, "BEGIN");
    } catch (const std::exception& e) {
        tx_.reset();
        return make_error("store.pg", Location{}, {"", without_secrets(e.what(), "")});
    }
}

Status Connection::commit() {
    if (!tx_) return make_error("store.pg", Location{}, {"", "no open transaction"});
    try {
        tx_->commit();
        tx_.reset();
        return Ok{};
    } catch (const pqxx::sql_error& e) {
        tx_.reset();
        return pg_error(e, "COMMIT");
    } catch (const std::exception& e) {
        tx_.reset();
        return make_error("store.pg", Location{}, {"", without_secrets(e.what(), "")});
    }
}

void Connection::rollback() noexcept {
    try {
        if (tx_) tx_->abort();
    } catch (...) {  // the connection may be gone; the server then rolls back by itself
    }
    tx_.reset();
}

// ---- Transaction ----

Result<Transaction> Transaction::begin(Connection& db, Mode mode) {
    if (auto st = db.begin(mode == Mode::write); !st) return st.error();
    return Transaction(&db);
}

Status Transaction::commit() {
    Connection* db = db_;
    db_ = nullptr;
    if (db == nullptr) return make_error("store.pg", Location{}, {"", "no open transaction"});
    return db->commit();
}

Transaction::~Transaction() {
    if (db_ != nullptr) db_->rollback();
}

}  // namespace kyso::store::postgres
