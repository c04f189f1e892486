// kyso workflow — `kyso results import`: what the national CA sends back (a list of completed or
// rejected items, and the new certificate files) completes the requests and updates the
// registry.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/request.h"
#include "core/result.h"
#include "store/store.h"
#include "store/workflow_store.h"

namespace kyso::workflow {

struct ResultsReport {
    std::size_t completed = 0;
    std::size_t rejected = 0;
    std::size_t certificates_linked = 0;
    // Rows whose request already has that answer (the file, or this row, was imported before):
    // nothing is changed for them.
    std::size_t already_done = 0;
    std::string date_heading;  // the column the dates were taken from; empty: today's date
    // Rows that could not be applied (row as people see it, what is wrong); the others were.
    std::vector<std::pair<std::int64_t, std::string>> problems;
};

// `list` is the CA's results file (results_file.h, docs/results.md): per row the request id or
// the certificate concerned (its serial), the outcome, the reason, the new certificate's serial
// and the processing date. `certificates` (a folder or file, optional) holds the new
// certificates (PEM, DER, PKCS#7): a new certificate is found by the row's new serial, else by
// the request's new subject. The processing date ("Ngày xử lý"…; today's date without one) is
// the request's completion date and the revocation date of the certificate revoked or replaced.
// A row answers the forwarded request of its id, or of its certificate: the certificate's own
// request (issue, renew, change, revoke, restore) before a device hand-over naming it. Re-running
// is safe: a row whose request already has that outcome is counted as already done and changes
// nothing, and is never matched to another open request of the same certificate or device; a
// row that contradicts the recorded answer is a problem. Only a national CA operator imports.
// The rows without a problem are written together in one transaction
// (WorkflowStore::transition_each): all or none, a row the store refuses aborts the file
// (results.row_failed naming the row), and a stop asked by a job (core/interrupt.h) writes
// nothing. With options.all_or_nothing (the server's job), a row with a problem also aborts the
// file (results.rows_refused naming the first such row) and nothing is written.
struct ResultsOptions {
    bool all_or_nothing = false;
};
Result<ResultsReport> import_results(store::Store& registry, store::WorkflowStore& workflow,
                                     const User& actor, const std::string& list,
                                     const std::string& certificates,
                                     const ResultsOptions& options = {});

}  // namespace kyso::workflow
