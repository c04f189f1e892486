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
    // Rows that could not be applied (1-based data row, what is wrong); the others were.
    std::vector<std::pair<std::int64_t, std::string>> problems;
};

// `list` is a CSV (UTF-8, UTF-16 or Windows-1258) or XLSX (first sheet) with a header row;
// columns, by Vietnamese or English heading: request id ("Mã yêu cầu kyso" / request_id) or
// the certificate concerned ("Serial CTS cũ" / serial), the outcome ("Kết quả" / outcome:
// hoàn thành | completed | từ chối | rejected), the reason ("Lý do" / reason), the new
// certificate's serial ("Serial CTS mới" / new_serial) and the date ("Ngày xử lý" / date).
// `certificates` (a folder or file, optional) holds the new certificates (PEM, DER, PKCS#7):
// a new certificate is found by the row's new serial, else by the request's new subject.
// Only forwarded requests are answered; the actor must be a national CA operator. Each row is
// its own transaction: one bad row does not undo the others.
Result<ResultsReport> import_results(store::Store& registry, store::WorkflowStore& workflow,
                                     const User& actor, const std::string& list,
                                     const std::string& certificates);

}  // namespace kyso::workflow
