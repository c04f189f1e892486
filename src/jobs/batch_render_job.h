// kyso jobs — the batch render job kind: a batch's documents (letter.pdf, letter.docx and the
// list.xlsx of the national CA) rendered by workflow::render_batch, the function the
// /api/v1/batches/{id}/document route and `kyso batch render` use, as a background job with
// progress, cancel, and the files in its result (issue 13 "render of a provincial batch").
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "jobs/job_runner.h"

namespace kyso::jobs {

// params {"batch_id": N, "date": "YYYY-MM-DD", "place", "signer", "signer_title",
// "signer_authority", "receiver", "receiver_address", "values": {placeholder: text}} (all but
// batch_id optional, as workflow::RenderOptions). Who may render the batch is checked when the
// job is queued (RequestDesk::may_render). Result: {"batch_id", "rows", "files": [{"name",
// "content_type", "size", "sha256", "content_base64"}]} for the PDF, the DOCX and the XLSX.
// Writes only one audit entry (batch.render, with the job's id), in the same transaction that
// marks the job succeeded (JobStore::finish).
inline constexpr std::string_view kBatchRender = "batch.render";

// The handler, rendering from the letter templates in `templates_dir` (templates/letters).
// KYSO_JOB_PAUSE_MS (tests only: the crash tests) holds the job that many milliseconds once
// its progress is above zero, so a test can kill the server in the middle of it.
JobHandler batch_render_handler(std::string templates_dir);

// `e` without the temporary folder `dir` in its messages and location (a job's error is shown
// to its user: "…/kyso-render-123/out/letter.pdf" becomes "letter.pdf").
Error without_path(Error e, const std::string& dir);

}  // namespace kyso::jobs
