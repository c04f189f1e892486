// kyso server — Prometheus text exposition of request counts, latencies and gauges.
#include "server/metrics.h"

#include <cstdio>
#include <tuple>

namespace kyso::server {

const std::vector<double>& latency_bounds() {
    static const std::vector<double> b = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    return b;
}

void Metrics::observe(const std::string& route, const std::string& method, int status,
                      double seconds) {
    std::lock_guard lock(mu_);
    ++requests_[Key{route, method, status}];
    Histogram& h = latency_[route];
    const auto& bounds = latency_bounds();
    if (h.buckets.empty()) h.buckets.assign(bounds.size(), 0);
    for (std::size_t i = 0; i < bounds.size(); ++i)
        if (seconds <= bounds[i]) ++h.buckets[i];
    ++h.count;
    h.sum += seconds;
}

void Metrics::add_gauge(std::string name, std::string help,
                        std::function<std::vector<std::pair<std::string, double>>()> read) {
    std::lock_guard lock(mu_);
    gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(read)});
}

void Metrics::add_counter(std::string name, std::string help,
                          std::function<std::vector<std::pair<std::string, double>>()> read) {
    std::lock_guard lock(mu_);
    gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(read), "counter"});
}

namespace {

// A label value escaped as the exposition format asks (backslash, quote, newline).
std::string label(const std::string& v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

}  // namespace

std::string Metrics::render() const {
    std::vector<Gauge> gauges;
    std::string out;
    {
        std::lock_guard lock(mu_);
        out +=
            "# HELP kyso_http_requests_total HTTP requests answered, by route, method and "
            "status.\n# TYPE kyso_http_requests_total counter\n";
        for (const auto& [k, n] : requests_)
            out += "kyso_http_requests_total{route=\"" + label(k.route) + "\",method=\"" +
                   k.method + "\",status=\"" + std::to_string(k.status) + "\"} " +
                   std::to_string(n) + "\n";
        out +=
            "# HELP kyso_http_request_duration_seconds Time to answer a request, by route.\n"
            "# TYPE kyso_http_request_duration_seconds histogram\n";
        const auto& bounds = latency_bounds();
        for (const auto& [route, h] : latency_) {
            const std::string r = "route=\"" + label(route) + "\"";
            for (std::size_t i = 0; i < bounds.size(); ++i)
                out += "kyso_http_request_duration_seconds_bucket{" + r + ",le=\"" +
                       number(bounds[i]) + "\"} " + std::to_string(h.buckets[i]) + "\n";
            out += "kyso_http_request_duration_seconds_bucket{" + r + ",le=\"+Inf\"} " +
                   std::to_string(h.count) + "\n";
            out += "kyso_http_request_duration_seconds_sum{" + r + "} " + number(h.sum) + "\n";
            out += "kyso_http_request_duration_seconds_count{" + r + "} " +
                   std::to_string(h.count) + "\n";
        }
        gauges = gauges_;
    }
    // Gauges read outside the lock: they may query the database.
    for (const Gauge& g : gauges) {
        out += "# HELP " + g.name + " " + g.help + "\n# TYPE " + g.name + " " + g.type + "\n";
        for (const auto& [labels, v] : g.read())
            out += g.name + (labels.empty() ? "" : "{" + labels + "}") + " " + number(v) + "\n";
    }
    return out;
}

}  // namespace kyso::server
