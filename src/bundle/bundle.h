// kyso bundle — the registry bundle of FORMATS.md §1 (four CSV files + events.json): read, write.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/event.h"
#include "core/registry.h"
#include "core/result.h"

namespace kyso::bundle {

// A non-fatal remark made while reading (e.g. an unknown column that was ignored).
struct Notice {
    Location where;
    std::string message;  // Vietnamese
    std::string message_en;
};

struct Bundle {
    Registry registry;
    std::vector<ReorgEvent> events;  // in file order (replay orders them by event_before)
    std::vector<Notice> notices;
};

struct ReadOptions {
    bool read_events = true;
    // Read the `pem` files and check serial, subject and validity against the row.
    bool check_pem = true;
    // Check that every reference names a record and that superiors have no cycle.
    bool check_references = true;
    // Keep each certificate's parsed subject (Certificate::subject). The syntax is checked either
    // way; the planner re-parses on demand and saves the memory (about 0.6 GB a million).
    bool keep_parsed_subjects = true;
    // Require real dates in date_of_birth / cccd_issued_on (the planner does not use them).
    bool check_person_dates = true;
    // Called with (done, total) bytes while reading the largest files; may be empty.
    std::function<void(std::size_t, std::size_t)> progress;
};

// Reads a bundle folder. Every string is normalized to NFC. Errors name file, row, field, id.
Result<Bundle> read_bundle(const std::string& dir, const ReadOptions& options = {});

// Writes the four CSV files and events.json (NFC, RFC 4180, LF line ends). With `with_pem`,
// certificates that carry DER are also written as certs/<serial>.pem and referenced by `pem`.
// The folder is replaced as a whole (core/output_dir.h): it holds the previous bundle or the new
// one, never a mix; a folder holding files other than a bundle's is refused.
Status write_bundle(const std::string& dir, const Registry& registry,
                    const std::vector<ReorgEvent>& events, bool with_pem = false);

}  // namespace kyso::bundle
