// kyso checks — validation findings (FORMATS.md §5): what is wrong, where, and how bad.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kyso::checks {

enum class Severity { error, warning };

struct Finding {
    std::string code;  // e.g. "cccd_birth_mismatch"
    Severity severity = Severity::error;
    std::string file;      // organizations.csv, people.csv, devices.csv, certificates.csv
    std::int64_t row = 0;  // 1-based data record
    std::string field;
    std::string id;       // the record's id (certificates: serial)
    std::string message;  // Vietnamese
    std::optional<std::string> suggestion;
};

struct Findings {
    std::vector<Finding> items;  // FORMATS.md §5 order: file, row, field, code
    std::size_t errors() const;
    std::size_t warnings() const;
};

// Puts findings in FORMATS.md §5 order: file (organizations, people, devices, certificates),
// row, field, code.
void sort_findings(Findings& findings);

// {"summary": {"error": N, "warning": N}, "findings": [...]} with one finding per line.
std::string findings_to_json(const Findings& findings);

}  // namespace kyso::checks
