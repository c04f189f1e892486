// kyso workflow — `kyso check`: every FORMATS.md §5 rule over the four CSV files of a bundle.
#pragma once

#include <string>

#include "core/result.h"
#include "workflow/findings.h"

namespace kyso::workflow {

// Checks the bundle folder without changing anything. An error Result only when the bundle
// cannot be read at all (no folder, no organizations.csv, a missing required column, a file
// that is not CSV); every problem in the data is a finding.
Result<Findings> check_bundle(const std::string& dir);

}  // namespace kyso::workflow
