// kyso checks — `kyso check`: every FORMATS.md §5 rule over the four CSV files of a bundle.
#pragma once

#include <string>

#include "checks/findings.h"
#include "core/result.h"
#include "store/store.h"

namespace kyso::checks {

// Checks the bundle folder without changing anything. An error Result only when the bundle
// cannot be read at all (no folder, no organizations.csv, a missing required column, a file
// that is not CSV); every problem in the data is a finding.
Result<Findings> check_bundle(const std::string& dir);

// The same over a database: the registered records (what was imported; events change no record)
// are written as a bundle into `work_dir` (an empty folder the caller owns) and checked as one,
// so rules and rows are FORMATS.md §5's, rows as `kyso export` writes them (unlinked
// certificates included; `pem` is not read again: the stored DER came from it). Where events were
// applied, a subject that the current state gives is accepted too (no subject_mismatch), and
// organizations the events created resolve references.
Result<Findings> check_store(store::Store& store, const std::string& work_dir);

// A private temporary folder, removed with everything in it when this goes out of scope.
class TempDir {
public:
    TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir();
    // Empty when the folder could not be made.
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

}  // namespace kyso::checks
