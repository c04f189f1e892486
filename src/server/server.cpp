// kyso server — cpp-httplib set up for kyso: one dispatcher for every route of the table, with
// limits, authentication, roles, CSRF, JSON errors, request ids, logs and metrics.
#include "server/server.h"

#include <httplib.h>
#include <malloc.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <random>
#include <string_view>
#include <thread>

#include "core/messages.h"
#include "jobs/batch_render_job.h"
#include "jobs/job_kinds.h"
#include "jobs/job_runner.h"
#include "server/auth.h"
#include "server/errors.h"
#include "server/gate.h"
#include "server/job_metrics.h"
#include "server/json_body.h"
#include "server/route.h"
#include "server/server_state.h"
#include "server/store_pool.h"
#include "server/worker_pool.h"
#include "store/postgres/connection.h"
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

// The method as a metrics and log label: one of HTTP's, or "-" for a request line httplib
// could not read (its method is then whatever the client sent).
std::string method_label(const std::string& m) {
    for (const char* known :
         {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE"})
        if (m == known) return m;
    return "-";
}

// `text` with every byte that is not printable ASCII or part of valid UTF-8 percent-encoded, so
// a path of any bytes can be named in a message and a JSON body.
std::string printable(std::string_view text) {
    std::string out;
    while (!text.empty()) {
        const std::size_t bad = first_invalid_utf8(text);
        const std::string_view good = text.substr(0, bad);
        for (char c : good) {
            const auto u = static_cast<unsigned char>(c);
            if (u < 0x20 || u == 0x7F) {
                char buf[4];
                std::snprintf(buf, sizeof buf, "%%%02X", u);
                out += buf;
            } else {
                out += c;
            }
        }
        if (bad == std::string_view::npos) break;
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(text[bad]));
        out += buf;
        text.remove_prefix(bad + 1);
    }
    return out;
}

// The Content-Length headers of a request are one decimal number (RFC 9110 §8.6, RFC 9112
// §6.3): nullopt when they are, else the offending value. `length` gets the number (0 when
// absent).
std::optional<std::string> bad_content_length(const httplib::Request& req, std::uint64_t& length) {
    length = 0;
    std::optional<std::uint64_t> seen;
    const auto range = req.headers.equal_range("Content-Length");
    for (auto it = range.first; it != range.second; ++it) {
        const std::string& v = it->second;
        std::uint64_t n = 0;
        // 19 digits always fit in 64 bits; longer is far past any limit anyway.
        bool ok = !v.empty() && v.size() <= 19;
        for (char c : v) {
            if (c < '0' || c > '9') ok = false;
            if (ok) n = n * 10 + static_cast<std::uint64_t>(c - '0');
        }
        if (!ok || (seen && *seen != n)) return v;
        seen = n;
    }
    if (seen) length = *seen;
    return std::nullopt;
}

// A Content-Type of JSON: "application/json", its type and subtype in any case (RFC 9110
// §8.3.1), with optional whitespace and parameters ("; charset=utf-8"; another charset is not
// JSON, RFC 8259 §8.1).
bool is_json_media_type(std::string_view type) {
    auto lower = [](std::string_view t) {
        std::string out(t);
        for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return out;
    };
    auto trim = [](std::string_view t) {
        while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
        while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
        return t;
    };
    const std::size_t semi = type.find(';');
    if (lower(trim(type.substr(0, semi))) != "application/json") return false;
    std::string_view rest = semi == std::string_view::npos ? std::string_view() : type.substr(semi);
    while (!rest.empty()) {
        rest.remove_prefix(1);  // the ';'
        const std::size_t next = rest.find(';');
        const std::string param = lower(trim(rest.substr(0, next)));
        rest = next == std::string_view::npos ? std::string_view() : rest.substr(next);
        if (param.rfind("charset=", 0) == 0) {
            std::string v = param.substr(8);
            if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
            if (v != "utf-8" && v != "utf8") return false;
        }
    }
    return true;
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
    // The requests' store connections (made in bind(); outlives the HTTP server's threads).
    std::unique_ptr<StorePool> stores;
    std::unique_ptr<jobs::JobRunner> runner;  // background jobs, started with run()
    std::unique_ptr<httplib::Server> http;
    int port = 0;
    std::atomic<bool> run_entered{false}, run_returned{false};  // run() entered, returned
    // Requests handled at once (after their body is read): connection threads may be many
    // (worker_pool.h), but that many queries at once on a few cores only slow each other down.
    std::unique_ptr<Gate> handling;

    void dispatch(const httplib::Request& req, httplib::Response& res);
    // Before the body is read: a Content-Length that is not one decimal number of at most 19
    // digits is refused with 400 (server.content_length) at once, and the connection closed.
    // True: go on.
    bool screen(const httplib::Request& req, httplib::Response& res);
    // The answers httplib makes itself (a request line or header it cannot read, 413, 414, a
    // handler's exception): kyso's JSON error body, headers, log line and metrics.
    void own_answer(const httplib::Request& req, httplib::Response& res);
    void write(const Context& ctx, const Route* route, const Response& r,
               httplib::Response& res) const;
    void log(const httplib::Request& req, const Context& ctx, const std::string& route, int status,
             double seconds, const std::string& code) const;
    // Writes `r`, counts it in the metrics and logs it: the end of every request.
    void finish(const httplib::Request& req, const Context& ctx, const Route* route,
                const Response& r, httplib::Response& res,
                std::chrono::steady_clock::time_point started);
    Context context_of(const httplib::Request& req) const;
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
    // glibc's allocator: blocks up to 32 MiB come from the heap and up to 128 MiB stay free in
    // it, instead of a fresh mmap (zeroed pages, faults, munmap) for each block above the
    // default threshold: a search's full-text lists and pages are such blocks, and a hundred
    // connection threads turned that into much of the server's time (perf under
    // bench/serve.sh). mallopt(3).
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 128 * 1024 * 1024);
    // The database once, here: migrations run before any request is served; the set opened is
    // kept for the first request.
    impl_->stores = std::make_unique<StorePool>(o.db);
    if (auto s = impl_->stores->take(); !s) return s.error();
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
    // httplib holds a thread per connection for its whole life; the pool grows past `threads`
    // (up to max_connections) so that slow clients each hold only their own (slowloris), and
    // each read of a request waits at most read_timeout_s. The database connections do not
    // grow with them: a request takes a set from the store pool once through the gate, so there
    // are at most `at_once` sets (store_pool.h).
    const std::size_t threads = o.threads;
    const std::size_t max_connections = std::max(o.threads, o.max_connections);
    // Per core, at most `threads`: on SQLite two (a request's work is this process's own, and
    // more at once only take turns on the cores: at 1M on two cores the mixed workload of
    // bench/serve.sh ran at 866 requests/s with one per core, 1,092 with two, 921 with four);
    // on PostgreSQL four (a request mostly waits for the database server; with two per core
    // the same workload ran no faster: 377 requests/s, against 378–457 with four).
    const std::size_t per_core = store::postgres::is_postgres_location(o.db) ? 4 : 2;
    const std::size_t at_once = std::max<std::size_t>(
        1, std::min<std::size_t>(threads,
                                 std::max(1u, std::thread::hardware_concurrency()) * per_core));
    impl_->handling = std::make_unique<Gate>(at_once);
    s.new_task_queue = [threads, max_connections] {
        return new WorkerPool(threads, max_connections, std::chrono::seconds(30));
    };
    s.set_payload_max_length(o.max_upload);
    s.set_read_timeout(o.read_timeout_s, 0);
    s.set_write_timeout(o.write_timeout_s, 0);
    s.set_keep_alive_timeout(o.keep_alive_s);
    s.set_keep_alive_max_count(100);
    // A response goes out as two writes (head, then body): with Nagle's algorithm on, the body
    // waits for the client's delayed ACK of the head, 40 ms on Linux (tcp(7) TCP_NODELAY;
    // measured: every list answered in 44 ms on an idle server).
    s.set_tcp_nodelay(true);
    Impl* impl = impl_.get();
    auto handler = [impl](const httplib::Request& req, httplib::Response& res) {
        impl->dispatch(req, res);
    };
    s.Get(".*", handler);
    s.Post(".*", handler);
    s.Put(".*", handler);
    s.Patch(".*", handler);
    s.Delete(".*", handler);
    s.Options(".*", handler);
    // A body too large for its route is refused once read (dispatch); one larger than
    // max_upload is refused by httplib itself (413) without being kept; a Content-Length that is
    // not a number by screen() (400). httplib's own refusals (413, 414, a request it cannot parse)
    // get the same JSON error body, log line and metrics as kyso's.
    s.set_pre_routing_handler([impl](const httplib::Request& req, httplib::Response& res) {
        return impl->screen(req, res) ? httplib::Server::HandlerResponse::Unhandled
                                      : httplib::Server::HandlerResponse::Handled;
    });
    s.set_error_handler(httplib::Server::HandlerWithResponse(
        [impl](const httplib::Request& req, httplib::Response& res) {
            if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
            impl->own_answer(req, res);
            return httplib::Server::HandlerResponse::Handled;
        }));
    s.set_exception_handler(
        [impl](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
            // dispatch catches its handlers' exceptions; this is for anything else.
            res.status = 500;
            res.body.clear();
            impl->own_answer(req, res);
        });
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
    // Text that is not UTF-8 (a path or parameter echoed in a message) is replaced, never thrown.
    constexpr auto replace = nlohmann::json::error_handler_t::replace;
    if (r.error) {
        res.set_content(error_body(*r.error, ctx.english).dump(-1, ' ', false, replace),
                        "application/json");
    } else if (r.bytes) {
        res.set_content(*r.bytes, r.content_type);
    } else if (r.status != 204) {
        res.set_content(r.body.dump(-1, ' ', false, replace), "application/json");
    }
}

void HttpServer::Impl::log(const httplib::Request& req, const Context& ctx,
                           const std::string& route, int status, double seconds,
                           const std::string& code) const {
    if (!state.options.log_requests) return;
    // Only what is safe to keep: never a header, a path, a query string or a body (passwords,
    // tokens, cookies, keys, CCCD numbers travel there). A matched route is named by its pattern.
    nlohmann::json line = {{"ts", std::chrono::duration_cast<std::chrono::milliseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count()},
                           {"level", status >= 500 ? "error" : "info"},
                           {"msg", "request"},
                           {"request_id", ctx.request_id},
                           {"method", method_label(req.method)},
                           {"route", route},
                           {"status", status},
                           {"ms", static_cast<std::int64_t>(seconds * 1000)},
                           {"user", ctx.principal.user.username},
                           {"peer", req.remote_addr}};
    if (!code.empty()) line["error"] = code;
    request_logger()->info(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Context HttpServer::Impl::context_of(const httplib::Request& req) const {
    Context ctx;
    ctx.state = &state;
    ctx.english = wants_english(req.get_header_value("Accept-Language"));
    ctx.request_id = request_id_of(req);
    ctx.peer_address = req.remote_addr;
    ctx.templates_dir = state.options.templates_dir;
    return ctx;
}

void HttpServer::Impl::finish(const httplib::Request& req, const Context& ctx, const Route* route,
                              const Response& r, httplib::Response& res,
                              std::chrono::steady_clock::time_point started) {
    write(ctx, route, r, res);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string label = route != nullptr ? route->path : std::string("unmatched");
    state.metrics.observe(label, method_label(req.method), r.status, seconds);
    log(req, ctx, label, r.status, seconds, r.error ? r.error->code : std::string());
}

bool HttpServer::Impl::screen(const httplib::Request& req, httplib::Response& res) {
    const auto started = std::chrono::steady_clock::now();
    std::uint64_t length = 0;
    const auto bad = bad_content_length(req, length);
    // A number over max_upload is left to httplib: it reads the body without keeping it and
    // answers 413 (answering before the body is sent would reset a client still sending it).
    if (!bad) return true;
    const Context ctx = context_of(req);
    const Response r = ctx.fail(400, "server.content_length", {printable(*bad)}, "Content-Length");
    // The body is not read: the connection cannot carry another request. httplib 0.11 closes
    // after an answer only when the request asked to (its Connection header).
    auto& headers = const_cast<httplib::Headers&>(req.headers);
    headers.erase("Connection");
    headers.emplace("Connection", "close");
    finish(req, ctx, nullptr, r, res, started);
    return false;
}

void HttpServer::Impl::own_answer(const httplib::Request& req, httplib::Response& res) {
    const Context ctx = context_of(req);
    const int status = res.status;
    const std::size_t max_upload = state.options.max_upload;
    Response r;
    if (status == 413)
        r = ctx.fail(413, "server.upload_too_large", {std::to_string(max_upload)},
                     "Content-Length");
    else if (status == 414)
        r = ctx.fail(414, "server.uri_too_long", {"8192"});
    else if (status >= 500)
        r = ctx.fail(status, "server.internal", {ctx.request_id});
    else
        r = ctx.fail(status, "server.http_error", {std::to_string(status)});
    // Counted under the route the path names, when the request line could be read.
    const Route* route = nullptr;
    if (const auto m = method_of(req.method); m && !req.path.empty())
        route = route_table().match(*m, req.path).route;
    finish(req, ctx, route, r, res, std::chrono::steady_clock::now());
}

void HttpServer::Impl::dispatch(const httplib::Request& req, httplib::Response& res) {
    const auto started = std::chrono::steady_clock::now();
    const Gate::Pass pass(*handling);
    Context ctx = context_of(req);
    const Route* route = nullptr;
    Response r;
    auto done = [&] { finish(req, ctx, route, r, res, started); };

    // A path that is not UTF-8 names nothing kyso has (and could not be echoed as JSON text).
    if (first_invalid_utf8(req.path) != std::string_view::npos) {
        r = ctx.fail(404, "server.not_found", {printable(req.path)});
        return done();
    }
    if (req.method == "OPTIONS") {
        // RFC 9110 §9.3.7: the methods of a known path. No CORS: the API is same-origin only,
        // so there is no preflight to answer and no Access-Control-* header.
        std::string allow;
        for (const Method m :
             {Method::get, Method::post, Method::put, Method::patch, Method::del}) {
            if (route_table().match(m, req.path).route == nullptr) continue;
            allow += (allow.empty() ? "" : ", ") + std::string(to_string(m));
            if (m == Method::get) allow += ", HEAD";
        }
        if (allow.empty()) {
            r = ctx.fail(404, "server.not_found", {printable(req.path)});
            return done();
        }
        r.status = 204;
        r.headers["Allow"] = allow + ", OPTIONS";
        return done();
    }
    const auto method = method_of(req.method);
    if (!method) {
        r = ctx.fail(405, "server.method", {req.method});
        return done();
    }
    const auto match = route_table().match(*method, req.path);
    if (match.route == nullptr) {
        r = match.path_known ? ctx.fail(405, "server.method", {req.method})
                             : ctx.fail(404, "server.not_found", {printable(req.path)});
        if (match.path_known) {
            // RFC 9110 §15.5.6: a 405 lists the methods the path has.
            std::string allow;
            for (const Method m : match.allowed)
                allow += (allow.empty() ? "" : ", ") + std::string(to_string(m));
            r.headers["Allow"] = allow;
        }
        return done();
    }
    route = match.route;
    ctx.path_params = match.params;
    for (const auto& [k, v] : req.params) {
        // Every query value becomes text (a search, a reason in the audit log): bytes that are
        // not UTF-8 are refused here, naming the parameter, rather than matching nothing or
        // failing deep in a store (a 500 from the audit log's JSON).
        if (first_invalid_utf8(k) != std::string_view::npos ||
            first_invalid_utf8(v) != std::string_view::npos) {
            r = ctx.fail(400, "server.query_invalid_utf8", {printable(k)}, printable(k));
            return done();
        }
        ctx.query.emplace(k, v);
    }
    for (const auto& [k, v] : req.headers) {
        std::string lower = k;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower == "cookie" || lower == "authorization") continue;  // credentials stay here
        ctx.headers.emplace(lower, v);
    }
    if (req.body.size() > route->body_limit) {
        r = ctx.fail(413, "server.too_large",
                     {std::to_string(req.body.size()), std::to_string(route->body_limit)});
        return done();
    }

    auto lease = stores->take();  // given back when the request is answered
    if (!lease) {
        r = ctx.fail(lease.error(), 503);
        return done();
    }
    ctx.stores = lease->stores();
    ctx.tls_peer_cert_pem = peer_certificate_pem(req);

    if (!route->is_public) {
        auto principal = authenticate(state, ctx.stores, req.get_header_value("Cookie"),
                                      req.get_header_value("Authorization"));
        if (!principal) {
            // A database that cannot answer is not a failed sign-in (503, not 401).
            const bool store_fault = principal.error().code.rfind("store.", 0) == 0;
            r = ctx.fail(principal.error(), store_fault ? 0 : 401);
            if (principal.error().code == "auth.session_expired")
                r.headers["Set-Cookie"] = session_cookie("", state.tls, 0);
            return done();
        }
        ctx.principal = std::move(*principal);
        // Deny by default: a route without the caller's role is refused, whatever it is.
        if (!route->allows(ctx.principal.user.role)) {
            r = ctx.fail(
                403, "server.forbidden",
                {ctx.principal.user.username, std::string(to_string(ctx.principal.user.role)),
                 std::string(to_string(route->method)), route->path});
            return done();
        }
        if (route->changes_state) {
            if (auto ok = check_csrf(ctx.principal, req.get_header_value("X-CSRF-Token")); !ok) {
                r = ctx.fail(ok.error(), 403, "X-CSRF-Token");
                return done();
            }
        }
    }

    if (!route->request_schema.is_null()) {
        // JSON only: a cross-site HTML form can send text/plain or a form encoding, never
        // application/json without the browser asking first (CORS preflight).
        const std::string type = req.get_header_value("Content-Type");
        if (!req.body.empty() && !is_json_media_type(type)) {
            r = ctx.fail(415, "server.media_type", {type}, "Content-Type");
            return done();
        }
        if (req.body.empty() && !route->body_optional) {
            r = ctx.fail(400, "server.body_missing", {});
            return done();
        }
        if (!req.body.empty()) {
            auto body = parse_json_body(req.body);
            if (!body) {
                r = ctx.fail(body.error(), 400);
                return done();
            }
            ctx.body = std::move(*body);
        }
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
    done();
}

}  // namespace kyso::server
