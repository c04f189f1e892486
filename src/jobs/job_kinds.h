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

// Certificate files into the register (`kyso import --certs`, intake/certificate_files.h): the
// job's files are PEM, DER or PKCS#7 files; each certificate linked by its subject, upserted by
// serial in one transaction under the job's actor (a scoped actor: holders in its subtree).
// When not one file could be read, the job fails (job.files_failed, naming each file). Result:
// {"certificates", "files_read", "linked", "registered", "unmatched", "kept", "failed",
// "report"} (report: the --report JSON).
inline constexpr std::string_view kImportCertificates = "import.certificates";

// `kyso results import` (workflow/ca_results.h): the national CA's results file is the job's
// file under "results/", the new certificates its files under "certs/" (optional). Run as the
// job's actor, read from the accounts at run time (a CA operator; the role checked by
// import_results). All or nothing: every row in one transaction, and a row that cannot be
// applied fails the job naming the row (results.rows_refused, results.row_failed) with nothing
// written; re-running is safe (a row already applied is counted as already done). Result:
// {"completed", "rejected", "certificates_linked", "already_done", "date_heading", "problems"}.
inline constexpr std::string_view kResultsImport = "results.import";

// `kyso fix` over the database: the registered records written as a bundle (as `kyso export`
// writes it), the safe repairs of `kyso check` applied to it (checks/fix.h), and, unless params
// {"dry_run": true}, the repaired bundle imported back in one transaction under the job's actor
// (audited as an import with source "fix:job:<id>"; a scoped actor only within its subtree).
// Organizations created by applied events are not records of the bundle and are not repaired.
// Result: {"fixes": [{"file","row","field","id","code","before","after"}], "dry_run",
// "imported": row counts or null}.
inline constexpr std::string_view kFix = "fix";

// Handlers of every built-in kind.
std::map<std::string, JobHandler> builtin_handlers();

// Whether `name` may become a file of a job folder: a relative path of plain names (letters,
// digits, space, '.', '-', '_', '(', ')', and non-ASCII letters), no "..", no absolute path, no
// backslash, at most 8 levels and 255 bytes.
bool safe_job_file_name(std::string_view name);

}  // namespace kyso::jobs
