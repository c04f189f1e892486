// kyso server — /metrics in the Prometheus text format (version 0.0.4): requests by route and
// status, a latency histogram per route, and gauges others set (background jobs).
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace kyso::server {

class Metrics {
public:
    // One answered request: the route's pattern ("/api/v1/requests/{id}", or "unmatched"), the
    // method, the status and how long it took in seconds.
    void observe(const std::string& route, const std::string& method, int status, double seconds);
    // A gauge read when /metrics is served (e.g. jobs by state, from the database).
    void add_gauge(std::string name, std::string help,
                   std::function<std::vector<std::pair<std::string, double>>()> read);
    // A counter read the same way (e.g. jobs finished, kept by the job runner).
    void add_counter(std::string name, std::string help,
                     std::function<std::vector<std::pair<std::string, double>>()> read);
    // The exposition text.
    std::string render() const;

private:
    struct Key {
        std::string route, method;
        int status;
        bool operator<(const Key& o) const {
            return std::tie(route, method, status) < std::tie(o.route, o.method, o.status);
        }
    };
    struct Histogram {
        std::vector<unsigned long long> buckets;  // cumulative counts per bound
        unsigned long long count = 0;
        double sum = 0;
    };
    struct Gauge {
        std::string name, help;
        std::function<std::vector<std::pair<std::string, double>>()> read;
        std::string type = "gauge";
    };
    mutable std::mutex mu_;
    std::map<Key, unsigned long long> requests_;
    std::map<std::string, Histogram> latency_;  // by route
    std::vector<Gauge> gauges_;
};

// Latency bucket bounds, seconds.
const std::vector<double>& latency_bounds();

}  // namespace kyso::server
