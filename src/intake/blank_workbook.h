// kyso intake — blank workbooks people fill in (intake's and the decisions' templates).
#pragma once

#include <xlsxwriter.h>

#include <functional>
#include <string>

#include "core/result.h"

namespace kyso::intake {

// Writes a new XLSX workbook at `path`, its sheets made by `fill` (libxlsxwriter; a non-zero
// lxw_error stops it), atomically (core/atomic_file.h). Never over an existing file:
// intake.template_exists. A libxlsxwriter failure is docs.write naming the file.
Status write_blank_workbook(const std::string& path,
                            const std::function<lxw_error(lxw_workbook*)>& fill);

}  // namespace kyso::intake
