// kyso server tests — the in-process server, its demo database, users and HTTP client.
#include "server_harness.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include <cstdlib>
#include <fstream>
#include <random>

#include "accounts/access.h"
#include "accounts/accounts.h"
#include "demo/demo.h"
#include "server/route.h"
#include "store/audit_key.h"
#include "store/pg_scratch.h"

namespace kyso::server::test {

namespace fs = std::filesystem;
using nlohmann::json;

std::string Reply::header(const std::string& name) const {
    for (const auto& [k, v] : headers) {
        if (k.size() != name.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < k.size(); ++i)
            same = same && std::tolower(static_cast<unsigned char>(k[i])) ==
                               std::tolower(static_cast<unsigned char>(name[i]));
        if (same) return v;
    }
    return {};
}

std::string Reply::code() const {
    if (body.is_object() && body.contains("error") && body["error"].is_object())
        return body["error"].value("code", "");
    return {};
}

std::string Reply::field() const {
    if (body.is_object() && body.contains("error") && body["error"].is_object() &&
        body["error"]["field"].is_string())
        return body["error"]["field"].get<std::string>();
    return {};
}

void record(const std::string& method, const std::string& path, const Reply& reply) {
    const char* file = std::getenv("KYSO_API_RECORD");
    if (file == nullptr || *file == '\0' || reply.status == 0) return;
    std::string p = path.substr(0, path.find('?'));
    std::optional<Method> m;
    for (Method x : {Method::get, Method::post, Method::put, Method::patch, Method::del})
        if (to_string(x) == method) m = x;
    if (!m) return;
    const auto match = route_table().match(*m, p);
    json line = {{"method", method},
                 {"path", p},
                 {"route", match.route != nullptr ? match.route->path : std::string()},
                 {"status", reply.status},
                 {"content_type", reply.header("Content-Type")}};
    if (reply.header("Content-Type").rfind("application/json", 0) == 0) line["body"] = reply.body;
    // A path that is not UTF-8 (a test of such paths) is written with U+FFFD, never thrown.
    const std::string text = line.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    // One write per line with O_APPEND: test processes running at once do not interleave.
    const int fd = ::open(file, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd < 0) return;
    [[maybe_unused]] const auto n = ::write(fd, text.data(), text.size());
    ::close(fd);
}

namespace {

// The top of `org`'s superior chain.
std::string root_of(const Registry& r, std::string id) {
    for (int guard = 0; guard < 64; ++guard) {
        const Organization* o = r.org(id);
        if (o == nullptr || o->current().superior_id.empty()) return id;
        id = o->current().superior_id;
    }
    return id;
}

}  // namespace

namespace {

// The demo database with its users, built once per test binary and scale, then copied for each
// fixture (argon2id hashing and the import take seconds; a copy takes milliseconds). Kept in the
// build tree under the binary's modification time, so a rebuilt binary builds it afresh; made in
// a private folder and renamed into place, so test processes running at once never see half.
struct Template {
    fs::path dir;
    std::string org, person, serial;
};

}  // namespace

Fixture fill_database(const std::string& db, std::size_t scale) {
    auto reg = store::open_store(db);
    if (!reg) throw std::runtime_error(reg.error().describe(true));
    auto bundle = demo::generate(demo::DemoOptions{scale, 7});
    if (!bundle) throw std::runtime_error(bundle.error().describe(true));
    if (auto ok = (*reg)->import_registry(bundle->registry, bundle->events, "test", "demo"); !ok)
        throw std::runtime_error(ok.error().describe(true));
    auto loaded = (*reg)->load_registry();
    if (!loaded) throw std::runtime_error(loaded.error().describe(true));
    const Registry& registry = *loaded;
    Fixture t;
    // A person with a valid certificate: the officer's and head's organization is theirs.
    for (const Certificate& c : registry.certificates) {
        if (c.status != CertStatus::valid || c.holder.type != HolderType::person) continue;
        const Person* p = registry.person(c.holder.id);
        if (p == nullptr || p->org_id.empty()) continue;
        const Organization* o = registry.org(p->org_id);
        if (o == nullptr || o->ceased_on) continue;
        t.person = p->id;
        t.serial = c.serial;
        t.org = p->org_id;
        break;
    }
    if (t.org.empty()) throw std::runtime_error("demo data without a person's valid certificate");
    const std::string root = root_of(registry, t.org);
    // Another subtree: an organization that neither holds org nor lies under it.
    std::string other;
    for (const Organization& o : registry.organizations) {
        if (o.ceased_on) continue;
        if (!accounts::within_scope(registry, t.org, o.id) &&
            !accounts::within_scope(registry, o.id, t.org)) {
            other = o.id;
            break;
        }
    }
    if (other.empty()) throw std::runtime_error("demo data with one subtree only");
    auto wf = store::open_workflow_store(db);
    if (!wf) throw std::runtime_error(wf.error().describe(true));
    accounts::Accounts accounts(**reg, **wf);
    std::optional<User> admin;
    auto add = [&](const std::string& name, Role role, const std::string& scope_org) {
        User u;
        u.username = name;
        u.full_name = "Người dùng " + name;
        u.role = role;
        u.org_id = scope_org;
        auto added =
            accounts.add(admin, u, accounts::Scope{scope_org, scope_org.empty()}, kPassword);
        if (!added) throw std::runtime_error(added.error().describe(true));
        if (!admin) admin = *added;
    };
    add("admin", Role::admin, "");
    add("auditor", Role::auditor, "");
    add("ca", Role::ca_operator, "");
    add("dost", Role::dost_operator, root);
    add("officer", Role::unit_officer, t.org);
    add("head", Role::unit_head, t.org);
    add("head2", Role::unit_head, t.org);
    add("outsider", Role::unit_officer, other);
    return t;
}

namespace {

Template build_template(std::size_t scale) {
    std::error_code ec;
    const auto exe_time = fs::last_write_time("/proc/self/exe", ec).time_since_epoch().count();
    const fs::path cache = fs::path(KYSO_TEST_CACHE) / ("server-fixture-" + std::to_string(scale) +
                                                        "-" + std::to_string(exe_time));
    if (!fs::exists(cache / "fixture.json")) {
        const fs::path tmp = fs::path(KYSO_TEST_CACHE) /
                             ("tmp-" + std::to_string(::getpid()) + "-" + std::to_string(scale));
        fs::remove_all(tmp, ec);
        fs::create_directories(tmp);
        const std::string db = (tmp / "kyso.db").string();
        const Fixture f = fill_database(db, scale);
        std::ofstream(tmp / "fixture.json")
            << json{{"org", f.org}, {"person", f.person}, {"serial", f.serial}}.dump();
        fs::rename(tmp, cache, ec);
        if (ec) fs::remove_all(tmp, ec);  // another process made it first
    }
    Template t;
    t.dir = cache;
    std::ifstream in(cache / "fixture.json");
    const json f = json::parse(in);
    t.org = f["org"];
    t.person = f["person"];
    t.serial = f["serial"];
    return t;
}

}  // namespace

ServerFixture::ServerFixture(std::size_t scale, ServerOptions options) {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("kyso-server-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir_);
    const char* on_pg = std::getenv("KYSO_SERVER_TEST_PG");
    if (on_pg != nullptr && std::string(on_pg) == "1" && !test_pg_server().empty()) {
        fs::create_directories(dir_);
        auto database = std::make_shared<store_test::ScratchDatabase>(test_pg_server());
        db_ = database->location();
        pg_database_ = database;
        // A PostgreSQL database keeps its audit key in a named file (docs/audit.md).
        store::set_audit_key_file((dir_ / "pg.auditkey").string());
        const Fixture f = fill_database(db_, scale);
        org_ = f.org;
        person_ = f.person;
        serial_ = f.serial;
    } else {
        const Template t = build_template(scale);
        fs::copy(t.dir, dir_, fs::copy_options::recursive);
        db_ = (dir_ / "kyso.db").string();
        org_ = t.org;
        person_ = t.person;
        serial_ = t.serial;
    }
    auto reg = store::open_store(db_);
    if (!reg) throw std::runtime_error(reg.error().describe(true));
    auto loaded = (*reg)->load_registry();
    if (!loaded) throw std::runtime_error(loaded.error().describe(true));
    registry_ = std::move(*loaded);
    auto wf = store::open_workflow_store(db_);
    if (!wf) throw std::runtime_error(wf.error().describe(true));
    auto users = (*wf)->users();
    if (!users) throw std::runtime_error(users.error().describe(true));
    for (const User& u : *users) users_[u.username] = u;

    options.db = db_;
    options.host = "127.0.0.1";
    options.port = 0;
    options.log_requests = std::getenv("KYSO_TEST_SERVER_LOG") != nullptr;
    if (options.templates_dir.empty()) options.templates_dir = KYSO_SOURCE_DIR "/templates/letters";
    server_ = std::make_unique<HttpServer>(options);
    if (auto ok = server_->bind(); !ok) throw std::runtime_error(ok.error().describe(true));
    thread_ = std::thread([this] { server_->run(); });
}

ServerFixture::~ServerFixture() {
    stop();
    if (pg_database_) store::set_audit_key_file("");
    pg_database_.reset();
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

std::string test_pg_server() {
    return store_test::test_pg_server();
}

void ServerFixture::stop() {
    if (stopped_) return;
    stopped_ = true;
    server_->stop();
    if (thread_.joinable()) thread_.join();
}

Caller ServerFixture::sign_in(const std::string& username) {
    Reply r = call("POST", "/api/v1/session", nullptr,
                   json{{"username", username}, {"password", kPassword}});
    Caller c;
    c.username = username;
    EXPECT_EQ(r.status, 201) << username << ": " << r.raw;
    const std::string set = r.header("Set-Cookie");
    c.cookie = set.substr(0, set.find(';'));
    if (r.body.is_object() && r.body.contains("csrf_token"))
        c.csrf = r.body["csrf_token"].get<std::string>();
    return c;
}

Reply ServerFixture::call(const std::string& method, const std::string& path, const Caller* who,
                          const json& body, bool csrf, const httplib::Headers& extra,
                          const std::string* raw_body) {
    httplib::Client client("127.0.0.1", port());
    client.set_read_timeout(30, 0);
    httplib::Headers h = extra;
    if (who != nullptr) {
        if (!who->bearer.empty()) h.emplace("Authorization", "Bearer " + who->bearer);
        if (!who->cookie.empty()) h.emplace("Cookie", who->cookie);
        if (csrf && !who->csrf.empty()) h.emplace("X-CSRF-Token", who->csrf);
    }
    std::string payload;
    const bool has_body = raw_body != nullptr || !body.is_null();
    if (raw_body != nullptr)
        payload = *raw_body;
    else if (!body.is_null())
        payload = body.dump();
    httplib::Result res{nullptr, httplib::Error::Unknown};
    if (method == "GET") {
        res = client.Get(path, h);
    } else if (method == "POST") {
        res = has_body ? client.Post(path, h, payload, "application/json") : client.Post(path, h);
    } else if (method == "PUT") {
        res = client.Put(path, h, payload, "application/json");
    } else if (method == "PATCH") {
        res = client.Patch(path, h, payload, "application/json");
    } else if (method == "DELETE") {
        res =
            has_body ? client.Delete(path, h, payload, "application/json") : client.Delete(path, h);
    }
    Reply r;
    if (!res) return r;
    r.status = res->status;
    r.raw = res->body;
    r.headers = res->headers;
    if (r.header("Content-Type").rfind("application/json", 0) == 0 && !r.raw.empty())
        r.body = json::parse(r.raw, nullptr, false);
    record(method, path, r);
    return r;
}

std::unique_ptr<store::WorkflowStore> ServerFixture::workflow() const {
    auto wf = store::open_workflow_store(db_);
    if (!wf) throw std::runtime_error(wf.error().describe(true));
    return std::move(*wf);
}

std::string ServerFixture::snapshot() const {
    auto wf = workflow();
    std::string out;
    // Named, not temporaries: GCC 12 warns (maybe-uninitialized) on a range over .value().
    const auto requests = wf->requests({});
    const auto users = wf->users();
    if (!requests || !users) return "unreadable";
    for (const Request& r : *requests)
        out += std::to_string(r.id) + " " + std::string(to_string(r.state)) + " " +
               std::to_string(r.batch_id) + "\n";
    for (const User& u : *users)
        out += u.username + " " + std::string(to_string(u.role)) + " " + u.org_id + " " +
               (u.disabled ? "off" : "on") + "\n";
    out += "batches " + std::to_string(wf->batches().value().size()) + "\n";
    out += "custody " + std::to_string(wf->custody("").value().size()) + "\n";
    out += "audit " + std::to_string(wf->audit_entries().value().size()) + "\n";
    return out;
}

}  // namespace kyso::server::test
