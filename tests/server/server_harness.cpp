// kyso server tests — the in-process server, its demo database, users and HTTP client.
#include "server_harness.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <random>

#include "demo/demo.h"
#include "server/route.h"
#include "workflow/access.h"
#include "workflow/accounts.h"

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
    const std::string text = line.dump() + "\n";
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

ServerFixture::ServerFixture(std::size_t scale, ServerOptions options) {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("kyso-server-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "kyso.db").string();

    auto reg = store::open_store(db_);
    if (!reg) throw std::runtime_error(reg.error().describe(true));
    auto bundle = demo::generate(demo::DemoOptions{scale, 7});
    if (!bundle) throw std::runtime_error(bundle.error().describe(true));
    if (auto ok = (*reg)->import_registry(bundle->registry, bundle->events, "test", "demo"); !ok)
        throw std::runtime_error(ok.error().describe(true));
    auto loaded = (*reg)->load_registry();
    if (!loaded) throw std::runtime_error(loaded.error().describe(true));
    registry_ = std::move(*loaded);

    // A person with a valid certificate: the officer's and head's organization is theirs.
    for (const Certificate& c : registry_.certificates) {
        if (c.status != CertStatus::valid || c.holder.type != HolderType::person) continue;
        const Person* p = registry_.person(c.holder.id);
        if (p == nullptr || p->org_id.empty()) continue;
        const Organization* o = registry_.org(p->org_id);
        if (o == nullptr || o->ceased_on) continue;
        person_ = p->id;
        serial_ = c.serial;
        org_ = p->org_id;
        break;
    }
    if (org_.empty()) throw std::runtime_error("demo data without a person's valid certificate");
    const std::string root = root_of(registry_, org_);
    // Another subtree: an organization that neither holds org_ nor lies under it.
    std::string other;
    for (const Organization& o : registry_.organizations) {
        if (o.ceased_on) continue;
        if (!workflow::within_scope(registry_, org_, o.id) &&
            !workflow::within_scope(registry_, o.id, org_)) {
            other = o.id;
            break;
        }
    }
    if (other.empty()) throw std::runtime_error("demo data with one subtree only");

    auto wf = store::open_workflow_store(db_);
    if (!wf) throw std::runtime_error(wf.error().describe(true));
    workflow::Accounts accounts(**reg, **wf);
    auto add = [&](const std::optional<User>& actor, const std::string& name, Role role,
                   const std::string& scope_org) {
        User u;
        u.username = name;
        u.full_name = "Người dùng " + name;
        u.role = role;
        u.org_id = scope_org;
        auto added =
            accounts.add(actor, u, workflow::Scope{scope_org, scope_org.empty()}, kPassword);
        if (!added) throw std::runtime_error(added.error().describe(true));
        users_[name] = *added;
        return *added;
    };
    const User admin = add(std::nullopt, "admin", Role::admin, "");
    add(admin, "auditor", Role::auditor, "");
    add(admin, "ca", Role::ca_operator, "");
    add(admin, "dost", Role::dost_operator, root);
    add(admin, "officer", Role::unit_officer, org_);
    add(admin, "head", Role::unit_head, org_);
    add(admin, "head2", Role::unit_head, org_);
    add(admin, "outsider", Role::unit_officer, other);

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
    std::error_code ec;
    fs::remove_all(dir_, ec);
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
        res = has_body ? client.Delete(path, h, payload, "application/json")
                       : client.Delete(path, h);
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
    const std::vector<Request> requests = wf->requests({}).value();
    for (const Request& r : requests)
        out += std::to_string(r.id) + " " + std::string(to_string(r.state)) + " " +
               std::to_string(r.batch_id) + "\n";
    const std::vector<User> users = wf->users().value();
    for (const User& u : users)
        out += u.username + " " + std::string(to_string(u.role)) + " " + u.org_id + " " +
               (u.disabled ? "off" : "on") + "\n";
    out += "batches " + std::to_string(wf->batches().value().size()) + "\n";
    out += "custody " + std::to_string(wf->custody("").value().size()) + "\n";
    out += "audit " + std::to_string(wf->audit_entries().value().size()) + "\n";
    return out;
}

}  // namespace kyso::server::test
