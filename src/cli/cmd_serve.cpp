// kyso cli — `kyso serve`: the HTTP API (server/server.h) on one database, until SIGTERM or
// SIGINT, after which requests in flight finish and the process exits 0.
#include <pthread.h>
#include <signal.h>

#include <toml++/toml.h>
#include <cstdio>
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
    auto take = [&](const char* key, std::string& into) {
        if (into.empty())
            if (auto v = t[key].value<std::string>()) into = *v;
    };
    take("db", a.db);
    take("listen", a.listen);
    take("tls_cert", a.tls_cert);
    take("tls_key", a.tls_key);
    take("client_ca", a.client_ca);
    take("templates", a.templates);
    if (auto v = t["threads"].value<std::int64_t>(); v && *v > 0 && *v <= 1024)
        o.threads = static_cast<std::size_t>(*v);
    if (auto v = t["max_upload_mib"].value<std::int64_t>(); v && *v > 0 && *v <= 4096)
        o.max_upload = static_cast<std::size_t>(*v) << 20;
    if (auto v = t["sessions"]["idle_minutes"].value<std::int64_t>(); v && *v > 0)
        o.sessions.idle_timeout = std::chrono::minutes(*v);
    if (auto v = t["sessions"]["absolute_hours"].value<std::int64_t>(); v && *v > 0)
        o.sessions.absolute_timeout = std::chrono::hours(*v);
    if (auto v = t["sessions"]["idle_seconds"].value<std::int64_t>(); v && *v > 0)
        o.sessions.idle_timeout = std::chrono::seconds(*v);
    if (auto v = t["sessions"]["absolute_seconds"].value<std::int64_t>(); v && *v > 0)
        o.sessions.absolute_timeout = std::chrono::seconds(*v);
    if (auto v = t["sessions"]["max_failures_per_account"].value<std::int64_t>();
        v && *v > 0 && *v <= 1000)
        o.sessions.max_failures_per_account = static_cast<int>(*v);
    if (auto v = t["sessions"]["max_failures_per_address"].value<std::int64_t>();
        v && *v > 0 && *v <= 100000)
        o.sessions.max_failures_per_address = static_cast<int>(*v);
    if (auto v = t["sessions"]["failure_window_minutes"].value<std::int64_t>(); v && *v > 0)
        o.sessions.failure_window = std::chrono::minutes(*v);
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
