// kyso server — `kyso serve`: the HTTP(S) server that dispatches every request through the one
// route table (route.h): limits, authentication, roles, CSRF, JSON errors, logs and metrics.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "accounts/sessions.h"
#include "core/result.h"

namespace kyso::server {

struct ServerOptions {
    std::string db;                      // --db: SQLite file or postgresql://…
    std::string host = "127.0.0.1";      // --listen ADDR:PORT
    int port = 8443;                     // 0: an ephemeral port (tests)
    std::string tls_cert, tls_key;       // both or neither: HTTPS
    std::string client_ca;               // mutual TLS: client certificates chaining here
    std::string templates_dir;           // letter templates (batch documents)
    std::size_t max_upload = 64u << 20;  // bytes: the largest body of any route
    int read_timeout_s = 10;             // per read of a request: a silent client is dropped
    int write_timeout_s = 30;
    int keep_alive_s = 5;
    std::size_t threads = 32;           // workers kept; requests handled at once ≤ this
    std::size_t max_connections = 512;  // workers at most: one per open connection (slowloris)
    bool log_requests = true;           // one JSON line per request on stderr
    accounts::SessionPolicy sessions;   // idle and absolute timeouts, sign-in rate limits
};

// "ADDR:PORT" or "[v6]:PORT" into host and port; server.listen_syntax otherwise.
Status parse_listen(const std::string& text, std::string& host, int& port);

class HttpServer {
public:
    explicit HttpServer(ServerOptions options);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Opens the database once (migrations current), loads TLS, binds the address: errors
    // server.bind, server.tls, and the store's own.
    Status bind();
    // The port bound (the ephemeral one when options.port was 0).
    int port() const;
    bool tls() const;
    // Serves until stop(): blocks. In-flight requests finish before it returns.
    void run();
    // Stops accepting; run() returns once the requests in flight are answered. Safe from any
    // thread (not from a signal handler: see cmd_serve's signal thread).
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kyso::server
