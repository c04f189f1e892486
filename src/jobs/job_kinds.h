// kyso jobs — the built-in job kinds, each calling the same layers the CLI commands call
// (bundle, reorg, workflow, store), never the CLI itself.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "jobs/job_runner.h"

namespace kyso::jobs {

// Import of a bundle (FORMATS.md §1): the job's files are the bundle's files (relative paths
// such as "organizations.csv", "certs/0A1B.pem"), written into a private temporary folder and
// read like `kyso import --bundle`; a scoped actor (Job::scope_org_id) may change only records
// in its subtree. One transaction (Store::import_registry) at the end. Result: the row counts.
inline constexpr std::string_view kImportBundle = "import.bundle";
// `kyso check --db`: the findings (FORMATS.md §5) as JSON. Writes nothing.
inline constexpr std::string_view kCheck = "check";
// `kyso plan --db` (FORMATS.md §3) as JSON; params {"as_of": "YYYY-MM-DD"} optional. Writes
// nothing.
inline constexpr std::string_view kPlan = "plan";

// `kyso intake` of an agency's spreadsheet (the job's one file, .xlsx or .csv), units matched
// against the database; params {"province", "org", "include_hidden", "import"}. Result: the
// counts, the findings and the bundle written (its files as text); with "import": true and no
// error finding, the bundle is imported in the same job (one transaction), result "imported".
inline constexpr std::string_view kIntake = "intake";

// Handlers of every built-in kind.
std::map<std::string, JobHandler> builtin_handlers();

// Whether `name` may become a file of a job folder: a relative path of plain names (letters,
// digits, space, '.', '-', '_', '(', ')', and non-ASCII letters), no "..", no absolute path, no
// backslash, at most 8 levels and 255 bytes.
bool safe_job_file_name(std::string_view name);

}  // namespace kyso::jobs
