// kyso checks — the human report of `kyso check`: an XLSX with the problem cells highlighted.
#pragma once

#include <string>

#include "checks/findings.h"
#include "core/result.h"

namespace kyso::checks {

// Writes `path`: a summary sheet listing every finding (severity, file, row, field, id, message,
// suggestion), then one sheet per checked file holding the records that have findings, as they
// are in `bundle_dir`, with their 1-based row number first and each problem cell highlighted
// (error red, warning yellow) and annotated. Sheets stop at Excel's row limit, saying so.
Status write_findings_xlsx(const Findings& findings, const std::string& bundle_dir,
                           const std::string& path);

}  // namespace kyso::checks
