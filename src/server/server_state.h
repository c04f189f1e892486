// kyso server — what every handler may read of the running server: its options, its metrics
// and the session policy.
#pragma once

#include <atomic>

#include "jobs/job_runner.h"
#include "server/metrics.h"
#include "server/server.h"

namespace kyso::server {

struct ServerState {
    ServerOptions options;
    Metrics metrics;
    bool tls = false;
    std::atomic<bool> stopping{false};  // SIGTERM received: /readyz says so
    jobs::JobRunner* jobs = nullptr;    // the background jobs of this server (notify on queue)
};

}  // namespace kyso::server
