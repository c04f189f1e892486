// kyso cli — `kyso serve`: the HTTP API (server/server.h) on one database, until SIGTERM or
// SIGINT, after which requests in flight finish and the process exits 0.
#include <pthread.h>
#include <signal.h>

#include <toml++/toml.h>
#include <cstdio>
#include <set>
#include <thread>

#include "cli/commands.h"
#include "cli/session.h"
#include "core/messages.h"
#include "server/server.h"

namespace kyso::cli {

namespace {

struct ServeArgs {
    std::string db, listen, tls_cert, tls_key, client_ca, config, templates;
};

// kyso.toml: the same settings as the options, which win over it.
//   db = "kyso.db"            listen = "0.0.0.0:8443"
//   tls_cert = "…"  tls_key = "…"  client_ca = "…"  templates = "…"
//   threads = 32    max_upload_mib = 64
//   [sessions] idle_minutes = 30  absolute_hours = 12
//              idle_seconds = …  absolute_seconds = …   (finer; win over the two above)
//              max_failures_per_account = 5  max_failures_per_address = 20
//              failure_window_minutes = 15
Status read_config(const std::string& path, ServeArgs& a, server::ServerOptions& o) {
    toml::table t;
    try {
        t = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        const auto& where = e.source().begin;
        return make_error("cli.serve_config",
                          Location{path, static_cast<std::int64_t>(where.line), {}, {}},
                          {path, std::string(e.description())});
    }
    // A key kyso does not know is refused by name: a misspelt setting must not be ignored.
    static const std::set<std::string, std::less<>> kKeys = {
        "db",        "listen",  "tls_cert", "tls_key",       "client_ca",
        "templates", "threads", "sessions", "max_upload_mib"};
    static const std::set<std::string, std::less<>> kSessionKeys = {
        "idle_minutes",          "absolute_hours",           "idle_seconds",
        "absolute_seconds",      "max_failures_per_account", "max_failures_per_address",
        "failure_window_minutes"};
    auto unknown = [&](const toml::table& table, const auto& known,
                       const std::string& prefix) -> Status {
        for (const auto& [key, node] : table) {
            if (known.count(key.str()) != 0) continue;
            return make_error(
                "cli.serve_config_key",
                Location{path, static_cast<std::int64_t>(node.source().begin.line), {}, {}},
                {path, prefix + std::string(key.str())});
        }
        return Ok{};
    };
    if (auto ok = unknown(t, kKeys, ""); !ok) return ok;
    if (const auto* sessions = t["sessions"].as_table())
        if (auto ok = unknown(*sessions, kSessionKeys, "sessions."); !ok) return ok;
    // A text setting: the option given on the command line wins; present, it must be text.
    auto take = [&](const char* key, std::string& into) -> Status {
        const auto node = t[key];
        if (!node) return Ok{};
        const auto v = node.value<std::string>();
        if (!v)
            return make_error(
                "cli.serve_config_text",
                Location{path, static_cast<std::int64_t>(node.node()->source().begin.line), {}, {}},
                {path, key});
        if (into.empty()) into = *v;
        return Ok{};
    };
    for (const auto& [key, into] : {std::pair<const char*, std::string*>{"db", &a.db},
                                    {"listen", &a.listen},
                                    {"tls_cert", &a.tls_cert},
                                    {"tls_key", &a.tls_key},
                                    {"client_ca", &a.client_ca},
                                    {"templates", &a.templates}})
        if (auto ok = take(key, *into); !ok) return ok;
    // A number setting: absent → unchanged; present, it must be an integer in [lo, hi].
    auto number = [&](const toml::node_view<toml::node>& node, const std::string& key,
                      std::int64_t lo, std::int64_t hi) -> Result<std::optional<std::int64_t>> {
        if (!node) return std::optional<std::int64_t>{};
        const auto v = node.value<std::int64_t>();
        if (!v || *v < lo || *v > hi)
            return make_error(
                "cli.serve_config_value",
                Location{path, static_cast<std::int64_t>(node.node()->source().begin.line), {}, {}},
                {path, key, std::to_string(lo), std::to_string(hi)});
        return std::optional<std::int64_t>{*v};
    };
    auto threads = number(t["threads"], "threads", 1, 1024);
    if (!threads) return threads.error();
    if (*threads) o.threads = static_cast<std::size_t>(**threads);
    auto upload = number(t["max_upload_mib"], "max_upload_mib", 1, 4096);
    if (!upload) return upload.error();
    if (*upload) o.max_upload = static_cast<std::size_t>(**upload) << 20;
    auto idle = number(t["sessions"]["idle_minutes"], "sessions.idle_minutes", 1, 24 * 60);
    if (!idle) return idle.error();
    if (*idle) o.sessions.idle_timeout = std::chrono::minutes(**idle);
    auto absolute = number(t["sessions"]["absolute_hours"], "sessions.absolute_hours", 1, 24 * 7);
    if (!absolute) return absolute.error();
    if (*absolute) o.sessions.absolute_timeout = std::chrono::hours(**absolute);
    auto idle_s = number(t["sessions"]["idle_seconds"], "sessions.idle_seconds", 1, 24 * 3600);
    if (!idle_s) return idle_s.error();
    if (*idle_s) o.sessions.idle_timeout = std::chrono::seconds(**idle_s);
    auto absolute_s =
        number(t["sessions"]["absolute_seconds"], "sessions.absolute_seconds", 1, 7 * 24 * 3600);
    if (!absolute_s) return absolute_s.error();
    if (*absolute_s) o.sessions.absolute_timeout = std::chrono::seconds(**absolute_s);
    auto per_account = number(t["sessions"]["max_failures_per_account"],
                              "sessions.max_failures_per_account", 1, 1000);
    if (!per_account) return per_account.error();
    if (*per_account) o.sessions.max_failures_per_account = static_cast<int>(**per_account);
    auto per_address = number(t["sessions"]["max_failures_per_address"],
                              "sessions.max_failures_per_address", 1, 100000);
    if (!per_address) return per_address.error();
    if (*per_address) o.sessions.max_failures_per_address = static_cast<int>(**per_address);
    auto window = number(t["sessions"]["failure_window_minutes"], "sessions.failure_window_minutes",
                         1, 24 * 60);
    if (!window) return window.error();
    if (*window) o.sessions.failure_window = std::chrono::minutes(**window);
    return Ok{};
}

int run_serve(ServeArgs& a) {
    server::ServerOptions o;
    if (!a.config.empty())
        if (auto ok = read_config(a.config, a, o); !ok) return report(ok.error());
    if (a.db.empty()) return report(make_error("cli.serve_db", Location{}, {}));
    o.db = a.db;
    if (a.listen.empty()) a.listen = "127.0.0.1:8443";
    if (auto ok = server::parse_listen(a.listen, o.host, o.port); !ok) return report(ok.error());
    if (a.tls_cert.empty() != a.tls_key.empty() || (!a.client_ca.empty() && a.tls_cert.empty()))
        return report(make_error("cli.serve_tls_pair", Location{}, {}));
    o.tls_cert = a.tls_cert;
    o.tls_key = a.tls_key;
    o.client_ca = a.client_ca;
    o.templates_dir = templates_dir(a.templates);

    // SIGTERM and SIGINT go to one thread that stops the server; every other thread (the
    // workers inherit this mask) never sees them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    server::HttpServer srv(o);
    if (auto ok = srv.bind(); !ok) return report(ok.error());
    const std::string url = std::string(srv.tls() ? "https://" : "http://") +
                            (o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host) +
                            ":" + std::to_string(srv.port());
    say("server.listening", {url});
    std::fflush(stdout);

    std::thread waiter([&] {
        int sig = 0;
        sigwait(&stop_signals, &sig);
        srv.stop();
    });
    srv.run();
    // run() returned: stopped by the waiter (or the socket failed: wake the waiter up).
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    say("server.stopped");
    return 0;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
    auto a = std::make_shared<ServeArgs>();
    CLI::App* cmd = app.add_subcommand("serve", message("cli.serve_help"));
    cmd->add_option("--db", a->db, message("cli.opt_db"));
    cmd->add_option("--listen", a->listen, message("cli.opt_listen"));
    cmd->add_option("--tls-cert", a->tls_cert, message("cli.opt_tls_cert"));
    cmd->add_option("--tls-key", a->tls_key, message("cli.opt_tls_key"));
    cmd->add_option("--client-ca", a->client_ca, message("cli.opt_client_ca"));
    cmd->add_option("--config", a->config, message("cli.opt_config"));
    cmd->add_option("--templates", a->templates, message("cli.opt_templates"));
    cmd->callback([a, &exit_code] { exit_code = run_serve(*a); });
}

}  // namespace kyso::cli
