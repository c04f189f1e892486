// kyso server — the background jobs in /metrics (issue 13 "Operations basics"): the counter
// kyso_jobs_total{kind,state} of the jobs this server finished (succeeded, failed, cancelled)
// and the gauge kyso_jobs_running{kind} of those it runs now, from its job runner's counters.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "jobs/job_runner.h"
#include "server/metrics.h"

namespace kyso::server {

// Registers both metrics on `metrics`, reading `counters`; every kind of `kinds` is shown, at 0
// until it has run.
void add_job_metrics(Metrics& metrics, std::shared_ptr<jobs::JobCounters> counters,
                     std::vector<std::string> kinds);

}  // namespace kyso::server
