// kyso server — the background jobs in /metrics (job_metrics.h).
#include "server/job_metrics.h"

#include <map>
#include <utility>

namespace kyso::server {

namespace {

// A label value as the exposition format writes it (kinds and states are plain words).
std::string quoted(const std::string& v) {
    std::string out = "\"";
    for (char c : v) {
        if (c == '\\' || c == '"' || c == '\n') out += '\\';
        out += c == '\n' ? 'n' : c;
    }
    return out + "\"";
}

}  // namespace

void add_job_metrics(Metrics& metrics, std::shared_ptr<jobs::JobCounters> counters,
                     std::vector<std::string> kinds) {
    metrics.add_counter(
        "kyso_jobs_total", "Background jobs this server finished, by kind and end state.",
        [counters, kinds] {
            std::map<std::pair<std::string, std::string>, double> all;
            for (const std::string& k : kinds)
                for (const char* state : {"succeeded", "failed", "cancelled"}) all[{k, state}] = 0;
            for (const auto& [key, n] : counters->finished_counts())
                all[key] = static_cast<double>(n);
            std::vector<std::pair<std::string, double>> out;
            for (const auto& [key, n] : all)
                out.emplace_back("kind=" + quoted(key.first) + ",state=" + quoted(key.second), n);
            return out;
        });
    metrics.add_gauge("kyso_jobs_running", "Background jobs this server runs now, by kind.",
                      [counters, kinds] {
                          std::map<std::string, double> all;
                          for (const std::string& k : kinds) all[k] = 0;
                          for (const auto& [k, n] : counters->running_counts())
                              all[k] = static_cast<double>(n);
                          std::vector<std::pair<std::string, double>> out;
                          for (const auto& [k, n] : all) out.emplace_back("kind=" + quoted(k), n);
                          return out;
                      });
}

}  // namespace kyso::server
