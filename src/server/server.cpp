// kyso server — cpp-httplib set up for kyso: one dispatcher for every route of the table, with
// limits, authentication, roles, CSRF, JSON errors, request ids, logs and metrics.
#include "server/server.h"

#include <httplib.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include "core/messages.h"
#include "jobs/batch_render_job.h"
#include "jobs/job_kinds.h"
#include "jobs/job_runner.h"
#include "server/auth.h"
#include "server/errors.h"
#include "server/job_metrics.h"
#include "server/json_body.h"
#include "server/route.h"
#include "server/server_state.h"
#include "server/store_pool.h"
#include "store/store.h"

namespace kyso::server {

Status parse_listen(const std::string& text, std::string& host, int& port) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string::npos || colon + 1 >= text.size())
        return make_error("server.listen_syntax", Location{{}, 0, "--listen", {}}, {text});
    std::string h = text.substr(0, colon);
    if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
    int p = 0;
    for (char c : text.substr(colon + 1)) {
        if (c < '0' || c > '9' || p > 65535)
            return make_error("server.listen_syntax", Location{{}, 0, "--listen", {}}, {text});
        p = p * 10 + (c - '0');
    }
    if (h.empty() || p > 65535)
        return make_error("server.listen_syntax", Location{{}, 0, "--listen", {}}, {text});
    host = h;
    port = p;
    return Ok{};
}

namespace {

std::optional<Method> method_of(const std::string& m) {
    if (m == "GET" || m == "HEAD") return Method::get;
    if (m == "POST") return Method::post;
    if (m == "PUT") return Method::put;
    if (m == "PATCH") return Method::patch;
    if (m == "DELETE") return Method::del;
    return std::nullopt;
}

// A client's X-Request-Id when it is a short token of safe characters, else a new one: it goes
// into every log line, so nothing else may (no injection into the JSON logs).
std::string request_id_of(const httplib::Request& req) {
    const std::string given = req.get_header_value("X-Request-Id");
    bool ok = !given.empty() && given.size() <= 64;
    for (char c : given)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
            ok = false;
    if (ok) return given;
    thread_local std::mt19937_64 rng{std::random_device{}()};
    char buf[33];
    std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(rng()),
                  static_cast<unsigned long long>(rng()));
    return buf;
}

// The client certificate of a mutual-TLS connection that the handshake verified, as PEM.
std::string peer_certificate_pem(const httplib::Request& req) {
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
    if (req.ssl == nullptr) return {};
    if (SSL_get_verify_result(req.ssl) != X509_V_OK) return {};
    X509* cert = SSL_get0_peer_certificate(req.ssl);
    if (cert == nullptr) return {};
    BIO* bio = BIO_new(BIO_s_mem());
    if (bio == nullptr) return {};
    std::string pem;
    if (PEM_write_bio_X509(bio, cert) == 1) {
        char* data = nullptr;
        const long n = BIO_get_mem_data(bio, &data);
        if (n > 0) pem.assign(data, static_cast<std::size_t>(n));
    }
    BIO_free(bio);
    return pem;
#else
    (void)req;
    return {};
#endif
}

std::shared_ptr<spdlog::logger> request_logger() {
    static std::shared_ptr<spdlog::logger> logger = [] {
        auto l = spdlog::stderr_logger_mt("kyso-serve");
        l->set_pattern("%v");  // each line is one JSON object we build
        return l;
    }();
    return logger;
}

}  // namespace

struct HttpServer::Impl {
    ServerState state;
    std::unique_ptr<jobs::JobRunner> runner;  // background jobs, started with run()
    std::unique_ptr<httplib::Server> http;
    int port = 0;
    std::atomic<bool> run_entered{false}, run_returned{false};  // run() entered, returned

    void dispatch(const httplib::Request& req, httplib::Response& res);
    void write(const Context& ctx, const Route* route, const Response& r,
               httplib::Response& res) const;
    void log(const httplib::Request& req, const Context& ctx, const Route* route, int status,
             double seconds, const std::string& code) const;
};

HttpServer::HttpServer(ServerOptions options) : impl_(std::make_unique<Impl>()) {
    impl_->state.options = std::move(options);
}

HttpServer::~HttpServer() = default;

int HttpServer::port() const {
    return impl_->port;
}
bool HttpServer::tls() const {
    return impl_->state.tls;
}

Status HttpServer::bind() {
    ServerOptions& o = impl_->state.options;
    // The database once on this thread: migrations run here, before any worker opens it.
    if (auto s = thread_stores(o.db); !s) return s.error();
    if (!o.tls_cert.empty() || !o.tls_key.empty()) {
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
        const std::string cert = o.tls_cert, key = o.tls_key, ca = o.client_ca;
        bool ctx_ok = true;
        auto ssl = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
            ctx_ok = SSL_CTX_use_certificate_chain_file(&ctx, cert.c_str()) == 1 &&
                     SSL_CTX_use_PrivateKey_file(&ctx, key.c_str(), SSL_FILETYPE_PEM) == 1 &&
                     SSL_CTX_check_private_key(&ctx) == 1;
            SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
            if (ctx_ok && !ca.empty()) {
                // Mutual TLS is offered, not required: a browser without a certificate still
                // signs in with a password; a certificate that does not chain to --client-ca
                // fails the handshake.
                ctx_ok = SSL_CTX_load_verify_locations(&ctx, ca.c_str(), nullptr) == 1;
                if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(ca.c_str()))
                    SSL_CTX_set_client_CA_list(&ctx, names);
                SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr);
            }
            return ctx_ok;
        });
        if (!ctx_ok || !ssl->is_valid())
            return make_error("server.tls", Location{o.tls_cert, 0, "--tls-cert", {}},
                              {o.tls_cert, o.tls_key});
        impl_->http = std::move(ssl);
        impl_->state.tls = true;
#else
        return make_error("server.tls", Location{}, {o.tls_cert, o.tls_key});
#endif
    } else {
        impl_->http = std::make_unique<httplib::Server>();
    }
    httplib::Server& s = *impl_->http;
    const std::size_t threads = o.threads;
    s.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    s.set_payload_max_length(o.max_upload);
    s.set_read_timeout(o.read_timeout_s, 0);
    s.set_write_timeout(o.write_timeout_s, 0);
    s.set_keep_alive_timeout(o.keep_alive_s);
    s.set_keep_alive_max_count(100);
    Impl* impl = impl_.get();
    auto handler = [impl](const httplib::Request& req, httplib::Response& res) {
        impl->dispatch(req, res);
    };
    s.Get(".*", handler);
    s.Post(".*", handler);
    s.Put(".*", handler);
    s.Patch(".*", handler);
    s.Delete(".*", handler);
    // A body too large for its route is refused once read (dispatch); one larger than
    // max_upload is refused by httplib itself (413) without being read. httplib's own refusals
    // (413, a request it cannot parse) get the same JSON error body as kyso's.
    const std::size_t max_upload = o.max_upload;
    s.set_error_handler(httplib::Server::HandlerWithResponse(
        [max_upload](const httplib::Request& req, httplib::Response& res) {
            if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
            const bool english = wants_english(req.get_header_value("Accept-Language"));
            // The message arguments: the server's limit for a 413, else the status.
            const std::string arg = std::to_string(res.status == 413 ? max_upload : res.status);
            const std::string_view code =
                res.status == 413 ? "server.upload_too_large" : "server.http_error";
            const ApiError e{res.status,
                             std::string(code),
                             message(code, {arg}, false),
                             message(code, {arg}, true),
                             {}};
            res.set_content(error_body(e, english).dump(), "application/json");
            return httplib::Server::HandlerResponse::Handled;
        }));
    const int bound =
        o.port == 0 ? s.bind_to_any_port(o.host) : (s.bind_to_port(o.host, o.port) ? o.port : -1);
    if (bound <= 0) return make_error("server.bind", Location{}, {o.host, std::to_string(o.port)});
    impl_->port = bound;
    return Ok{};
}

void HttpServer::run() {
    impl_->run_entered = true;
    if (impl_->http && !impl_->state.stopping) {
        // The jobs run while the server serves; a job still running when it stops ends failed
        // ("the server stopped"), having written nothing.
        auto handlers = jobs::builtin_handlers();
        handlers[std::string(jobs::kBatchRender)] =
            jobs::batch_render_handler(impl_->state.options.templates_dir);
        jobs::RunnerOptions run_options;
        run_options.counters = std::make_shared<jobs::JobCounters>();
        impl_->runner = std::make_unique<jobs::JobRunner>(impl_->state.options.db,
                                                          std::move(handlers), run_options);
        add_job_metrics(impl_->state.metrics, run_options.counters, impl_->runner->kinds());
        if (impl_->runner->start()) impl_->state.jobs = impl_->runner.get();
        impl_->http->listen_after_bind();
        impl_->state.jobs = nullptr;
        impl_->runner->stop();
    }
    impl_->run_returned = true;
}

void HttpServer::stop() {
    impl_->state.stopping = true;
    if (!impl_->http) return;
    // httplib's stop() does nothing before its listen loop runs: a stop() that comes while run()
    // is starting waits for the loop (or for run() to see `stopping` and return).
    for (int i = 0;
         i < 1000 && impl_->run_entered && !impl_->run_returned && !impl_->http->is_running(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    impl_->http->stop();
}

void HttpServer::Impl::write(const Context& ctx, const Route* route, const Response& r,
                             httplib::Response& res) const {
    (void)route;
    res.status = r.status;
    for (const auto& [k, v] : r.headers) res.set_header(k, v);
    res.set_header("X-Request-Id", ctx.request_id);
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Cache-Control", "no-store");
    if (r.error) {
        res.set_content(error_body(*r.error, ctx.english).dump(), "application/json");
    } else if (r.bytes) {
        res.set_content(*r.bytes, r.content_type);
    } else if (r.status != 204) {
        res.set_content(r.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                        "application/json");
    }
}

void HttpServer::Impl::log(const httplib::Request& req, const Context& ctx, const Route* route,
                           int status, double seconds, const std::string& code) const {
    if (!state.options.log_requests) return;
    // Only what is safe to keep: never a header, a query string or a body (passwords, tokens,
    // cookies, keys, CCCD numbers travel there). The path of a matched route is its pattern.
    nlohmann::json line = {{"ts", std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count()},
                           {"level", status >= 500 ? "error" : "info"},
                           {"msg", "request"},
                           {"request_id", ctx.request_id},
                           {"method", req.method},
                           {"route", route != nullptr ? route->path : std::string("unmatched")},
                           {"status", status},
                           {"ms", static_cast<std::int64_t>(seconds * 1000)},
                           {"user", ctx.principal.user.username},
                           {"peer", req.remote_addr}};
    if (!code.empty()) line["error"] = code;
    request_logger()->info(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void HttpServer::Impl::dispatch(const httplib::Request& req, httplib::Response& res) {
    const auto started = std::chrono::steady_clock::now();
    Context ctx;
    ctx.state = &state;
    ctx.english = wants_english(req.get_header_value("Accept-Language"));
    ctx.request_id = request_id_of(req);
    ctx.peer_address = req.remote_addr;
    ctx.templates_dir = state.options.templates_dir;
    const Route* route = nullptr;
    Response r;
    auto finish = [&] {
        write(ctx, route, r, res);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        state.metrics.observe(route != nullptr ? route->path : "unmatched", req.method, r.status,
                              seconds);
        log(req, ctx, route, r.status, seconds, r.error ? r.error->code : std::string());
    };

    const auto method = method_of(req.method);
    if (!method) {
        r = ctx.fail(405, "server.method", {req.method});
        return finish();
    }
    const auto match = route_table().match(*method, req.path);
    if (match.route == nullptr) {
        r = match.path_known ? ctx.fail(405, "server.method", {req.method})
                             : ctx.fail(404, "server.not_found", {req.path});
        if (match.path_known) {
            // RFC 9110 §15.5.6: a 405 lists the methods the path has.
            std::string allow;
            for (const Method m : match.allowed)
                allow += (allow.empty() ? "" : ", ") + std::string(to_string(m));
            r.headers["Allow"] = allow;
        }
        return finish();
    }
    route = match.route;
    ctx.path_params = match.params;
    for (const auto& [k, v] : req.params) ctx.query.emplace(k, v);
    for (const auto& [k, v] : req.headers) {
        std::string lower = k;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower == "cookie" || lower == "authorization") continue;  // credentials stay here
        ctx.headers.emplace(lower, v);
    }
    if (req.body.size() > route->body_limit) {
        r = ctx.fail(413, "server.too_large",
                     {std::to_string(req.body.size()), std::to_string(route->body_limit)});
        return finish();
    }

    auto stores = thread_stores(state.options.db);
    if (!stores) {
        r = ctx.fail(stores.error(), 503);
        return finish();
    }
    ctx.stores = *stores;
    ctx.tls_peer_cert_pem = peer_certificate_pem(req);

    if (!route->is_public) {
        auto principal = authenticate(state, ctx.stores, req.get_header_value("Cookie"),
                                      req.get_header_value("Authorization"));
        if (!principal) {
            r = ctx.fail(principal.error(), 401);
            if (principal.error().code == "auth.session_expired")
                r.headers["Set-Cookie"] = session_cookie("", state.tls, 0);
            return finish();
        }
        ctx.principal = std::move(*principal);
        // Deny by default: a route without the caller's role is refused, whatever it is.
        if (!route->allows(ctx.principal.user.role)) {
            r = ctx.fail(
                403, "server.forbidden",
                {ctx.principal.user.username, std::string(to_string(ctx.principal.user.role)),
                 std::string(to_string(route->method)), route->path});
            return finish();
        }
        if (route->changes_state) {
            if (auto ok = check_csrf(ctx.principal, req.get_header_value("X-CSRF-Token")); !ok) {
                r = ctx.fail(ok.error(), 403, "X-CSRF-Token");
                return finish();
            }
        }
    }

    if (!route->request_schema.is_null()) {
        // JSON only: a cross-site HTML form can send text/plain or a form encoding, never
        // application/json without the browser asking first (CORS preflight).
        const std::string type = req.get_header_value("Content-Type");
        if (!req.body.empty() && type.substr(0, type.find(';')) != "application/json") {
            r = ctx.fail(415, "server.media_type", {type}, "Content-Type");
            return finish();
        }
        if (req.body.empty()) {
            r = ctx.fail(400, "server.body_missing", {});
            return finish();
        }
        auto body = parse_json_body(req.body);
        if (!body) {
            r = ctx.fail(body.error(), 400);
            return finish();
        }
        ctx.body = std::move(*body);
    }

    try {
        r = route->handler(ctx);
    } catch (const std::exception& e) {
        // A handler's fault is the server's: logged with the request id, never shown.
        request_logger()->error(nlohmann::json{
            {"level", "error"},
            {"msg", "handler threw"},
            {"request_id", ctx.request_id},
            {"route", route->path},
            {"what", e.what()}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        r = ctx.fail(500, "server.internal", {ctx.request_id});
    }
    finish();
}

}  // namespace kyso::server
