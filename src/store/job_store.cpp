// kyso store — what every back-end of JobStore shares: state names, times, opening by location.
#include "store/job_store.h"

#include <ctime>

#include "core/messages.h"
#include "store/postgres/connection.h"
#include "store/postgres/job_store_postgres.h"
#include "store/sqlite/job_store_sqlite.h"

namespace kyso::store {

std::string_view to_string(JobState s) {
    switch (s) {
        case JobState::queued:
            return "queued";
        case JobState::running:
            return "running";
        case JobState::succeeded:
            return "succeeded";
        case JobState::failed:
            return "failed";
        case JobState::cancelled:
            return "cancelled";
    }
    return "";
}

std::optional<JobState> parse_job_state(std::string_view s) {
    for (JobState v : {JobState::queued, JobState::running, JobState::succeeded, JobState::failed,
                       JobState::cancelled}) {
        if (to_string(v) == s) return v;
    }
    return std::nullopt;
}

bool finished(JobState s) {
    return s == JobState::succeeded || s == JobState::failed || s == JobState::cancelled;
}

std::string job_time(std::chrono::system_clock::time_point t) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
    const std::time_t secs = static_cast<std::time_t>(ms.count() / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[80];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms.count() % 1000));
    return buf;
}

Result<std::unique_ptr<JobStore>> open_job_store(const std::string& location) {
    const std::string_view loc(location);
    if (postgres::is_postgres_location(loc)) return postgres::open_postgres_job_store(location);
    constexpr std::string_view kSqlite = "sqlite:";
    if (loc.starts_with(kSqlite))
        return sqlite::open_sqlite_job_store(location.substr(kSqlite.size()));
    return sqlite::open_sqlite_job_store(location);
}

}  // namespace kyso::store
